import { useRef, useState } from "react";

export interface StepKeys {
  keys: string[];
  insert: () => void;
  remove: (index: number) => void;
  swap: (index: number, other: number) => void;
}

/**
 * React keys for the steps, which carry no id of their own, so that a moved step keeps
 * its inputs (and what is being typed in them). Each change is made here alongside the
 * same change to the steps; if the steps change some other way (their count no longer
 * matches) the keys start afresh.
 */
export function useStepKeys(count: number): StepKeys {
  const counter = useRef(0);
  const fresh = () => `step-key-${counter.current++}`;
  const [keys, setKeys] = useState<string[]>(() => Array.from({ length: count }, fresh));

  let current = keys;
  if (keys.length !== count) {
    current = Array.from({ length: count }, fresh);
    setKeys(current);
  }

  return {
    keys: current,
    insert: () => setKeys([...current, fresh()]),
    remove: (index) => setKeys(current.filter((_, i) => i !== index)),
    swap: (index, other) => setKeys(swapped(current, index, other)),
  };
}

export function swapped<T>(items: T[], index: number, other: number): T[] {
  const next = [...items];
  const first = next[index];
  const second = next[other];
  if (first === undefined || second === undefined) {
    return next;
  }
  next[index] = second;
  next[other] = first;
  return next;
}
