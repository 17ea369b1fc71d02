import "./PreviewTable.css";

import type { PipelinePreviewResponse } from "../../api/types";
import { ColumnSummaryCard } from "./ColumnSummaryCard";
import { formatCount } from "./formatValues";
import { PreviewCell } from "./PreviewCell";

interface PreviewTableProps {
  preview: PipelinePreviewResponse;
}

/** The preview's output rows, what the steps warned about, and each column's summary. */
export function PreviewTable({ preview }: PreviewTableProps) {
  const { columns, rows } = preview;

  return (
    <div className="preview">
      <p className="preview-counts" data-testid="preview-counts">
        {formatCount(preview.sample_rows)} of {formatCount(preview.total_rows)} rows
        processed, {formatCount(preview.output_rows)} output rows
        {rows.length < preview.output_rows &&
          ` (showing the first ${formatCount(rows.length)})`}
      </p>

      {preview.warnings.length > 0 && (
        <section className="preview-warnings" aria-label="Warnings">
          <h3>Warnings</h3>
          <ul data-testid="preview-warnings">
            {preview.warnings.map((warning, index) => (
              <li key={index} data-code={warning.code}>
                Step {warning.step_index + 1}: {warning.message}
                {warning.count !== null && ` (${formatCount(warning.count)})`}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="preview-table-scroll">
        <table className="preview-table" data-testid="preview-table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.name} scope="col">
                  <span className="preview-column-name">{column.name}</span>{" "}
                  <span className="preview-dtype">{column.dtype}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={Math.max(1, columns.length)}>
                  No rows are left after these steps.
                </td>
              </tr>
            )}
            {rows.map((row, index) => (
              <tr key={index}>
                {columns.map((column) => (
                  <PreviewCell key={column.name} value={row[column.name]} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section aria-label="Column summaries">
        <h3>Columns</h3>
        <p className="preview-caption">
          Over the {formatCount(preview.sample_rows)} rows processed, after the steps.
        </p>
        <ul className="preview-summaries">
          {preview.column_summaries.map((summary) => (
            <ColumnSummaryCard key={summary.name} summary={summary} />
          ))}
        </ul>
      </section>
    </div>
  );
}
