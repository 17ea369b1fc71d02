import { useState } from "react";

import type { FullExecutionSignal, Step } from "../../api/types";
import {
  cancelFullExecution,
  startFullExecution,
  type ActionResult,
} from "./fullExecutionApi";
import { canRestart, isActiveStatus } from "./jobStatus";
import { ResultDownload } from "./ResultDownload";

interface FullExecutionActionsProps {
  signal: FullExecutionSignal;
  /** The steps that made this run, when known; without them it cannot be restarted. */
  steps: Step[] | null;
  onFollow: (signal: FullExecutionSignal) => void;
}

export function FullExecutionActions({
  signal,
  steps,
  onFollow,
}: FullExecutionActionsProps) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const act = async (action: () => Promise<ActionResult>) => {
    setPending(true);
    setProblem(null);
    const outcome = await action();
    setPending(false);
    if (outcome.ok) {
      onFollow(outcome.signal);
    } else {
      setProblem(outcome.message);
    }
  };

  const { job_id: jobId, job_status: status, dataset_source_id: datasetId } = signal;
  const cancellable = jobId !== null && isActiveStatus(status);
  const startable = steps !== null && (status === "deferred" || canRestart(status));

  return (
    <div className="job-actions">
      {cancellable && (
        <button
          type="button"
          data-testid="cancel-job"
          disabled={pending}
          onClick={() => void act(() => cancelFullExecution(datasetId, jobId))}
        >
          Cancel
        </button>
      )}
      {status === "succeeded" && signal.result && (
        <ResultDownload result={signal.result} />
      )}
      {startable && (
        <button
          type="button"
          className="primary"
          disabled={pending}
          onClick={() => void act(() => startFullExecution(datasetId, steps))}
        >
          {status === "deferred" ? "Start full run" : "Retry"}
        </button>
      )}
      {problem !== null && (
        <p className="error-message" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
