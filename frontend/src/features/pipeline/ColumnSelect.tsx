import type { ColumnSchema } from "../../api/types";

interface ColumnSelectProps {
  id?: string;
  /** The accessible name, when no visible label points at `id`. */
  label?: string;
  value: string;
  columns: ColumnSchema[];
  onChange: (name: string) => void;
  describedBy?: string;
}

/** One existing column; a name that is no longer among the columns stays choosable. */
export function ColumnSelect(props: ColumnSelectProps) {
  const { id, label, value, columns, onChange, describedBy } = props;
  const known = columns.some((column) => column.name === value);

  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
    >
      {value === "" && (
        <option value="" disabled>
          Choose a column
        </option>
      )}
      {!known && value !== "" && <option value={value}>{value} (not found here)</option>}
      {columns.map((column) => (
        <option key={column.name} value={column.name}>
          {column.name} ({column.dtype})
        </option>
      ))}
    </select>
  );
}
