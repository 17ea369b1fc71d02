import { useCallback, useEffect, useRef, useState } from "react";

import { api } from "../../api/client";
import { describeError, isAbortError } from "../../api/errors";
import type { FullExecutionSignal } from "../../api/types";
import { isActiveStatus } from "./jobStatus";

export const DEFAULT_POLL_MS = 5000;
export const MAX_BACKOFF_MS = 30_000;

export interface PollerState {
  /** The latest known state of the followed run, or null when there is none. */
  signal: FullExecutionSignal | null;
  /** When the next check is due, in epoch milliseconds; null when none is scheduled. */
  nextCheckAt: number | null;
  /** True while the tab is hidden and a check is waiting for it to come back. */
  paused: boolean;
  /** Set while checks fail; says when the next try is. */
  connectionProblem: string | null;
  /** Why polling stopped before a terminal status (for example, the job is gone). */
  stoppedBecause: string | null;
}

export interface FullExecutionPoller extends PollerState {
  /** Follow this signal from now on: a cancel or restart answer, a run from the list. */
  follow: (signal: FullExecutionSignal) => void;
}

export function pollDelayMs(signal: FullExecutionSignal | null): number {
  const seconds = signal?.poll_after_seconds;
  return typeof seconds === "number" && seconds > 0 ? seconds * 1000 : DEFAULT_POLL_MS;
}

/** 2 s after the first failure, doubling up to 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(2 ** failures * 1000, MAX_BACKOFF_MS);
}

function idleState(signal: FullExecutionSignal | null): PollerState {
  return {
    signal,
    nextCheckAt: null,
    paused: false,
    connectionProblem: null,
    stoppedBecause: null,
  };
}

function logCheck(jobId: string, outcome: string, fields: Record<string, unknown> = {}) {
  if (import.meta.env.DEV) {
    console.info("full-execution check", { jobId, outcome, ...fields });
  }
}

/**
 * Follows one full-dataset run until it reaches a terminal status. A new `initial`
 * (a new preview answer) replaces whatever was followed before.
 */
export function useFullExecutionPoller(
  initial: FullExecutionSignal | null,
): FullExecutionPoller {
  const [source, setSource] = useState(initial);
  const [state, setState] = useState<PollerState>(() => idleState(initial));

  if (initial !== source) {
    setSource(initial);
    setState(idleState(initial));
  }

  const followed = state.signal;
  const latest = useRef(followed);
  useEffect(() => {
    latest.current = followed;
  });

  const datasetSourceId = followed?.dataset_source_id ?? null;
  const jobId = followed?.job_id ?? null;
  const active = followed !== null && isActiveStatus(followed.job_status);

  useEffect(() => {
    if (datasetSourceId === null || jobId === null || !active) {
      return;
    }

    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | null = null;
    let waitingForVisible = false;
    let failures = 0;
    let etag: string | null = null;

    const pause = () => {
      waitingForVisible = true;
      setState((s) => ({ ...s, nextCheckAt: null, paused: true }));
    };

    const schedule = (delayMs: number) => {
      if (document.visibilityState === "hidden") {
        pause();
        return;
      }
      timer = setTimeout(() => void check(), delayMs);
      setState((s) => ({ ...s, nextCheckAt: Date.now() + delayMs, paused: false }));
    };

    const retryLater = (problem: string) => {
      failures += 1;
      const delayMs = backoffMs(failures);
      const message = `${problem}, retrying in ${delayMs / 1000} s`;
      setState((s) => ({ ...s, connectionProblem: message }));
      logCheck(jobId, "failed", { problem, retryInMs: delayMs });
      schedule(delayMs);
    };

    const check = async () => {
      timer = undefined;
      if (document.visibilityState === "hidden") {
        pause();
        return;
      }

      controller = new AbortController();
      setState((s) => ({ ...s, nextCheckAt: null }));
      let answer;
      try {
        answer = await api.GET(
          "/ml-workflow/api/pipelines/{dataset_source_id}/full-execution/{job_id}",
          {
            params: { path: { dataset_source_id: datasetSourceId, job_id: jobId } },
            headers: etag === null ? {} : { "If-None-Match": etag },
            signal: controller.signal,
          },
        );
      } catch (error) {
        if (!stopped && !isAbortError(error)) {
          retryLater("Connection lost");
        }
        return;
      } finally {
        controller = null;
      }
      if (stopped) {
        return;
      }

      const { data, error, response } = answer;
      if (response.status === 304) {
        failures = 0;
        setState((s) => ({ ...s, connectionProblem: null }));
        logCheck(jobId, "unchanged");
        schedule(pollDelayMs(latest.current));
        return;
      }
      if (response.status >= 500) {
        retryLater(`The server answered ${response.status}`);
        return;
      }
      if (data === undefined) {
        const reason = describeError(error, response);
        setState((s) => ({ ...s, nextCheckAt: null, stoppedBecause: reason }));
        logCheck(jobId, "stopped", { status: response.status, reason });
        return;
      }

      failures = 0;
      etag = response.headers.get("ETag");
      latest.current = data;
      setState((s) => ({ ...s, signal: data, connectionProblem: null }));
      logCheck(jobId, "answered", { status: data.job_status, rows: data.processed_rows });
      if (isActiveStatus(data.job_status)) {
        schedule(pollDelayMs(data));
      }
    };

    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") {
        if (timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
          pause();
        }
        return;
      }
      if (waitingForVisible) {
        waitingForVisible = false;
        setState((s) => ({ ...s, paused: false }));
        void check();
      }
    };

    document.addEventListener("visibilitychange", onVisibilityChange);
    schedule(pollDelayMs(latest.current));

    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener("visibilitychange", onVisibilityChange);
    };
  }, [datasetSourceId, jobId, active]);

  const follow = useCallback((signal: FullExecutionSignal) => {
    setState(idleState(signal));
  }, []);

  return { ...state, follow };
}
