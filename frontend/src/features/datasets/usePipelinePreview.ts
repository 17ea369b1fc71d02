import { useCallback, useEffect, useRef, useState } from "react";

import { api } from "../../api/client";
import { describeError, isAbortError, isErrorBody } from "../../api/errors";
import type { PipelinePreviewResponse, Step } from "../../api/types";

export interface PreviewState {
  preview: PipelinePreviewResponse | null;
  /** The steps the shown preview ran; a full run is started or retried with these. */
  previewSteps: Step[];
  /**
   * Problems the server found in particular steps, by step index. Only given while the
   * editor holds the very steps that were sent: an index means nothing once a step has
   * been edited, moved, added or removed.
   */
  stepErrors: Record<number, string>;
  /** A problem that is not about one step, or the note that some steps need fixing. */
  error: string | null;
  running: boolean;
}

interface RequestState extends PreviewState {
  /** The steps the request that found `stepErrors` sent. */
  checkedSteps: Step[];
}

const initialState: RequestState = {
  preview: null,
  previewSteps: [],
  stepErrors: {},
  checkedSteps: [],
  error: null,
  running: false,
};

const NO_STEP_ERRORS: Record<number, string> = {};

/** Step problems in a 422 body: its own `step_index`, or the paths of its `errors`. */
export function stepErrorsOf(body: unknown): Record<number, string> {
  if (!isErrorBody(body)) {
    return {};
  }

  const found: Record<number, string> = {};
  if (typeof body.step_index === "number") {
    found[body.step_index] = body.detail;
  }
  for (const item of body.errors ?? []) {
    const loc: unknown = item["loc"];
    const message: unknown = item["msg"];
    if (!Array.isArray(loc) || typeof message !== "string") {
      continue;
    }
    const at = loc.indexOf("steps");
    const index: unknown = at >= 0 ? loc[at + 1] : undefined;
    if (typeof index === "number" && found[index] === undefined) {
      found[index] = message;
    }
  }
  return found;
}

/** Previews a pipeline; `steps` are the editor's current steps, to judge step errors by. */
export function usePipelinePreview(datasetSourceId: string, steps: Step[]) {
  const [state, setState] = useState<RequestState>(initialState);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    setState(initialState);
    return () => controller.current?.abort();
  }, [datasetSourceId]);

  const run = useCallback(
    async (sent: Step[]) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setState((s) => ({ ...s, running: true, error: null, stepErrors: {} }));

      try {
        const { data, error, response } = await api.POST(
          "/ml-workflow/api/pipelines/preview",
          {
            body: { dataset_source_id: datasetSourceId, steps: sent },
            signal: current.signal,
          },
        );
        if (data !== undefined) {
          setState({ ...initialState, preview: data, previewSteps: sent });
          return;
        }
        const stepErrors = response.status === 422 ? stepErrorsOf(error) : {};
        const message =
          Object.keys(stepErrors).length > 0
            ? "Some steps need fixing before the preview can run."
            : describeError(error, response);
        setState((s) => ({
          ...s,
          running: false,
          stepErrors,
          checkedSteps: sent,
          error: message,
        }));
      } catch (reason) {
        if (!isAbortError(reason)) {
          setState((s) => ({ ...s, running: false, error: describeError(reason) }));
        }
      }
    },
    [datasetSourceId],
  );

  const { checkedSteps, ...shown } = state;
  const found = Object.keys(state.stepErrors).length > 0;
  if (found && !sameSteps(checkedSteps, steps)) {
    // The note that steps need fixing goes with the step errors it was about.
    return { ...shown, stepErrors: NO_STEP_ERRORS, error: null, run };
  }
  return { ...shown, run };
}

function sameSteps(left: Step[], right: Step[]): boolean {
  return left === right || JSON.stringify(left) === JSON.stringify(right);
}
