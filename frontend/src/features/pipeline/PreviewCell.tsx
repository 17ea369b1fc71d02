import { formatCell } from "./formatValues";

/** One value of the preview; a missing value reads "null" and is styled apart. */
export function PreviewCell({ value }: { value: unknown }) {
  const text = formatCell(value);
  if (text === null) {
    return <td className="preview-null">null</td>;
  }
  return (
    <td className={typeof value === "number" ? "preview-number" : undefined}>{text}</td>
  );
}
