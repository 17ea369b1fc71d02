import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Step } from "../../api/types";
import { makePreview, makeSignal } from "../../test/factories";
import { jsonResponse, requestAt, stubFetch } from "../../test/network";
import { stepErrorsOf, usePipelinePreview } from "./usePipelinePreview";

const steps: Step[] = [
  { type: "drop_columns", columns: ["id"] },
  { type: "fill_missing", columns: ["nope"], strategy: "mean" },
];

function answerStepOneIsInvalid() {
  return stubFetch(async () =>
    jsonResponse(
      { detail: "Column nope does not exist", code: "invalid_step", step_index: 1 },
      { status: 422 },
    ),
  );
}

/** The hook as the page uses it: `editorSteps` are what the editor holds now. */
function renderWithEditor(editorSteps: Step[]) {
  return renderHook(
    ({ editorSteps }: { editorSteps: Step[] }) => usePipelinePreview("ds-1", editorSteps),
    { initialProps: { editorSteps } },
  );
}

describe("stepErrorsOf", () => {
  it("reads the step index of an invalid step", () => {
    const body = {
      detail: "Column nope does not exist",
      code: "invalid_step",
      step_index: 1,
    };
    expect(stepErrorsOf(body)).toEqual({ 1: "Column nope does not exist" });
  });

  it("reads step indexes from the locations of validation errors", () => {
    const body = {
      detail: "The request is not valid",
      code: "validation_error",
      errors: [
        { loc: ["body", "steps", 0, "drop_columns", "columns"], msg: "List too short" },
        { loc: ["body", "row_limit"], msg: "Too large" },
      ],
    };
    expect(stepErrorsOf(body)).toEqual({ 0: "List too short" });
  });

  it("gives each step only its own problems, in the server's words", () => {
    const body = {
      detail: "Step 1 (fill_missing): columns: too short; Step 2 (clip): ...",
      code: "validation_error",
      step_index: 0,
      errors: [
        {
          loc: ["body", "steps", 0, "fill_missing", "columns"],
          msg: "too short",
          message: "Step 1 (fill_missing): columns: too short",
          step_index: 0,
        },
        {
          loc: ["body", "steps", 1, "clip", "lower"],
          msg: "not a number",
          message: "Step 2 (clip): lower: not a number",
          step_index: 1,
        },
        {
          loc: ["body", "steps", 1, "clip", "upper"],
          msg: "not a number",
          message: "Step 2 (clip): upper: not a number",
          step_index: 1,
        },
      ],
    };
    expect(stepErrorsOf(body)).toEqual({
      0: "Step 1 (fill_missing): columns: too short",
      1: "Step 2 (clip): lower: not a number; Step 2 (clip): upper: not a number",
    });
  });

  it("finds nothing in a body of another shape", () => {
    expect(stepErrorsOf({ detail: [{ msg: "x" }] })).toEqual({});
    expect(stepErrorsOf(null)).toEqual({});
  });
});

describe("usePipelinePreview", () => {
  it("keeps the preview and the steps it ran", async () => {
    const preview = makePreview(makeSignal());
    const fetchMock = stubFetch(async () => jsonResponse(preview));
    const { result } = renderHook(() => usePipelinePreview("ds-1", steps));

    await act(() => result.current.run(steps));

    expect(result.current.preview).toEqual(preview);
    expect(result.current.previewSteps).toEqual(steps);
    const request = requestAt(fetchMock, 0);
    expect(new URL(request.url).pathname).toBe("/ml-workflow/api/pipelines/preview");
    expect(await request.json()).toEqual({
      dataset_source_id: "ds-1",
      steps,
      run_full_execution: true,
    });
  });

  it("maps a 422 with a step index onto that step", async () => {
    answerStepOneIsInvalid();
    const { result } = renderHook(() => usePipelinePreview("ds-1", steps));

    await act(() => result.current.run(steps));

    expect(result.current.stepErrors).toEqual({ 1: "Column nope does not exist" });
    expect(result.current.preview).toBeNull();
    expect(result.current.running).toBe(false);
  });

  it("drops step errors once a step is removed, since their indexes moved", async () => {
    answerStepOneIsInvalid();
    const { result, rerender } = renderWithEditor(steps);
    await act(() => result.current.run(steps));
    expect(result.current.stepErrors).toEqual({ 1: "Column nope does not exist" });

    rerender({ editorSteps: steps.slice(1) });

    expect(result.current.stepErrors).toEqual({});
    expect(result.current.error).toBeNull();
  });

  it("drops step errors once steps are moved or edited", async () => {
    answerStepOneIsInvalid();
    const { result, rerender } = renderWithEditor(steps);
    await act(() => result.current.run(steps));

    rerender({ editorSteps: [...steps].reverse() });
    expect(result.current.stepErrors).toEqual({});

    rerender({
      editorSteps: [
        steps[0] as Step,
        { type: "fill_missing", columns: ["age"], strategy: "mean" },
      ],
    });
    expect(result.current.stepErrors).toEqual({});
  });

  it("keeps step errors while the editor holds equal steps", async () => {
    answerStepOneIsInvalid();
    const { result, rerender } = renderWithEditor(steps);
    await act(() => result.current.run(steps));

    rerender({ editorSteps: structuredClone(steps) });

    expect(result.current.stepErrors).toEqual({ 1: "Column nope does not exist" });
    expect(result.current.error).toBe(
      "Some steps need fixing before the preview can run.",
    );
  });

  it("does not put an answer about steps edited meanwhile on the new steps", async () => {
    let answer: (response: Response) => void = () => {};
    stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { result, rerender } = renderWithEditor(steps);
    let running: Promise<void> = Promise.resolve();
    act(() => {
      running = result.current.run(steps);
    });

    rerender({ editorSteps: steps.slice(1) });
    await act(async () => {
      answer(
        jsonResponse(
          { detail: "Column nope does not exist", code: "invalid_step", step_index: 0 },
          { status: 422 },
        ),
      );
      await running;
    });

    expect(result.current.stepErrors).toEqual({});
    expect(result.current.running).toBe(false);
  });

  it("shows any other error as a message", async () => {
    stubFetch(async () =>
      jsonResponse(
        { detail: "Dataset ds-1 does not exist", code: "not_found" },
        { status: 404 },
      ),
    );
    const { result } = renderHook(() => usePipelinePreview("ds-1", steps));

    await act(() => result.current.run([]));

    expect(result.current.error).toBe("Dataset ds-1 does not exist");
    expect(result.current.stepErrors).toEqual({});
  });

  it("says so when the server cannot be reached", async () => {
    stubFetch(async () => {
      throw new TypeError("Failed to fetch");
    });
    const { result } = renderHook(() => usePipelinePreview("ds-1", steps));

    await act(() => result.current.run([]));

    expect(result.current.error).toBe("Failed to fetch");
  });
});
