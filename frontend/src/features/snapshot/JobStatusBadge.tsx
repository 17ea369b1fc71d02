import type { JobStatus } from "../../api/types";
import { JOB_STATUS_LABELS } from "./jobStatus";

interface JobStatusBadgeProps {
  status: JobStatus;
  /** Only the badge of the run the section follows carries the stable test id. */
  testId?: string;
}

export function JobStatusBadge({ status, testId }: JobStatusBadgeProps) {
  return (
    <span
      className={`job-badge job-badge--${status}`}
      data-testid={testId}
      data-status={status}
    >
      {JOB_STATUS_LABELS[status]}
    </span>
  );
}
