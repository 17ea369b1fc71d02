import { useState } from "react";
import { Link, useParams } from "react-router";

import { PipelineEditor } from "../pipeline/PipelineEditor";
import { usePersistedSteps } from "../pipeline/usePersistedSteps";
import { DataSnapshotSection } from "../snapshot/DataSnapshotSection";
import { DatasetHeader } from "./DatasetHeader";
import { useDataset } from "./useDataset";
import { usePipelinePreview } from "./usePipelinePreview";
import "./datasets.css";

export function DatasetPage() {
  const { datasetSourceId = "" } = useParams();
  const { dataset, error } = useDataset(datasetSourceId);
  const [steps, setSteps] = usePersistedSteps(datasetSourceId);
  const preview = usePipelinePreview(datasetSourceId, steps);
  const [runFull, setRunFull] = useState(true);

  if (error !== null) {
    return (
      <section>
        <p className="error-message" role="alert">
          {error}
        </p>
        <Link to="/">Back to the datasets</Link>
      </section>
    );
  }
  if (dataset === null) {
    return <p className="muted">Loading dataset…</p>;
  }

  return (
    <div className="dataset-page">
      <DatasetHeader dataset={dataset} />
      <section className="pipeline-section" aria-label="Pipeline">
        <PipelineEditor
          columns={dataset.columns}
          steps={steps}
          onChange={setSteps}
          stepErrors={preview.stepErrors}
        />
        <div className="preview-controls">
          <button
            type="button"
            className="primary"
            data-testid="preview-button"
            disabled={preview.running}
            onClick={() => void preview.run(steps, runFull)}
          >
            {preview.running ? "Previewing…" : "Preview"}
          </button>
          <label className="run-full-choice">
            <input
              type="checkbox"
              data-testid="run-full-execution"
              checked={runFull}
              onChange={(event) => setRunFull(event.target.checked)}
            />
            Also run on the whole dataset when it is larger than the preview
          </label>
          {preview.error !== null && (
            <p className="error-message" role="alert">
              {preview.error}
            </p>
          )}
        </div>
      </section>
      <DataSnapshotSection
        datasetSourceId={dataset.id}
        preview={preview.preview}
        previewSteps={preview.previewSteps}
      />
    </div>
  );
}
