import type { JobStatus } from "../../api/types";

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  not_required: "Complete",
  deferred: "Deferred",
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

const ACTIVE_STATUSES: ReadonlySet<JobStatus> = new Set(["queued", "running"]);

/** Queued or running: the job can still change without anyone asking. */
export function isActiveStatus(status: JobStatus): boolean {
  return ACTIVE_STATUSES.has(status);
}

export function canRestart(status: JobStatus): boolean {
  return status === "failed" || status === "cancelled";
}
