import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import type { ColumnSchema, Step } from "../../api/types";
import { PipelineEditor } from "./PipelineEditor";

const columns: ColumnSchema[] = [
  { name: "age", dtype: "int" },
  { name: "city", dtype: "string" },
  { name: "income", dtype: "float" },
];

function renderEditor(initial: Step[] = [], stepErrors: Record<number, string> = {}) {
  const changes = vi.fn<(steps: Step[]) => void>();
  function Harness() {
    const [steps, setSteps] = useState(initial);
    return (
      <PipelineEditor
        columns={columns}
        steps={steps}
        stepErrors={stepErrors}
        onChange={(next) => {
          changes(next);
          setSteps(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { user: userEvent.setup(), latest: () => changes.mock.lastCall?.[0] };
}

function button(element: HTMLElement): HTMLButtonElement {
  return element as HTMLButtonElement;
}

function input(element: HTMLElement): HTMLInputElement {
  return element as HTMLInputElement;
}

function step(index: number) {
  return within(screen.getByTestId(`step-${index}`));
}

describe("PipelineEditor", () => {
  it("adds a step of the chosen type with the schema's defaults", async () => {
    const { user, latest } = renderEditor();

    await user.selectOptions(screen.getByTestId("step-type-select"), "one_hot_encode");
    await user.click(screen.getByTestId("add-step"));

    expect(latest()).toEqual([
      { type: "one_hot_encode", columns: [], max_categories: 20 },
    ]);
    expect(step(0).getByRole("heading").textContent).toContain("1. One hot encode");
  });

  it("edits a step's fields through the form its schema describes", async () => {
    const { user, latest } = renderEditor([
      { type: "fill_missing", columns: [], strategy: "mean" },
    ]);

    await user.click(step(0).getByRole("checkbox", { name: "income (float)" }));
    await user.click(step(0).getByRole("checkbox", { name: "age (int)" }));
    await user.selectOptions(step(0).getByLabelText("Strategy"), "constant");
    await user.type(step(0).getByLabelText("Value (optional)"), "0");

    expect(latest()).toEqual([
      {
        type: "fill_missing",
        columns: ["income", "age"],
        strategy: "constant",
        value: 0,
      },
    ]);
  });

  it("reads a filter value as a list when it has commas", async () => {
    const { user, latest } = renderEditor([
      { type: "filter_rows", column: "city", operator: "eq" },
    ]);

    await user.selectOptions(step(0).getByLabelText("Operator"), "in");
    await user.type(step(0).getByLabelText("Value (optional)"), "Oslo, Lima, 3");

    expect(latest()).toEqual([
      { type: "filter_rows", column: "city", operator: "in", value: ["Oslo", "Lima", 3] },
    ]);
    expect(input(step(0).getByLabelText("Value (optional)")).value).toBe("Oslo, Lima, 3");
  });

  it("gives number inputs the schema's bounds", () => {
    renderEditor([{ type: "bin", column: "age", bins: 5 }]);

    const bins = step(0).getByLabelText("Bins");

    expect([bins.getAttribute("min"), bins.getAttribute("max")]).toEqual(["2", "1000"]);
    expect(step(0).getByText("From 2 to 1000.")).not.toBeNull();
  });

  it("clears an optional number and sets another", async () => {
    const { user, latest } = renderEditor([{ type: "clip", columns: ["age"], lower: 1 }]);

    await user.clear(step(0).getByLabelText("Lower (optional)"));
    await user.type(step(0).getByLabelText("Upper (optional)"), "99.5");

    expect(latest()).toEqual([{ type: "clip", columns: ["age"], upper: 99.5 }]);
  });

  it("offers the columns as they stand before each step", async () => {
    const { user } = renderEditor([
      { type: "rename_columns", mapping: { age: "years" } },
      { type: "drop_columns", columns: ["city"] },
      { type: "standard_scale", columns: [] },
    ]);

    const offered = (index: number) =>
      step(index)
        .getAllByRole("checkbox")
        .map((box) => box.closest("label")?.textContent);

    expect(offered(1)).toEqual(["years (int)", "city (string)", "income (float)"]);
    expect(offered(2)).toEqual(["years (int)", "income (float)"]);

    await user.click(screen.getByTestId("remove-step-1"));

    expect(offered(1)).toEqual(["years (int)", "city (string)", "income (float)"]);
  });

  it("offers a single column as a choice of the current columns", () => {
    renderEditor([
      { type: "drop_columns", columns: ["income"] },
      { type: "bin", column: "age", bins: 4 },
    ]);

    const options = within(step(1).getByLabelText("Column")).getAllByRole("option");

    expect(options.map((option) => option.textContent)).toEqual([
      "age (int)",
      "city (string)",
    ]);
  });

  it("offers the columns a datetime_parts step adds to the steps after it", async () => {
    const { user, latest } = renderEditor([
      { type: "datetime_parts", column: "age", parts: [] },
      { type: "drop_columns", columns: [] },
    ]);

    await user.click(step(0).getByRole("checkbox", { name: "year" }));
    await user.click(step(1).getByRole("checkbox", { name: "age_year (int)" }));

    expect(latest()).toEqual([
      { type: "datetime_parts", column: "age", parts: ["year"] },
      { type: "drop_columns", columns: ["age_year"] },
    ]);
  });

  it("renames columns through rows of old and new names", async () => {
    const { user, latest } = renderEditor([{ type: "rename_columns", mapping: {} }]);

    await user.click(step(0).getByRole("button", { name: "Add rename" }));
    await user.selectOptions(step(0).getByLabelText("Old name 1"), "city");
    await user.type(step(0).getByLabelText("New name 1"), "town");

    expect(latest()).toEqual([{ type: "rename_columns", mapping: { city: "town" } }]);
  });

  it("switches a derive's right side between a number and a column", async () => {
    const { user, latest } = renderEditor([
      { type: "derive", output: "ratio", left: "income", operator: "div", right: 2 },
    ]);

    await user.selectOptions(step(0).getByLabelText("Right: column or number"), "column");
    await user.selectOptions(step(0).getByLabelText("Right"), "age");

    expect(latest()).toEqual([
      { type: "derive", output: "ratio", left: "income", operator: "div", right: "age" },
    ]);
  });

  it("moves steps up and down, keeping the focus on the moved step", async () => {
    const { user, latest } = renderEditor([
      { type: "drop_columns", columns: ["city"] },
      { type: "log_transform", columns: ["income"] },
      { type: "drop_duplicates" },
    ]);

    expect(button(screen.getByTestId("move-step-up-0")).disabled).toBe(true);
    expect(button(screen.getByTestId("move-step-down-2")).disabled).toBe(true);

    await user.click(screen.getByTestId("move-step-down-0"));

    expect(latest()?.map((s) => s.type)).toEqual([
      "log_transform",
      "drop_columns",
      "drop_duplicates",
    ]);
    expect(document.activeElement).toBe(screen.getByTestId("move-step-down-1"));

    await user.click(screen.getByTestId("move-step-up-2"));

    expect(latest()?.map((s) => s.type)).toEqual([
      "log_transform",
      "drop_duplicates",
      "drop_columns",
    ]);
    expect(step(1).getByRole("heading").textContent).toContain("2. Drop duplicates");
  });

  it("keeps what is being typed with its step when the step moves", async () => {
    const { user } = renderEditor([
      { type: "filter_rows", column: "city", operator: "in" },
      { type: "drop_duplicates" },
    ]);

    await user.type(step(0).getByLabelText("Value (optional)"), "a,");
    await user.click(screen.getByTestId("move-step-up-1"));

    expect(input(step(1).getByLabelText("Value (optional)")).value).toBe("a,");
  });

  it("removes a step", async () => {
    const { user, latest } = renderEditor([
      { type: "drop_columns", columns: ["city"] },
      { type: "drop_duplicates" },
    ]);

    await user.click(screen.getByTestId("remove-step-0"));

    expect(latest()).toEqual([{ type: "drop_duplicates" }]);
    expect(screen.queryByTestId("step-1")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("remove-step-0"));
  });

  it("shows the server's error next to the step it names", () => {
    renderEditor(
      [
        { type: "drop_columns", columns: ["city"] },
        { type: "standard_scale", columns: ["city"] },
      ],
      { 1: "Step 2 (standard_scale): column 'city' does not exist" },
    );

    expect(step(1).getByRole("alert").textContent).toContain(
      "column 'city' does not exist",
    );
    expect(screen.getByTestId("step-error-1")).not.toBeNull();
    expect(step(0).queryByRole("alert")).toBeNull();
    expect(screen.queryByTestId("step-error-0")).toBeNull();
  });

  it("keeps a chosen column that an earlier step has removed, marked as missing", () => {
    renderEditor([
      { type: "drop_columns", columns: ["city"] },
      { type: "filter_rows", column: "city", operator: "is_null" },
    ]);

    const select = step(1).getByLabelText("Column") as HTMLSelectElement;

    expect(select.selectedOptions[0]?.textContent).toBe("city (not found here)");
  });
});
