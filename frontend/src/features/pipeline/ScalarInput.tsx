import { formatScalarText, parseScalarText, type ScalarOrList } from "./scalarText";
import { useDraftText } from "./useDraftText";

interface ScalarInputProps {
  id: string;
  value: ScalarOrList | undefined;
  allowsList: boolean;
  onChange: (value: ScalarOrList | undefined) => void;
  describedBy?: string;
}

/** A value typed as text and read as a number, true/false, text or a list of those. */
export function ScalarInput({
  id,
  value,
  allowsList,
  onChange,
  describedBy,
}: ScalarInputProps) {
  const [text, setText] = useDraftText(
    value,
    (current) => formatScalarText(current, allowsList),
    (typed) => ({ ok: true, value: parseScalarText(typed, allowsList) }),
    onChange,
  );

  return (
    <input
      id={id}
      type="text"
      value={text}
      aria-describedby={describedBy}
      onChange={(event) => setText(event.target.value)}
    />
  );
}
