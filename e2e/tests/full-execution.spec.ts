import { readFile } from "node:fs/promises";

import { expect, test } from "@playwright/test";

import {
  cancelActiveRuns,
  demoDataset,
  openDatasetPage,
  preview,
  slowSteps,
  startFullRun,
} from "./api";

let datasetSourceId: string;

test.beforeEach(async ({ request }) => {
  datasetSourceId = (await demoDataset(request)).id;
  await cancelActiveRuns(request, datasetSourceId);
});

test("a run waits its turn, then runs and succeeds", async ({ page, request }) => {
  const ahead = await startFullRun(request, datasetSourceId, [
    { type: "drop_columns", columns: ["is_member"] },
    ...slowSteps("ahead"),
  ]);
  expect(ahead.job_id).not.toBeNull();
  await openDatasetPage(page, datasetSourceId, slowSteps("waits"));

  const answer = await preview(page);

  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "queued");
  await expect(badge).toHaveText("Queued");
  await expect(badge).toHaveAttribute("data-status", "running", { timeout: 90_000 });
  await expect(badge).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(badge).toHaveText("Succeeded");

  const toggle = page.getByTestId("job-details-toggle");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByTestId("job-details")).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = page.getByTestId("job-details");
  const jobId = answer.full_execution.job_id;
  expect(jobId).not.toBeNull();
  await expect(details).toContainText(jobId ?? "");
  await expect(details).toContainText("466,285");
});

test("a running job can be cancelled from the page", async ({ page }) => {
  await openDatasetPage(page, datasetSourceId, slowSteps("cancelled"));

  await preview(page);

  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "running", { timeout: 90_000 });
  await page.getByTestId("cancel-job").click();
  await expect(badge).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
  await expect(badge).toHaveText("Cancelled");
  await expect(page.getByTestId("cancel-job")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
});

test("a finished run's result downloads as Parquet and as CSV", async ({ page }) => {
  await openDatasetPage(page, datasetSourceId, [
    { type: "drop_columns", columns: ["signup_date"] },
    { type: "fill_missing", columns: ["income"], strategy: "mean" },
  ]);

  await preview(page);

  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  const link = page.getByTestId("download-result");

  const parquetDownload = page.waitForEvent("download");
  await link.click();
  const parquet = await readFile(await (await parquetDownload).path());
  expect(parquet.length).toBeGreaterThan(8);
  expect(parquet.subarray(0, 4).toString("latin1")).toBe("PAR1");
  expect(parquet.subarray(-4).toString("latin1")).toBe("PAR1");

  await page.getByLabel("Format").selectOption("csv");
  const csvDownload = page.waitForEvent("download");
  await link.click();
  const csv = await readFile(await (await csvDownload).path(), "utf8");
  const [header] = csv.split("\n", 1);
  expect(header?.split(",")).toContain("transaction_id");
  expect(header?.split(",")).not.toContain("signup_date");
});
