import { useEffect, useState } from "react";

import { api } from "../../api/client";
import { describeError, isAbortError } from "../../api/errors";
import type { FullExecutionSignal } from "../../api/types";

interface RunHistory {
  runs: FullExecutionSignal[];
  error: string | null;
}

/** The dataset's full runs, newest first, fetched again whenever `refreshKey` changes. */
export function useRunHistory(datasetSourceId: string, refreshKey: string): RunHistory {
  const [history, setHistory] = useState<RunHistory>({ runs: [], error: null });

  useEffect(() => {
    const controller = new AbortController();

    api
      .GET("/ml-workflow/api/pipelines/{dataset_source_id}/full-execution", {
        params: { path: { dataset_source_id: datasetSourceId } },
        signal: controller.signal,
      })
      .then(({ data, error, response }) => {
        if (data !== undefined) {
          setHistory({ runs: data, error: null });
        } else {
          setHistory((h) => ({ ...h, error: describeError(error, response) }));
        }
      })
      .catch((error: unknown) => {
        if (!isAbortError(error)) {
          setHistory((h) => ({ ...h, error: describeError(error) }));
        }
      });

    return () => controller.abort();
  }, [datasetSourceId, refreshKey]);

  return history;
}
