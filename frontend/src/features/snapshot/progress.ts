import type { FullExecutionSignal } from "../../api/types";

/** Share of the dataset processed, 0 to 100. */
export function progressPercent(signal: FullExecutionSignal): number {
  if (signal.job_status === "succeeded") {
    return 100;
  }
  if (signal.total_rows <= 0) {
    return 0;
  }
  const share = (signal.processed_rows / signal.total_rows) * 100;
  return Math.min(100, Math.max(0, share));
}

/**
 * Seconds left at the rate observed so far: rows processed between the start of
 * this attempt and the last progress report. Null until there is a rate to go by.
 */
export function estimateRemainingSeconds(signal: FullExecutionSignal): number | null {
  if (signal.job_status !== "running" || !signal.started_at || !signal.updated_at) {
    return null;
  }

  const elapsedSeconds =
    (Date.parse(signal.updated_at) - Date.parse(signal.started_at)) / 1000;
  if (!(elapsedSeconds > 0) || signal.processed_rows <= 0) {
    return null;
  }

  const rowsPerSecond = signal.processed_rows / elapsedSeconds;
  const remainingRows = Math.max(0, signal.total_rows - signal.processed_rows);
  return remainingRows / rowsPerSecond;
}
