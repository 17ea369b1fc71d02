import { useEffect, useState } from "react";

import { api } from "../../api/client";
import { describeError, isAbortError } from "../../api/errors";
import type { DatasetSource } from "../../api/types";

interface DatasetState {
  dataset: DatasetSource | null;
  error: string | null;
}

export function useDataset(datasetSourceId: string): DatasetState {
  const [state, setState] = useState<DatasetState>({ dataset: null, error: null });

  useEffect(() => {
    const controller = new AbortController();
    setState({ dataset: null, error: null });

    api
      .GET("/ml-workflow/api/datasets/{dataset_source_id}", {
        params: { path: { dataset_source_id: datasetSourceId } },
        signal: controller.signal,
      })
      .then(({ data, error, response }) => {
        setState(
          data !== undefined
            ? { dataset: data, error: null }
            : { dataset: null, error: describeError(error, response) },
        );
      })
      .catch((reason: unknown) => {
        if (!isAbortError(reason)) {
          setState({ dataset: null, error: describeError(reason) });
        }
      });

    return () => controller.abort();
  }, [datasetSourceId]);

  return state;
}
