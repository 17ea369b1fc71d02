import { useId, useState } from "react";

import type { JobResult } from "../../api/types";
import { downloadHref, type ResultFormat } from "./fullExecutionApi";

interface ResultDownloadProps {
  result: JobResult;
}

export function ResultDownload({ result }: ResultDownloadProps) {
  const [format, setFormat] = useState<ResultFormat>("parquet");
  const selectId = useId();

  return (
    <span className="result-download">
      <label htmlFor={selectId}>Format</label>
      <select
        id={selectId}
        value={format}
        onChange={(event) => setFormat(event.target.value as ResultFormat)}
      >
        <option value="parquet">Parquet</option>
        <option value="csv">CSV</option>
      </select>
      <a
        className="button-link"
        data-testid="download-result"
        href={downloadHref(result.download_url, format)}
        download
      >
        Download {format === "csv" ? "CSV" : "Parquet"}
      </a>
    </span>
  );
}
