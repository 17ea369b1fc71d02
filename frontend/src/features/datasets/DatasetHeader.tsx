import type { DatasetSource } from "../../api/types";
import { formatBytes, formatCount, formatDateTime } from "../../lib/format";

interface DatasetHeaderProps {
  dataset: DatasetSource;
}

export function DatasetHeader({ dataset }: DatasetHeaderProps) {
  return (
    <header className="dataset-header">
      <h1>{dataset.name}</h1>
      <p className="dataset-facts">
        <span>{formatCount(dataset.row_count)} rows</span>
        <span>{formatCount(dataset.column_count)} columns</span>
        <span>{formatBytes(dataset.size_bytes)}</span>
        <span>{dataset.format}</span>
        <span>
          Uploaded{" "}
          <time dateTime={dataset.created_at}>{formatDateTime(dataset.created_at)}</time>
        </span>
      </p>
    </header>
  );
}
