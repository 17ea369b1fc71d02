import { act, render } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { NextCheckCountdown } from "./NextCheckCountdown";

describe("NextCheckCountdown", () => {
  it("counts down every second", async () => {
    vi.useFakeTimers();
    const { container } = render(
      <NextCheckCountdown active={true} nextCheckAt={Date.now() + 5000} paused={false} />,
    );
    expect(container.textContent).toBe("in 5 s");

    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });

    expect(container.textContent).toBe("in 3 s");
  });
});
