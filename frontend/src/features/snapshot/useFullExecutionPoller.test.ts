import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { FullExecutionSignal } from "../../api/types";
import { makeSignal } from "../../test/factories";
import { jsonResponse, requestAt, setVisibility, stubFetch } from "../../test/network";
import { useFullExecutionPoller } from "./useFullExecutionPoller";

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function renderPoller(initial: FullExecutionSignal | null) {
  return renderHook(({ signal }) => useFullExecutionPoller(signal), {
    initialProps: { signal: initial },
  });
}

const jobUrl = (jobId: string) =>
  `http://localhost:3000/ml-workflow/api/pipelines/ds-1/full-execution/${jobId}`;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  setVisibility("visible");
});

describe("useFullExecutionPoller", () => {
  it("waits poll_after_seconds before each check", async () => {
    const fetchMock = stubFetch(async () =>
      jsonResponse(makeSignal({ job_status: "running", poll_after_seconds: 1.5 })),
    );
    renderPoller(makeSignal({ poll_after_seconds: 3 }));

    await advance(2999);
    expect(fetchMock).toHaveBeenCalledTimes(0);
    await advance(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(requestAt(fetchMock, 0).url).toMatch(/\/full-execution\/job-1$/);

    await advance(1499);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("waits 5 seconds when the server gives no poll_after_seconds", async () => {
    const fetchMock = stubFetch(async () =>
      jsonResponse(makeSignal({ job_status: "running", poll_after_seconds: null })),
    );
    renderPoller(makeSignal({ poll_after_seconds: null }));

    await advance(4999);
    expect(fetchMock).toHaveBeenCalledTimes(0);
    await advance(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await advance(4999);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("stops once the job reaches a terminal status", async () => {
    const fetchMock = stubFetch(async () =>
      jsonResponse(makeSignal({ job_status: "succeeded", poll_after_seconds: null })),
    );
    const { result } = renderPoller(makeSignal());

    await advance(2000);
    expect(result.current.signal?.job_status).toBe("succeeded");
    expect(result.current.nextCheckAt).toBeNull();

    await advance(120_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("does not poll a signal that is already terminal or has no job", async () => {
    const fetchMock = stubFetch();
    const { rerender } = renderPoller(makeSignal({ job_status: "failed" }));
    await advance(60_000);

    rerender({ signal: makeSignal({ job_id: null, job_status: "not_required" }) });
    await advance(60_000);

    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("never has two requests in flight", async () => {
    const fetchMock = stubFetch();
    renderPoller(makeSignal());

    await advance(2000);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    await advance(60_000);
    setVisibility("hidden");
    setVisibility("visible");
    await advance(60_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("aborts the request in flight and checks no more after unmount", async () => {
    const fetchMock = stubFetch();
    const { unmount } = renderPoller(makeSignal());
    await advance(2000);
    const request = requestAt(fetchMock, 0);
    expect(request.signal.aborted).toBe(false);

    unmount();

    expect(request.signal.aborted).toBe(true);
    await advance(60_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("clears a pending timer on unmount", async () => {
    const fetchMock = stubFetch();
    const { unmount } = renderPoller(makeSignal());
    await advance(1000);

    unmount();

    await advance(60_000);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("starts over when the job changes", async () => {
    const fetchMock = stubFetch();
    const { rerender } = renderPoller(makeSignal({ job_id: "job-1" }));
    await advance(2000);
    const first = requestAt(fetchMock, 0);

    rerender({ signal: makeSignal({ job_id: "job-2", poll_after_seconds: 4 }) });

    expect(first.signal.aborted).toBe(true);
    await advance(3999);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(requestAt(fetchMock, 1).url).toBe(jobUrl("job-2"));
  });

  it("backs off on network errors and says so", async () => {
    let failures = 3;
    const fetchMock = stubFetch(async () => {
      if (failures > 0) {
        failures -= 1;
        throw new TypeError("Failed to fetch");
      }
      return jsonResponse(makeSignal({ job_status: "running" }));
    });
    const { result } = renderPoller(makeSignal());

    await advance(2000);
    expect(result.current.connectionProblem).toBe("Connection lost, retrying in 2 s");
    await advance(2000);
    expect(result.current.connectionProblem).toBe("Connection lost, retrying in 4 s");
    await advance(3999);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await advance(1);
    expect(result.current.connectionProblem).toBe("Connection lost, retrying in 8 s");

    await advance(8000);
    expect(fetchMock).toHaveBeenCalledTimes(4);
    expect(result.current.connectionProblem).toBeNull();
    expect(result.current.signal?.job_status).toBe("running");
  });

  it("caps the backoff at 30 seconds", async () => {
    const fetchMock = stubFetch(async () => {
      throw new TypeError("Failed to fetch");
    });
    const { result } = renderPoller(makeSignal());

    await advance(2000 + 2000 + 4000 + 8000 + 16_000);
    expect(fetchMock).toHaveBeenCalledTimes(5);
    expect(result.current.connectionProblem).toBe("Connection lost, retrying in 30 s");
  });

  it("pauses while the tab is hidden and checks at once when it returns", async () => {
    const fetchMock = stubFetch(async () =>
      jsonResponse(makeSignal({ job_status: "running" })),
    );
    const { result } = renderPoller(makeSignal());
    await advance(1000);

    act(() => setVisibility("hidden"));
    await advance(60_000);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(result.current.paused).toBe(true);

    act(() => setVisibility("visible"));
    await advance(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(result.current.paused).toBe(false);
    expect(result.current.signal?.job_status).toBe("running");
  });

  it("treats 304 as unchanged and sends the last ETag", async () => {
    const answers = [
      jsonResponse(makeSignal({ job_status: "running", processed_rows: 10 }), {
        headers: { ETag: '"v1"' },
      }),
      new Response(null, { status: 304 }),
    ];
    const fetchMock = stubFetch(
      async () => answers.shift() ?? new Response(null, { status: 304 }),
    );
    const { result } = renderPoller(makeSignal());

    await advance(2000);
    await advance(2000);

    expect(requestAt(fetchMock, 0).headers.get("If-None-Match")).toBeNull();
    expect(requestAt(fetchMock, 1).headers.get("If-None-Match")).toBe('"v1"');
    expect(result.current.signal?.processed_rows).toBe(10);
    expect(result.current.connectionProblem).toBeNull();
    await advance(2000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it("stops and says why when the job is gone", async () => {
    const fetchMock = stubFetch(async () =>
      jsonResponse(
        { detail: "Job job-1 does not exist", code: "not_found" },
        { status: 404 },
      ),
    );
    const { result } = renderPoller(makeSignal());

    await advance(2000);
    await advance(60_000);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(result.current.stoppedBecause).toBe("Job job-1 does not exist");
  });

  it("logs each check to the console in a development build", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    stubFetch(async () => jsonResponse(makeSignal({ job_status: "running" })));
    renderPoller(makeSignal());

    await advance(2000);

    expect(import.meta.env.DEV).toBe(true);
    expect(info).toHaveBeenCalledWith(
      "full-execution check",
      expect.objectContaining({ jobId: "job-1", outcome: "answered", status: "running" }),
    );
  });
});
