import { useId, useState } from "react";

import type { FullExecutionSignal } from "../../api/types";
import { formatCount, formatDateTime } from "../../lib/format";
import { isActiveStatus } from "./jobStatus";
import { NextCheckCountdown } from "./NextCheckCountdown";

interface JobDetailsProps {
  signal: FullExecutionSignal;
  nextCheckAt: number | null;
  paused: boolean;
}

export function JobDetails({ signal, nextCheckAt, paused }: JobDetailsProps) {
  const [expanded, setExpanded] = useState(false);
  const panelId = useId();

  return (
    <div className="job-details">
      <button
        type="button"
        className="job-details-toggle"
        data-testid="job-details-toggle"
        aria-expanded={expanded}
        aria-controls={expanded ? panelId : undefined}
        onClick={() => setExpanded((value) => !value)}
      >
        {expanded ? "Hide job details" : "Show job details"}
      </button>
      {expanded && (
        <dl id={panelId} className="job-details-list" data-testid="job-details">
          <dt>Job id</dt>
          <dd>
            <code>{signal.job_id ?? "—"}</code>
          </dd>
          <dt>Dataset rows</dt>
          <dd>{formatCount(signal.total_rows)}</dd>
          <dt>Next check</dt>
          <dd>
            <NextCheckCountdown
              active={isActiveStatus(signal.job_status)}
              nextCheckAt={nextCheckAt}
              paused={paused}
            />
          </dd>
          <dt>Last updated</dt>
          <dd>{formatDateTime(signal.updated_at)}</dd>
          <dt>Started</dt>
          <dd>{formatDateTime(signal.started_at)}</dd>
          <dt>Finished</dt>
          <dd>{formatDateTime(signal.finished_at)}</dd>
          <dt>Attempt</dt>
          <dd>{signal.attempt}</dd>
        </dl>
      )}
    </div>
  );
}
