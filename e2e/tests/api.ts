import { expect, type APIRequestContext, type Page } from "@playwright/test";

import type {
  DatasetSource,
  FullExecutionSignal,
  PipelinePreviewResponse,
  Step,
} from "../../frontend/src/api/types";

export const API = "/ml-workflow/api";

/** `origin` names a server of the test's own; by default the suite's shared one. */
export async function demoDataset(
  request: APIRequestContext,
  origin = "",
): Promise<DatasetSource> {
  const response = await request.get(`${origin}${API}/datasets`);
  expect(response.ok()).toBe(true);
  const datasets = (await response.json()) as DatasetSource[];
  const demo = datasets.find((dataset) => dataset.name === "demo");
  if (demo === undefined) {
    throw new Error("The e2e server has no dataset named demo");
  }
  return demo;
}

export async function startFullRun(
  request: APIRequestContext,
  datasetSourceId: string,
  steps: Step[],
): Promise<FullExecutionSignal> {
  const response = await request.post(
    `${API}/pipelines/${datasetSourceId}/full-execution`,
    {
      data: { steps },
    },
  );
  expect(response.status()).toBe(202);
  return (await response.json()) as FullExecutionSignal;
}

/** Cancels every queued or running job of the dataset, so a test starts from a free worker. */
export async function cancelActiveRuns(
  request: APIRequestContext,
  datasetSourceId: string,
): Promise<void> {
  const base = `${API}/pipelines/${datasetSourceId}/full-execution`;
  const listed = await request.get(base);
  expect(listed.ok()).toBe(true);
  const runs = (await listed.json()) as FullExecutionSignal[];

  for (const run of runs) {
    if (
      run.job_id !== null &&
      (run.job_status === "queued" || run.job_status === "running")
    ) {
      await request.post(`${base}/${run.job_id}/cancel`);
    }
  }

  await expect
    .poll(
      async () => {
        const again = (await (await request.get(base)).json()) as FullExecutionSignal[];
        return again.filter(
          (run) => run.job_status === "queued" || run.job_status === "running",
        ).length;
      },
      { timeout: 60_000 },
    )
    .toBe(0);
}

/**
 * A pipeline slow enough over 466,285 rows that a poll every second or two sees it
 * running: on this machine about 6 s in 20,000-row chunks and 10 s in 2,000-row ones,
 * half of it fitting. While a job is queued the page checks every 2 s, so a run much
 * shorter than that can go from queued to succeeded unseen; the casts through text at
 * the end are there only to make it slower. `tag` names a derived column, so each
 * test's pipeline is its own and no result of another test is reused.
 */
export function slowSteps(tag: string): Step[] {
  const perItem = `per_item_${tag}`;
  return [
    { type: "fill_missing", columns: ["customer_age"], strategy: "median" },
    { type: "fill_missing", columns: ["city"], strategy: "most_frequent" },
    { type: "one_hot_encode", columns: ["city", "segment", "channel"] },
    { type: "standard_scale", columns: ["income", "purchase_amount"] },
    { type: "bin", column: "items", bins: 5, strategy: "quantile", output: "items_bin" },
    {
      type: "datetime_parts",
      column: "signup_date",
      parts: ["year", "month", "day", "hour", "weekday"],
    },
    {
      type: "derive",
      output: perItem,
      left: "purchase_amount",
      operator: "div",
      right: "items",
    },
    { type: "drop_duplicates" },
    {
      type: "cast",
      columns: ["income", "purchase_amount", perItem, "signup_date"],
      to: "string",
    },
    { type: "cast", columns: ["income", "purchase_amount", perItem], to: "float" },
    { type: "cast", columns: ["signup_date"], to: "datetime" },
  ];
}

/** Opens the dataset page with this pipeline already in the editor's saved state. */
export async function openDatasetPage(
  page: Page,
  datasetSourceId: string,
  steps: Step[],
  origin = "",
): Promise<void> {
  // The editor keeps each dataset's steps in localStorage under this key.
  await page.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [
    `ml-workflow:pipeline-steps:${datasetSourceId}`,
    JSON.stringify(steps),
  ] as const);
  await page.goto(`${origin}/datasets/${datasetSourceId}`);
  await expect(page.getByRole("heading", { level: 1, name: "demo" })).toBeVisible();
}

/** Clicks Preview and gives back the status and body of the answer the page got. */
export async function pressPreview(
  page: Page,
): Promise<{ status: number; body: unknown }> {
  const answer = page.waitForResponse(
    (response) =>
      response.url().endsWith(`${API}/pipelines/preview`) &&
      response.request().method() === "POST",
  );
  await page.getByTestId("preview-button").click();
  const response = await answer;
  return { status: response.status(), body: await response.json() };
}

/** Clicks Preview and gives back the preview, which must have succeeded. */
export async function preview(page: Page): Promise<PipelinePreviewResponse> {
  const { status, body } = await pressPreview(page);
  expect(status).toBe(200);
  return body as PipelinePreviewResponse;
}
