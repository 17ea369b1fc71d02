import { useState } from "react";

import type { ColumnSchema } from "../../api/types";
import { ColumnSelect } from "./ColumnSelect";
import { sameJson } from "./useDraftText";

interface MappingEditorProps {
  legend: string;
  value: Record<string, string>;
  columns: ColumnSchema[];
  onChange: (value: Record<string, string>) => void;
}

interface MappingRow {
  from: string;
  to: string;
}

/**
 * Old name -> new name, one row each. Rows are kept as typed, so a row whose old column
 * is not chosen yet, or a second row for the same column, is not lost while editing;
 * only rows with an old column reach the step (the last row wins for a repeated one).
 */
export function MappingEditor({ legend, value, columns, onChange }: MappingEditorProps) {
  const [rows, setRows] = useState<MappingRow[]>(() => rowsOf(value));
  const [seenValue, setSeenValue] = useState(value);

  if (!sameJson(value, seenValue)) {
    setSeenValue(value);
    if (!sameJson(mappingOf(rows), value)) {
      setRows(rowsOf(value));
    }
  }

  const update = (next: MappingRow[]) => {
    const mapping = mappingOf(next);
    setRows(next);
    setSeenValue(mapping);
    onChange(mapping);
  };
  const editRow = (index: number, change: Partial<MappingRow>) => {
    update(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  };

  return (
    <fieldset className="pipeline-mapping">
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div key={index} className="pipeline-inline">
          <ColumnSelect
            value={row.from}
            columns={columns}
            onChange={(from) => editRow(index, { from })}
            label={`Old name ${index + 1}`}
          />
          <span aria-hidden="true">→</span>
          <input
            type="text"
            aria-label={`New name ${index + 1}`}
            value={row.to}
            onChange={(event) => editRow(index, { to: event.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove rename ${index + 1}`}
            onClick={() => update(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => update([...rows, { from: "", to: "" }])}>
        Add rename
      </button>
    </fieldset>
  );
}

function rowsOf(mapping: Record<string, string>): MappingRow[] {
  return Object.entries(mapping).map(([from, to]) => ({ from, to }));
}

function mappingOf(rows: MappingRow[]): Record<string, string> {
  const entries = rows.filter((row) => row.from !== "").map((row) => [row.from, row.to]);
  return Object.fromEntries(entries) as Record<string, string>;
}
