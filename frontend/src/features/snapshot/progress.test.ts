import { describe, expect, it } from "vitest";

import { makeSignal } from "../../test/factories";
import { estimateRemainingSeconds, progressPercent } from "./progress";

describe("progressPercent", () => {
  it("is the processed share of the dataset", () => {
    expect(
      progressPercent(makeSignal({ processed_rows: 116571, total_rows: 466285 })),
    ).toBeCloseTo(25, 1);
  });

  it("is full once the run succeeded", () => {
    expect(
      progressPercent(makeSignal({ job_status: "succeeded", processed_rows: 0 })),
    ).toBe(100);
  });
});

describe("estimateRemainingSeconds", () => {
  it("extrapolates the rate seen since the attempt started", () => {
    const signal = makeSignal({
      job_status: "running",
      total_rows: 400000,
      processed_rows: 100000,
      started_at: "2025-01-02T10:00:00Z",
      updated_at: "2025-01-02T10:00:10Z",
    });

    expect(estimateRemainingSeconds(signal)).toBeCloseTo(30);
  });

  it("has no estimate before any row is processed or when not running", () => {
    const started = {
      started_at: "2025-01-02T10:00:00Z",
      updated_at: "2025-01-02T10:00:10Z",
    };
    expect(
      estimateRemainingSeconds(makeSignal({ job_status: "running", ...started })),
    ).toBeNull();
    expect(
      estimateRemainingSeconds(
        makeSignal({ job_status: "queued", processed_rows: 5, ...started }),
      ),
    ).toBeNull();
  });
});
