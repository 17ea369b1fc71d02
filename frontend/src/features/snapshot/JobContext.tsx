import type { FullExecutionSignal } from "../../api/types";
import { formatCount } from "../../lib/format";

interface JobContextProps {
  signal: FullExecutionSignal;
}

/** The few sentences that say where the run stands and why. */
export function JobContext({ signal }: JobContextProps) {
  const lines: string[] = [];

  if (signal.job_status === "not_required") {
    lines.push(`The preview already covered all ${formatCount(signal.total_rows)} rows.`);
  }
  if (signal.reason) {
    lines.push(signal.reason);
  }
  if (signal.error && signal.error.message !== signal.reason) {
    lines.push(`Error: ${signal.error.message}`);
  }
  if (signal.result) {
    lines.push(
      `Output: ${formatCount(signal.result.row_count)} rows, ` +
        `${formatCount(signal.result.column_count)} columns.`,
    );
  }

  if (lines.length === 0) {
    return null;
  }
  return (
    <ul className="job-context">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
