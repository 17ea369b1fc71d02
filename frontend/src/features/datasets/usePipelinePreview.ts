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

/**
 * Step problems in a 422 body, by step. A validation error lists each problem with
 * its step in `errors`; a step the schema refuses is named by `step_index` alone.
 */
export function stepErrorsOf(body: unknown): Record<number, string> {
  if (!isErrorBody(body)) {
    return {};
  }

  const found: Record<number, string[]> = {};
  for (const item of body.errors ?? []) {
    const index = stepIndexOf(item);
    const message = item["message"] ?? item["msg"];
    if (index !== null && typeof message === "string") {
      (found[index] ??= []).push(message);
    }
  }
  if (Object.keys(found).length === 0 && typeof body.step_index === "number") {
    found[body.step_index] = [body.detail];
  }
  return Object.fromEntries(
    Object.entries(found).map(([index, messages]) => [index, messages.join("; ")]),
  );
}

function stepIndexOf(item: Record<string, unknown>): number | null {
  if (typeof item["step_index"] === "number") {
    return item["step_index"];
  }
  const loc: unknown = item["loc"];
  if (!Array.isArray(loc)) {
    return null;
  }
  const index: unknown = loc[loc.indexOf("steps") + 1];
  return loc.includes("steps") && typeof index === "number" ? index : null;
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
    async (sent: Step[], runFullExecution = true) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setState((s) => ({ ...s, running: true, error: null, stepErrors: {} }));

      try {
        const { data, error, response } = await api.POST(
          "/ml-workflow/api/pipelines/preview",
          {
            body: {
              dataset_source_id: datasetSourceId,
              steps: sent,
              run_full_execution: runFullExecution,
            },
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
