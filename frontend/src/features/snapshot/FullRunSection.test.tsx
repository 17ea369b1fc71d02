import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { FullExecutionSignal, Step } from "../../api/types";
import { makePreview, makeSignal } from "../../test/factories";
import { jsonResponse, requestAt, stubRoutes } from "../../test/network";
import { FullRunSection } from "./FullRunSection";

const base = "/ml-workflow/api/pipelines/ds-1/full-execution";
const steps: Step[] = [{ type: "fill_missing", columns: ["age"], strategy: "median" }];

function renderSection(signal: FullExecutionSignal) {
  return render(
    <FullRunSection
      datasetSourceId="ds-1"
      preview={makePreview(signal)}
      previewSteps={steps}
    />,
  );
}

const badge = () => screen.getByTestId("full-execution-badge");

describe("FullRunSection", () => {
  it("follows the job through its statuses as the poller answers", async () => {
    vi.useFakeTimers();
    const answers = [
      makeSignal({
        job_status: "running",
        processed_rows: 100000,
        poll_after_seconds: 1,
      }),
      makeSignal({
        job_status: "succeeded",
        processed_rows: 466285,
        poll_after_seconds: null,
        result: {
          row_count: 466285,
          column_count: 3,
          columns: [],
          download_url: `${base}/job-1/result`,
        },
      }),
    ];
    stubRoutes({
      [`GET ${base}`]: () => jsonResponse([]),
      [`GET ${base}/job-1`]: () => jsonResponse(answers.shift()),
    });
    renderSection(makeSignal({ poll_after_seconds: 1 }));
    expect(badge().getAttribute("data-status")).toBe("queued");

    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(badge().getAttribute("data-status")).toBe("running");
    expect(screen.getByText(/100,000 of 466,285 rows processed \(21%\)/)).toBeTruthy();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(badge().getAttribute("data-status")).toBe("succeeded");
    expect(screen.queryByTestId("cancel-job")).toBeNull();
    expect(screen.getByTestId("download-result")).toBeTruthy();
  });

  it("cancels a running job and offers a retry with the same steps", async () => {
    const user = userEvent.setup();
    const fetchMock = stubRoutes({
      [`GET ${base}`]: () => jsonResponse([]),
      [`POST ${base}/job-1/cancel`]: () =>
        jsonResponse(makeSignal({ job_status: "cancelled", poll_after_seconds: null })),
      [`POST ${base}`]: () =>
        jsonResponse(makeSignal({ job_id: "job-2" }), { status: 202 }),
    });
    renderSection(makeSignal({ job_status: "running", poll_after_seconds: 60 }));

    await user.click(screen.getByTestId("cancel-job"));

    await waitFor(() => expect(badge().getAttribute("data-status")).toBe("cancelled"));
    expect(badge().textContent).toBe("Cancelled");
    expect(screen.queryByTestId("cancel-job")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Retry" }));

    await waitFor(() => expect(badge().getAttribute("data-status")).toBe("queued"));
    const retry = fetchMock.mock.calls
      .map(([request]) => request)
      .find((request) => request.method === "POST" && request.url.endsWith(base));
    expect(await retry?.json()).toEqual({ steps });
  });

  it("starts a deferred run with one click", async () => {
    const user = userEvent.setup();
    stubRoutes({
      [`GET ${base}`]: () => jsonResponse([]),
      [`POST ${base}`]: () =>
        jsonResponse(makeSignal({ job_id: "job-9" }), { status: 202 }),
    });
    renderSection(
      makeSignal({ job_id: null, job_status: "deferred", reason: "Asked for later" }),
    );
    expect(badge().textContent).toBe("Deferred");
    expect(screen.getByText("Asked for later")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Start full run" }));

    await waitFor(() => expect(badge().getAttribute("data-status")).toBe("queued"));
  });

  it("links the result in the format chosen", async () => {
    const user = userEvent.setup();
    stubRoutes({ [`GET ${base}`]: () => jsonResponse([]) });
    renderSection(
      makeSignal({
        job_status: "succeeded",
        poll_after_seconds: null,
        result: {
          row_count: 10,
          column_count: 2,
          columns: [],
          download_url: `${base}/job-1/result`,
        },
      }),
    );
    const link = screen.getByTestId("download-result");
    expect(link.getAttribute("href")).toBe(`${base}/job-1/result?format=parquet`);

    await user.selectOptions(screen.getByLabelText("Format"), "csv");

    expect(link.getAttribute("href")).toBe(`${base}/job-1/result?format=csv`);
    expect(link.textContent).toBe("Download CSV");
  });

  it("shows why a cancel was refused", async () => {
    const user = userEvent.setup();
    stubRoutes({
      [`GET ${base}`]: () => jsonResponse([]),
      [`POST ${base}/job-1/cancel`]: () =>
        jsonResponse(
          { detail: "The job already finished", code: "conflict" },
          { status: 409 },
        ),
    });
    renderSection(makeSignal({ job_status: "running", poll_after_seconds: 60 }));

    await user.click(screen.getByTestId("cancel-job"));

    expect((await screen.findByRole("alert")).textContent).toBe(
      "The job already finished",
    );
  });

  it("lists the dataset's runs with their badges and can show an earlier one", async () => {
    const user = userEvent.setup();
    const earlier = makeSignal({
      job_id: "job-0",
      job_status: "failed",
      poll_after_seconds: null,
      pipeline_hash: "ffff0000",
      error: { code: "worker_lost", message: "The worker stopped" },
    });
    const fetchMock = stubRoutes({
      [`GET ${base}`]: () =>
        jsonResponse([makeSignal({ job_status: "running" }), earlier]),
    });
    renderSection(makeSignal({ job_status: "running", poll_after_seconds: 60 }));

    const list = await screen.findByRole("list", { name: "Runs of this dataset" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => item.querySelector(".job-badge")?.textContent)).toEqual([
      "Running",
      "Failed",
    ]);
    expect(items[0]?.textContent).toContain("shown above");
    expect(requestAt(fetchMock, 0).url).toMatch(/\/full-execution$/);

    await user.click(screen.getByRole("button", { name: /Show the run of/ }));

    expect(badge().getAttribute("data-status")).toBe("failed");
    expect(screen.getByText("Error: The worker stopped")).toBeTruthy();
    // The earlier run's steps are unknown here, so it cannot be retried from the page.
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });
});
