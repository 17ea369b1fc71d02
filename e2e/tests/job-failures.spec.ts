import { existsSync } from "node:fs";

import { expect, test, type APIRequestContext } from "@playwright/test";

import type {
  FullExecutionSignal,
  PipelinePreviewResponse,
} from "../../frontend/src/api/types";
import { API, demoDataset, openDatasetPage, preview, slowSteps } from "./api";
import { AppServer } from "./appServer";

// Each test here stops or crashes its server, so each has one of its own; the suite's
// shared server is left alone. Starting one seeds the 466,285-row demo dataset, which
// takes a while on this machine.
test.describe.configure({ timeout: 240_000 });

let server: AppServer | null = null;

test.afterEach(async ({}, testInfo) => {
  if (server === null) {
    return;
  }
  try {
    await server.dispose();
  } finally {
    server = null;
    const log = testInfo.outputPath("server.log");
    if (testInfo.status !== testInfo.expectedStatus && existsSync(log)) {
      await testInfo.attach("server.log", { path: log, contentType: "text/plain" });
    }
  }
});

function jobIdOf(answer: PipelinePreviewResponse): string {
  const jobId = answer.full_execution.job_id;
  if (jobId === null) {
    throw new Error("The preview of the whole demo dataset started no full run");
  }
  return jobId;
}

async function fetchJob(
  request: APIRequestContext,
  own: AppServer,
  datasetSourceId: string,
  jobId: string,
): Promise<FullExecutionSignal> {
  const response = await request.get(
    `${own.origin}${API}/pipelines/${datasetSourceId}/full-execution/${jobId}`,
  );
  expect(response.ok()).toBe(true);
  return (await response.json()) as FullExecutionSignal;
}

async function startServer(
  port: number,
  settings: Record<string, string>,
): Promise<AppServer> {
  const started = await AppServer.create(
    port,
    settings,
    test.info().outputPath("server.log"),
  );
  server = started;
  await started.start();
  return started;
}

test("a run that fails shows red with its reason", async ({ page, request }) => {
  const own = await startServer(8766, {
    ML_WORKFLOW_JOB_TIMEOUT_SECONDS: "1",
    ML_WORKFLOW_JOB_CHUNK_ROWS: "2000",
  });
  const demo = await demoDataset(request, own.origin);
  await openDatasetPage(page, demo.id, slowSteps("timeout"), own.origin);

  const jobId = jobIdOf(await preview(page));

  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "failed", { timeout: 120_000 });
  await expect(badge).toHaveText("Failed");
  await expect(page.getByText("The run took longer than 1 s")).toBeVisible();
  await expect(page.getByTestId("cancel-job")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();

  // The page shows the reason; the error code is for programs, so ask the API.
  const signal = await fetchJob(request, own, demo.id, jobId);
  expect(signal.job_status).toBe("failed");
  expect(signal.error).toEqual({
    code: "job_timeout",
    message: "The run took longer than 1 s",
  });
});

test("a run cut short by a server crash finishes after the restart, without a reload", async ({
  page,
  request,
}) => {
  const own = await startServer(8767, { ML_WORKFLOW_JOB_CHUNK_ROWS: "2000" });
  const demo = await demoDataset(request, own.origin);
  await openDatasetPage(page, demo.id, slowSteps("crash"), own.origin);
  let reloaded = false;
  page.on("framenavigated", (frame) => {
    reloaded ||= frame === page.mainFrame();
  });

  const jobId = jobIdOf(await preview(page));
  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "running", { timeout: 90_000 });
  const beforeCrash = await fetchJob(request, own, demo.id, jobId);
  expect(beforeCrash.job_status, "the run must still be going when the server dies").toBe(
    "running",
  );
  expect(beforeCrash.attempt).toBe(1);

  await own.stop("SIGKILL");
  await expect(page.getByText(/^Connection lost, retrying in \d+ s$/)).toBeVisible({
    timeout: 30_000,
  });
  await own.start();

  await expect(badge).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  await expect(badge).toHaveText("Succeeded");
  await expect(page.getByText(/^Connection lost/)).toHaveCount(0);
  await page.getByTestId("job-details-toggle").click();
  const details = page.getByTestId("job-details");
  await expect(details).toContainText(jobId);
  await expect(details.locator('dt:text-is("Attempt") + dd')).toHaveText("2");
  await expect(page.getByText(/^Output: 466,285 rows, \d+ columns\.$/)).toBeVisible();
  expect(reloaded).toBe(false);
});
