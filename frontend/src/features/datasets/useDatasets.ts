import { useCallback, useEffect, useState } from "react";

import { api } from "../../api/client";
import { describeError, isAbortError } from "../../api/errors";
import type { DatasetSource } from "../../api/types";

interface DatasetList {
  datasets: DatasetSource[] | null;
  error: string | null;
  /** Puts a just-uploaded dataset at the top without asking the server again. */
  add: (dataset: DatasetSource) => void;
}

export function useDatasets(): DatasetList {
  const [datasets, setDatasets] = useState<DatasetSource[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();

    api
      .GET("/ml-workflow/api/datasets", { signal: controller.signal })
      .then(({ data, error: body, response }) => {
        if (data !== undefined) {
          setDatasets(data);
        } else {
          setError(describeError(body, response));
        }
      })
      .catch((reason: unknown) => {
        if (!isAbortError(reason)) {
          setError(describeError(reason));
        }
      });

    return () => controller.abort();
  }, []);

  const add = useCallback((dataset: DatasetSource) => {
    setDatasets((current) => [
      dataset,
      ...(current ?? []).filter((other) => other.id !== dataset.id),
    ]);
  }, []);

  return { datasets, error, add };
}
