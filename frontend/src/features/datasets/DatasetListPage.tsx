import { UploadDropzone } from "../upload/UploadDropzone";
import { DatasetTable } from "./DatasetTable";
import { useDatasets } from "./useDatasets";
import "./datasets.css";

export function DatasetListPage() {
  const { datasets, error, add } = useDatasets();

  return (
    <section className="dataset-list-page">
      <h1>Datasets</h1>
      <UploadDropzone onUploaded={add} />
      {error !== null && (
        <p className="error-message" role="alert">
          {error}
        </p>
      )}
      {datasets === null && error === null && <p className="muted">Loading datasets…</p>}
      {datasets !== null && datasets.length === 0 && (
        <p className="muted">No datasets yet. Upload a CSV or Parquet file to begin.</p>
      )}
      {datasets !== null && datasets.length > 0 && <DatasetTable datasets={datasets} />}
    </section>
  );
}
