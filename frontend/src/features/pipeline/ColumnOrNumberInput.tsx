import type { ColumnSchema } from "../../api/types";
import { ColumnSelect } from "./ColumnSelect";
import { NumberInput } from "./NumberInput";

interface ColumnOrNumberInputProps {
  id: string;
  label: string;
  value: string | number | undefined;
  columns: ColumnSchema[];
  onChange: (value: string | number | undefined) => void;
}

/** Either an existing column or a number, with a choice between the two. */
export function ColumnOrNumberInput(props: ColumnOrNumberInputProps) {
  const { id, label, value, columns, onChange } = props;
  const mode = typeof value === "string" ? "column" : "number";

  const switchMode = (next: string) => {
    onChange(next === "column" ? (columns[0]?.name ?? "") : 0);
  };

  return (
    <div className="pipeline-inline">
      <select
        aria-label={`${label}: column or number`}
        value={mode}
        onChange={(event) => switchMode(event.target.value)}
      >
        <option value="column">Column</option>
        <option value="number">Number</option>
      </select>
      {typeof value === "string" ? (
        <ColumnSelect id={id} value={value} columns={columns} onChange={onChange} />
      ) : (
        <NumberInput id={id} value={value} integer={false} onChange={onChange} />
      )}
    </div>
  );
}
