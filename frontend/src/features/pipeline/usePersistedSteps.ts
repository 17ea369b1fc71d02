import { useCallback, useState } from "react";

import type { Step } from "../../api/types";
import { isPlausibleStep } from "./stepDrafts";

const KEY_PREFIX = "ml-workflow:pipeline-steps:";

export function storageKeyFor(datasetId: string): string {
  return `${KEY_PREFIX}${datasetId}`;
}

/**
 * The pipeline of one dataset, kept in localStorage so a reload keeps it. What cannot be
 * read back (corrupt JSON, a step of an unknown type or shape) is dropped rather than
 * failing the page. Another tab editing the same dataset is not followed: the last tab
 * to save wins.
 */
export function usePersistedSteps(datasetId: string): [Step[], (steps: Step[]) => void] {
  const [state, setState] = useState(() => ({ datasetId, steps: readSteps(datasetId) }));

  let current = state;
  if (state.datasetId !== datasetId) {
    current = { datasetId, steps: readSteps(datasetId) };
    setState(current);
  }

  const save = useCallback(
    (steps: Step[]) => {
      setState({ datasetId, steps });
      writeSteps(datasetId, steps);
    },
    [datasetId],
  );
  return [current.steps, save];
}

function readSteps(datasetId: string): Step[] {
  let stored: unknown;
  try {
    const text = localStorage.getItem(storageKeyFor(datasetId));
    stored = text === null ? [] : JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(stored) ? stored.filter(isPlausibleStep) : [];
}

function writeSteps(datasetId: string, steps: Step[]): void {
  try {
    localStorage.setItem(storageKeyFor(datasetId), JSON.stringify(steps));
  } catch {
    // Storage full or switched off: the pipeline still works, but a reload loses it.
  }
}
