import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect, test, type Locator, type Page } from "@playwright/test";

import type { DatasetSource } from "../../frontend/src/api/types";
import { API, pressPreview, preview } from "./api";

// Six orders: `amount` has two blanks, `segment` is a category, `items` a count.
const ORDERS_CSV = [
  "amount,segment,items",
  "12.5,retail,3",
  ",wholesale,1",
  "7.25,retail,4",
  ",online,2",
  "30,retail,5",
  "18.75,online,1",
  "",
].join("\n");

let csvDir: string;
let csvPath: string;

test.beforeEach(async () => {
  csvDir = await mkdtemp(join(tmpdir(), "ml-workflow-e2e-csv-"));
  csvPath = join(csvDir, "orders.csv");
  await writeFile(csvPath, ORDERS_CSV);
});

test.afterEach(async () => {
  await rm(csvDir, { recursive: true, force: true });
});

/** Uploads the file through the list page's picker and gives back the new dataset. */
async function upload(page: Page, name: string, path: string): Promise<DatasetSource> {
  await page.goto("/");
  await page.getByLabel("Dataset name (optional)").fill(name);
  const answer = page.waitForResponse(
    (response) =>
      response.url().endsWith(`${API}/datasets`) &&
      response.request().method() === "POST",
  );
  await page.getByTestId("dataset-upload").setInputFiles(path);
  const response = await answer;
  expect(response.status()).toBe(201);
  await expect(page.getByTestId("upload-status")).toHaveText(
    `Uploaded ${name}: 6 rows, 3 columns.`,
  );
  return (await response.json()) as DatasetSource;
}

/** Appends a step of this type with the editor's own "Add step" control. */
async function addStep(page: Page, label: string, index: number): Promise<void> {
  await page.getByTestId("step-type-select").selectOption({ label });
  await page.getByTestId("add-step").click();
  await expect(step(page, index)).toContainText(`${index + 1}. ${label}`);
}

function step(page: Page, index: number): Locator {
  return page.getByTestId(`step-${index}`);
}

async function tick(card: Locator, option: string): Promise<void> {
  await card.getByRole("checkbox", { name: option, exact: true }).check();
}

test("a pipeline built in the editor previews, and a bad step shows its error", async ({
  page,
}) => {
  const name = `orders-${Date.now().toString(36)}`;
  const dataset = await upload(page, name, csvPath);
  expect(dataset.columns).toEqual([
    { name: "amount", dtype: "float" },
    { name: "segment", dtype: "string" },
    { name: "items", dtype: "int" },
  ]);

  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${dataset.id}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("No steps yet")).toBeVisible();

  await addStep(page, "Fill missing", 0);
  await tick(step(page, 0), "amount (float)");
  await step(page, 0).getByLabel("Strategy").selectOption("mean");

  await addStep(page, "Standard scale", 1);
  await tick(step(page, 1), "amount (float)");
  await tick(step(page, 1), "items (int)");

  await addStep(page, "One hot encode", 2);
  await tick(step(page, 2), "segment (string)");

  const sent = page.waitForRequest((request) =>
    request.url().endsWith(`${API}/pipelines/preview`),
  );
  const answer = await preview(page);
  expect((await sent).postDataJSON()).toEqual({
    dataset_source_id: dataset.id,
    steps: [
      { type: "fill_missing", columns: ["amount"], strategy: "mean" },
      { type: "standard_scale", columns: ["amount", "items"] },
      { type: "one_hot_encode", columns: ["segment"], max_categories: 20 },
    ],
    run_full_execution: true,
  });
  expect(answer.full_execution.job_status).toBe("not_required");

  const table = page.getByTestId("preview-table");
  await expect(table).toBeVisible();
  await expect(table.locator("thead th")).toHaveText([
    "amount float",
    "segment_online int",
    "segment_retail int",
    "segment_wholesale int",
    "items float",
  ]);
  await expect(table.locator("tbody tr")).toHaveCount(6);
  // The blanks were filled with the mean before scaling, so they sit at the new mean, 0.
  for (const row of [1, 3]) {
    const filled = table.locator("tbody tr").nth(row).locator("td").first();
    expect(Math.abs(Number(await filled.textContent()))).toBeLessThan(1e-9);
  }
  await expect(table.locator("td.preview-null")).toHaveCount(0);
  await expect(page.getByTestId("preview-counts")).toHaveText(
    "6 of 6 rows processed, 6 output rows",
  );
  await expect(page.getByTestId("histogram-amount")).toBeVisible();
  await expect(page.getByTestId("histogram-items")).toBeVisible();
  const badge = page.getByTestId("full-execution-badge");
  await expect(badge).toHaveAttribute("data-status", "not_required");
  await expect(badge).toHaveText("Complete");

  // The new step lands last, after the encoding has dropped `segment`; moved up one
  // place it sees `segment` again, and scaling a text column is refused.
  await addStep(page, "Standard scale", 3);
  await expect(
    step(page, 3).getByRole("checkbox", { name: "segment (string)" }),
  ).toHaveCount(0);
  await page.getByTestId("move-step-up-3").click();
  await expect(step(page, 2)).toContainText("Standard scale");
  await expect(step(page, 3)).toContainText("One hot encode");
  await tick(step(page, 2), "segment (string)");

  const refused = await pressPreview(page);
  expect(refused.status).toBe(422);
  expect(refused.body).toMatchObject({ code: "invalid_step", step_index: 2 });

  const error = page.getByTestId("step-error-2");
  await expect(error).toBeVisible();
  await expect(error).toContainText("segment");
  await expect(error).toContainText("standard_scale");
  await expect(step(page, 2).getByTestId("step-error-2")).toHaveCount(1);
  for (const other of [0, 1, 3]) {
    await expect(page.getByTestId(`step-error-${other}`)).toHaveCount(0);
  }
  await expect(
    page.getByRole("alert").filter({ hasText: "Some steps need fixing" }),
  ).toBeVisible();

  // Removing the bad step shifts the ones after it, so its error must go with it.
  await page.getByTestId("remove-step-2").click();
  await expect(page.locator('[data-testid^="step-error-"]')).toHaveCount(0);
  await expect(page.getByText("Some steps need fixing")).toHaveCount(0);
  await expect(step(page, 2)).toContainText("One hot encode");

  await preview(page);
  await expect(table.locator("thead th")).toHaveCount(5);
  await expect(page.getByTestId("histogram-amount")).toBeVisible();
});
