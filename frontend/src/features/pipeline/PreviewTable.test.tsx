import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { PipelinePreviewResponse } from "../../api/types";
import { PreviewTable } from "./PreviewTable";

function previewOf(
  overrides: Partial<PipelinePreviewResponse> = {},
): PipelinePreviewResponse {
  return {
    dataset_source_id: "ds-1",
    pipeline_hash: "abc",
    total_rows: 466285,
    sample_rows: 200000,
    output_rows: 199990,
    columns: [
      { name: "age", dtype: "int" },
      { name: "city", dtype: "string" },
    ],
    rows: [
      { age: 31, city: "Oslo" },
      { age: null, city: "Lima" },
    ],
    column_summaries: [
      {
        name: "age",
        dtype: "int",
        null_count: 10,
        distinct_count: 70,
        min: 18,
        max: 90,
        mean: 41.25,
        std: 12.5,
        top_values: [],
        histogram: [
          { lower: 18, upper: 42, count: 120 },
          { lower: 42, upper: 66, count: 60 },
          { lower: 66, upper: 90, count: 0 },
        ],
      },
      {
        name: "city",
        dtype: "string",
        null_count: 0,
        distinct_count: 2,
        min: null,
        max: null,
        mean: null,
        std: null,
        top_values: [
          { value: "Oslo", count: 150000 },
          { value: "Lima", count: 49990 },
        ],
        histogram: [],
      },
    ],
    warnings: [
      {
        step_index: 1,
        code: "cast_unparseable",
        message: "12 values of age did not parse as int",
        count: 12,
      },
    ],
    full_execution: {
      job_id: null,
      dataset_source_id: "ds-1",
      job_status: "deferred",
      reason: null,
      poll_after_seconds: null,
      total_rows: 466285,
      processed_rows: 0,
      output_rows: 0,
      attempt: 0,
      pipeline_hash: "abc",
      created_at: null,
      started_at: null,
      finished_at: null,
      updated_at: null,
      result: null,
      error: null,
    },
    ...overrides,
  };
}

describe("PreviewTable", () => {
  it("shows the output rows under headers that carry the dtype", () => {
    render(<PreviewTable preview={previewOf()} />);

    const table = within(screen.getByTestId("preview-table"));
    const headers = table.getAllByRole("columnheader").map((cell) => cell.textContent);
    const cells = table.getAllByRole("row").map((row) =>
      within(row)
        .queryAllByRole("cell")
        .map((cell) => cell.textContent),
    );

    expect(headers).toEqual(["age int", "city string"]);
    expect(cells.slice(1)).toEqual([
      ["31", "Oslo"],
      ["null", "Lima"],
    ]);
  });

  it("says how many rows were processed and came out", () => {
    render(<PreviewTable preview={previewOf()} />);

    expect(screen.getByTestId("preview-counts").textContent).toBe(
      "200,000 of 466,285 rows processed, 199,990 output rows (showing the first 2)",
    );
  });

  it("lists the warnings by step number", () => {
    render(<PreviewTable preview={previewOf()} />);

    const items = within(screen.getByTestId("preview-warnings")).getAllByRole("listitem");

    expect(items.map((item) => item.textContent)).toEqual([
      "Step 2: 12 values of age did not parse as int (12)",
    ]);
  });

  it("leaves the warnings out when there are none", () => {
    render(<PreviewTable preview={previewOf({ warnings: [] })} />);

    expect(screen.queryByTestId("preview-warnings")).toBeNull();
  });

  it("summarises numbers by their statistics and text by its top values", () => {
    render(<PreviewTable preview={previewOf()} />);

    const age = within(screen.getByTestId("column-summary-age"));
    const city = within(screen.getByTestId("column-summary-city"));
    const terms = (card: typeof age) =>
      card
        .getAllByRole("term")
        .map((term) => [term.textContent, term.nextSibling?.textContent]);

    expect(terms(age)).toEqual([
      ["Nulls", "10"],
      ["Distinct", "70"],
      ["Min", "18"],
      ["Max", "90"],
      ["Mean", "41.25"],
      ["Std", "12.5"],
    ]);
    expect(terms(city)).toEqual([
      ["Nulls", "0"],
      ["Distinct", "2"],
    ]);
    expect(city.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "Oslo 150,000",
      "Lima 49,990",
    ]);
  });

  it("draws one bar per histogram bin, scaled to the tallest", () => {
    render(<PreviewTable preview={previewOf()} />);

    const histogram = screen.getByTestId("histogram-age");
    const heights = [...histogram.querySelectorAll("rect")].map((bar) =>
      Number(bar.getAttribute("height")),
    );
    const titles = [...histogram.querySelectorAll("title")].map(
      (title) => title.textContent,
    );

    expect(histogram.getAttribute("aria-label")).toBe(
      "Histogram of age: 3 bins from 18 to 90",
    );
    expect(heights).toEqual([48, 24, 0]);
    expect(titles[0]).toBe("18 to 42: 120");
    expect(screen.queryByTestId("histogram-city")).toBeNull();
  });

  it("says so when the steps leave no rows", () => {
    render(<PreviewTable preview={previewOf({ rows: [], output_rows: 0 })} />);

    expect(screen.getByTestId("preview-table").textContent).toContain(
      "No rows are left after these steps.",
    );
  });
});
