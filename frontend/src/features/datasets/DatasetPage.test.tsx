import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";

import type { DatasetSource, Step } from "../../api/types";
import { storageKeyFor } from "../pipeline/usePersistedSteps";
import { makePreview, makeSignal } from "../../test/factories";
import { jsonResponse, stubRoutes } from "../../test/network";
import { DatasetPage } from "./DatasetPage";

const demo: DatasetSource = {
  id: "ds-1",
  name: "demo",
  format: "parquet",
  row_count: 466285,
  column_count: 2,
  columns: [
    { name: "age", dtype: "int" },
    { name: "city", dtype: "string" },
  ],
  size_bytes: 13_496_730,
  created_at: "2025-01-02T10:00:00Z",
};

const steps: Step[] = [{ type: "fill_missing", columns: ["age"], strategy: "median" }];

function renderPage(saved: Step[] = steps) {
  localStorage.setItem(storageKeyFor("ds-1"), JSON.stringify(saved));
  return render(
    <MemoryRouter initialEntries={["/datasets/ds-1"]}>
      <Routes>
        <Route path="/datasets/:datasetSourceId" element={<DatasetPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

/** The page's own routes, with `answer` for the preview request. */
function stubPage(answer: (request: Request) => Response | Promise<Response>) {
  stubRoutes({
    "GET /ml-workflow/api/datasets/ds-1": () => jsonResponse(demo),
    "GET /ml-workflow/api/pipelines/ds-1/full-execution": () => jsonResponse([]),
    "POST /ml-workflow/api/pipelines/preview": answer,
  });
}

describe("DatasetPage", () => {
  it("previews the saved steps and shows the full run it started", async () => {
    const user = userEvent.setup();
    let sent: unknown;
    stubPage(async (request) => {
      sent = await request.json();
      return jsonResponse(makePreview(makeSignal({ poll_after_seconds: 60 })));
    });
    renderPage();

    expect(await screen.findByRole("heading", { level: 1, name: "demo" })).toBeTruthy();
    expect(screen.getByText("466,285 rows")).toBeTruthy();
    await user.click(screen.getByTestId("preview-button"));

    const badge = await screen.findByTestId("full-execution-badge");
    expect(badge.getAttribute("data-status")).toBe("queued");
    expect(sent).toEqual({ dataset_source_id: "ds-1", steps, run_full_execution: true });
  });

  it("leaves the full run deferred when asked to, with Start one click away", async () => {
    const user = userEvent.setup();
    let sent: unknown;
    stubPage(async (request) => {
      sent = await request.json();
      const deferred = makeSignal({
        job_id: null,
        job_status: "deferred",
        poll_after_seconds: null,
      });
      return jsonResponse(makePreview(deferred));
    });
    renderPage();

    await user.click(await screen.findByTestId("run-full-execution"));
    await user.click(screen.getByTestId("preview-button"));

    const badge = await screen.findByTestId("full-execution-badge");
    expect(badge.getAttribute("data-status")).toBe("deferred");
    expect(sent).toEqual({ dataset_source_id: "ds-1", steps, run_full_execution: false });
    expect(screen.getByRole("button", { name: /start/i })).toBeTruthy();
  });

  it("puts a 422 about one step on that step", async () => {
    const user = userEvent.setup();
    stubPage(() =>
      jsonResponse(
        {
          detail: "Column age has no numbers to take a median of",
          code: "invalid_step",
          step_index: 0,
        },
        { status: 422 },
      ),
    );
    renderPage();

    await user.click(await screen.findByTestId("preview-button"));

    await waitFor(() =>
      expect(
        screen.getByText("Column age has no numbers to take a median of"),
      ).toBeTruthy(),
    );
    expect(screen.queryByTestId("full-execution-badge")).toBeNull();
  });

  it("takes a step's error away once the steps change under it", async () => {
    const user = userEvent.setup();
    stubPage(() =>
      jsonResponse(
        {
          detail: "Column city is not numeric",
          code: "invalid_step",
          step_index: 1,
        },
        { status: 422 },
      ),
    );
    renderPage([...steps, { type: "standard_scale", columns: ["city"] }]);

    await user.click(await screen.findByTestId("preview-button"));
    expect((await screen.findByTestId("step-error-1")).textContent).toBe(
      "Column city is not numeric",
    );
    expect(screen.queryByTestId("step-error-0")).toBeNull();

    await user.click(screen.getByTestId("remove-step-0"));

    // The scaling step is now step 0; the error about index 1 belonged to the old order.
    expect(screen.getByTestId("step-0").textContent).toContain("Standard scale");
    expect(screen.queryByTestId("step-error-0")).toBeNull();
    expect(screen.queryByTestId("step-error-1")).toBeNull();
    expect(
      screen.queryByText("Some steps need fixing before the preview can run."),
    ).toBeNull();
  });

  it("says so when the dataset does not exist", async () => {
    stubRoutes({});
    renderPage();

    expect((await screen.findByRole("alert")).textContent).toBe(
      "No route /ml-workflow/api/datasets/ds-1",
    );
  });
});
