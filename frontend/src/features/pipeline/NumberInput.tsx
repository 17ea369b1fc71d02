import { type Parsed, useDraftText } from "./useDraftText";

interface NumberInputProps {
  id: string;
  value: number | undefined;
  integer: boolean;
  minimum?: number;
  maximum?: number;
  onChange: (value: number | undefined) => void;
  describedBy?: string;
}

/** A number; an empty box means "not set". Bounds are shown, the server enforces them. */
export function NumberInput(props: NumberInputProps) {
  const { id, value, integer, minimum, maximum, onChange, describedBy } = props;
  const parse = (text: string) => parseNumber(text, integer);
  const [text, setText] = useDraftText(value, formatNumber, parse, onChange);

  return (
    <input
      id={id}
      type="number"
      inputMode={integer ? "numeric" : "decimal"}
      step={integer ? 1 : "any"}
      min={minimum}
      max={maximum}
      value={text}
      aria-describedby={describedBy}
      onChange={(event) => setText(event.target.value)}
    />
  );
}

function formatNumber(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

function parseNumber(text: string, integer: boolean): Parsed<number | undefined> {
  if (text.trim() === "") {
    return { ok: true, value: undefined };
  }
  const value = Number(text);
  const valid = Number.isFinite(value) && (!integer || Number.isInteger(value));
  return valid ? { ok: true, value } : { ok: false };
}
