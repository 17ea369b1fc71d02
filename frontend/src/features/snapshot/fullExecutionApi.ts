import { api } from "../../api/client";
import { describeError } from "../../api/errors";
import type { FullExecutionSignal, Step } from "../../api/types";

/** The answer of an action: the new signal, or a sentence saying why there is none. */
export type ActionResult =
  { ok: true; signal: FullExecutionSignal } | { ok: false; message: string };

async function settle(
  request: Promise<{ data?: FullExecutionSignal; error?: unknown; response: Response }>,
): Promise<ActionResult> {
  try {
    const { data, error, response } = await request;
    if (data !== undefined) {
      return { ok: true, signal: data };
    }
    return { ok: false, message: describeError(error, response) };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}

/** Starts the full run of these steps, or gets the run that already exists for them. */
export function startFullExecution(
  datasetSourceId: string,
  steps: Step[],
): Promise<ActionResult> {
  return settle(
    api.POST("/ml-workflow/api/pipelines/{dataset_source_id}/full-execution", {
      params: { path: { dataset_source_id: datasetSourceId } },
      body: { steps },
    }),
  );
}

export function cancelFullExecution(
  datasetSourceId: string,
  jobId: string,
): Promise<ActionResult> {
  return settle(
    api.POST(
      "/ml-workflow/api/pipelines/{dataset_source_id}/full-execution/{job_id}/cancel",
      {
        params: { path: { dataset_source_id: datasetSourceId, job_id: jobId } },
      },
    ),
  );
}

export type ResultFormat = "parquet" | "csv";

/** The result's download address with the format asked for. */
export function downloadHref(downloadUrl: string, format: ResultFormat): string {
  const url = new URL(downloadUrl, globalThis.location.origin);
  url.searchParams.set("format", format);
  return url.origin === globalThis.location.origin
    ? `${url.pathname}${url.search}`
    : url.toString();
}
