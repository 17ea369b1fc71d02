import type { ColumnSummary } from "../../api/types";
import { formatCount, formatStatistic } from "./formatValues";
import { Histogram } from "./Histogram";

interface ColumnSummaryCardProps {
  summary: ColumnSummary;
}

/** The statistics of one output column; each is shown only when the server gave it. */
export function ColumnSummaryCard({ summary }: ColumnSummaryCardProps) {
  const statistics: [string, string | null][] = [
    ["Nulls", formatCount(summary.null_count)],
    ["Distinct", formatCount(summary.distinct_count)],
    ["Min", optional(summary.min)],
    ["Max", optional(summary.max)],
    ["Mean", optional(summary.mean)],
    ["Std", optional(summary.std)],
  ];

  return (
    <li className="preview-summary" data-testid={`column-summary-${summary.name}`}>
      <h4>
        {summary.name} <span className="preview-dtype">{summary.dtype}</span>
      </h4>
      <dl>
        {statistics
          .filter(([, value]) => value !== null)
          .map(([label, value]) => (
            <div key={label} className="preview-statistic">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {summary.top_values.length > 0 && (
        <>
          <p className="preview-summary-caption">Top values</p>
          <ol className="preview-top-values">
            {summary.top_values.map((top) => (
              <li key={top.value}>
                <span>{top.value}</span> <span>{formatCount(top.count)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {summary.histogram.length > 0 && (
        <Histogram column={summary.name} bins={summary.histogram} />
      )}
    </li>
  );
}

function optional(value: number | string | null): string | null {
  return value === null ? null : formatStatistic(value);
}
