import { useId } from "react";

import type { FullExecutionSignal } from "../../api/types";
import { formatCount, formatDateTime } from "../../lib/format";
import { JobStatusBadge } from "./JobStatusBadge";

interface RunHistoryProps {
  runs: FullExecutionSignal[];
  error: string | null;
  followedJobId: string | null;
  onFollow: (signal: FullExecutionSignal) => void;
}

export function RunHistory({ runs, error, followedJobId, onFollow }: RunHistoryProps) {
  const headingId = useId();

  return (
    <div className="run-history">
      <h4 id={headingId}>Runs of this dataset</h4>
      {error !== null && <p className="error-message">{error}</p>}
      {runs.length === 0 ? (
        <p className="muted">No full runs yet.</p>
      ) : (
        <ol className="run-history-list" aria-labelledby={headingId}>
          {runs.map((run) => (
            <li key={run.job_id ?? run.pipeline_hash} className="run-history-item">
              <JobStatusBadge status={run.job_status} />
              <span>{formatDateTime(run.created_at)}</span>
              <span className="muted">
                {formatCount(run.processed_rows)} of {formatCount(run.total_rows)} rows
              </span>
              <code className="muted" title={run.pipeline_hash}>
                {run.pipeline_hash.slice(0, 8)}
              </code>
              {run.job_id === followedJobId ? (
                <span className="muted">shown above</span>
              ) : (
                <button
                  type="button"
                  aria-label={`Show the run of ${formatDateTime(run.created_at)}`}
                  onClick={() => onFollow(run)}
                >
                  Show
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
