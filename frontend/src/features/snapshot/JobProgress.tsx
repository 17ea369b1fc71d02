import type { FullExecutionSignal } from "../../api/types";
import { formatCount, formatDuration } from "../../lib/format";
import { estimateRemainingSeconds, progressPercent } from "./progress";

interface JobProgressProps {
  signal: FullExecutionSignal;
}

export function JobProgress({ signal }: JobProgressProps) {
  const percent = Math.floor(progressPercent(signal));
  const remaining = estimateRemainingSeconds(signal);
  // A finished run has read every row, whatever its last progress report said.
  const processed =
    signal.job_status === "succeeded" ? signal.total_rows : signal.processed_rows;
  const rows = `${formatCount(processed)} of ${formatCount(signal.total_rows)}`;

  return (
    <div className="job-progress">
      <progress
        className={`job-progress-bar job-progress-bar--${signal.job_status}`}
        max={100}
        value={percent}
        aria-label="Share of the dataset processed"
      />
      <p className="job-progress-text">
        {rows} rows processed ({percent}%)
        {remaining !== null && <> · about {formatDuration(remaining)} left</>}
      </p>
    </div>
  );
}
