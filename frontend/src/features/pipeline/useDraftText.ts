import { useState } from "react";

export type Parsed<T> = { ok: true; value: T } | { ok: false };

/**
 * The text of an input that edits a parsed value. The text the user types is kept as
 * typed ("1." or "a," would not survive a round trip through the value), and replaced
 * only when the value changes to something the text does not already mean.
 */
export function useDraftText<T>(
  value: T,
  format: (value: T) => string,
  parse: (text: string) => Parsed<T>,
  onChange: (value: T) => void,
): [string, (text: string) => void] {
  const [text, setText] = useState(() => format(value));
  const [seenValue, setSeenValue] = useState(value);

  if (!sameJson(value, seenValue)) {
    setSeenValue(value);
    const parsed = parse(text);
    if (!parsed.ok || !sameJson(parsed.value, value)) {
      setText(format(value));
    }
  }

  const edit = (next: string) => {
    setText(next);
    const parsed = parse(next);
    if (parsed.ok) {
      setSeenValue(parsed.value);
      onChange(parsed.value);
    }
  };
  return [text, edit];
}

export function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
