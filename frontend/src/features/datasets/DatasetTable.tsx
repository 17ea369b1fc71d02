import { Link } from "react-router";

import type { DatasetSource } from "../../api/types";
import { formatBytes, formatCount, formatDate } from "../../lib/format";

interface DatasetTableProps {
  datasets: DatasetSource[];
}

export function DatasetTable({ datasets }: DatasetTableProps) {
  return (
    <table className="dataset-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="numeric">
            Rows
          </th>
          <th scope="col" className="numeric">
            Columns
          </th>
          <th scope="col" className="numeric">
            Size
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((dataset) => (
          <tr key={dataset.id}>
            <td>
              <Link to={`/datasets/${encodeURIComponent(dataset.id)}`}>
                {dataset.name}
              </Link>
            </td>
            <td className="numeric">{formatCount(dataset.row_count)}</td>
            <td className="numeric">{formatCount(dataset.column_count)}</td>
            <td className="numeric">{formatBytes(dataset.size_bytes)}</td>
            <td>
              <time dateTime={dataset.created_at}>{formatDate(dataset.created_at)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
