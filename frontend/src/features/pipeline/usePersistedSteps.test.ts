import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Step } from "../../api/types";
import { storageKeyFor, usePersistedSteps } from "./usePersistedSteps";

const steps: Step[] = [
  { type: "drop_columns", columns: ["city"] },
  { type: "fill_missing", columns: ["age"], strategy: "constant", value: 0 },
];

describe("usePersistedSteps", () => {
  it("keeps the steps across a reload", () => {
    const first = renderHook(() => usePersistedSteps("ds-1"));
    act(() => first.result.current[1](steps));
    first.unmount();

    const second = renderHook(() => usePersistedSteps("ds-1"));

    expect(second.result.current[0]).toEqual(steps);
  });

  it("keeps each dataset's steps apart", () => {
    const { result, rerender } = renderHook(({ id }) => usePersistedSteps(id), {
      initialProps: { id: "ds-1" },
    });
    act(() => result.current[1](steps));

    rerender({ id: "ds-2" });
    expect(result.current[0]).toEqual([]);

    rerender({ id: "ds-1" });
    expect(result.current[0]).toEqual(steps);
  });

  it("starts empty when the stored text is not JSON", () => {
    localStorage.setItem(storageKeyFor("ds-1"), "[{not json");

    const { result } = renderHook(() => usePersistedSteps("ds-1"));

    expect(result.current[0]).toEqual([]);
  });

  it("drops stored entries that are not steps and keeps the rest", () => {
    const stored = [
      steps[0],
      { type: "launch_rockets" },
      { type: "drop_columns", columns: "city" },
      { type: "cast", columns: ["age"] },
      null,
      steps[1],
    ];
    localStorage.setItem(storageKeyFor("ds-1"), JSON.stringify(stored));

    const { result } = renderHook(() => usePersistedSteps("ds-1"));

    expect(result.current[0]).toEqual(steps);
  });

  it("starts empty when the stored JSON is not a list", () => {
    localStorage.setItem(storageKeyFor("ds-1"), JSON.stringify({ steps }));

    const { result } = renderHook(() => usePersistedSteps("ds-1"));

    expect(result.current[0]).toEqual([]);
  });
});
