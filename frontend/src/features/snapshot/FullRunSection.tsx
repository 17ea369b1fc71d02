import { useId } from "react";

import type { PipelinePreviewResponse, Step } from "../../api/types";
import { FullExecutionActions } from "./FullExecutionActions";
import { JobContext } from "./JobContext";
import { JobDetails } from "./JobDetails";
import { JobProgress } from "./JobProgress";
import { JobStatusBadge } from "./JobStatusBadge";
import { RunHistory } from "./RunHistory";
import { useFullExecutionPoller } from "./useFullExecutionPoller";
import { useRunHistory } from "./useRunHistory";

interface FullRunSectionProps {
  datasetSourceId: string;
  preview: PipelinePreviewResponse | null;
  previewSteps: Step[];
}

export function FullRunSection({
  datasetSourceId,
  preview,
  previewSteps,
}: FullRunSectionProps) {
  const headingId = useId();
  const poller = useFullExecutionPoller(preview?.full_execution ?? null);
  const { signal } = poller;
  const history = useRunHistory(
    datasetSourceId,
    `${signal?.job_id ?? "none"}:${signal?.job_status ?? "none"}`,
  );

  // Only the run of the current preview can be started again with known steps.
  const steps =
    preview !== null && signal?.pipeline_hash === preview.pipeline_hash
      ? previewSteps
      : null;

  return (
    <section className="full-run" aria-labelledby={headingId}>
      <h3 id={headingId}>Full dataset run</h3>
      {signal === null ? (
        <p className="muted">
          Run a preview to see whether the whole dataset needs a run.
        </p>
      ) : (
        <>
          <div className="full-run-status">
            <span aria-live="polite">
              <JobStatusBadge status={signal.job_status} testId="full-execution-badge" />
            </span>
            {signal.job_id !== null && <JobProgress signal={signal} />}
          </div>
          <JobContext signal={signal} />
          {poller.connectionProblem !== null && (
            <p className="connection-problem" role="status">
              {poller.connectionProblem}
            </p>
          )}
          {poller.stoppedBecause !== null && (
            <p className="error-message" role="alert">
              {poller.stoppedBecause}
            </p>
          )}
          <FullExecutionActions signal={signal} steps={steps} onFollow={poller.follow} />
          {signal.job_id !== null && (
            <JobDetails
              signal={signal}
              nextCheckAt={poller.nextCheckAt}
              paused={poller.paused}
            />
          )}
        </>
      )}
      <RunHistory
        runs={history.runs.map((run) =>
          signal !== null && run.job_id === signal.job_id ? signal : run,
        )}
        error={history.error}
        followedJobId={signal?.job_id ?? null}
        onFollow={poller.follow}
      />
    </section>
  );
}
