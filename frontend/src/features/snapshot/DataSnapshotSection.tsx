import { useId } from "react";

import type { PipelinePreviewResponse, Step } from "../../api/types";
import { PreviewTable } from "../pipeline/PreviewTable";
import { FullRunSection } from "./FullRunSection";
import "./snapshot.css";

interface DataSnapshotSectionProps {
  datasetSourceId: string;
  /** The last preview answer, or null before the first preview. */
  preview: PipelinePreviewResponse | null;
  /** The steps that preview ran, used to start or retry its full run. */
  previewSteps: Step[];
}

export function DataSnapshotSection({
  datasetSourceId,
  preview,
  previewSteps,
}: DataSnapshotSectionProps) {
  const headingId = useId();

  return (
    <section className="snapshot" aria-labelledby={headingId}>
      <h2 id={headingId}>Data snapshot</h2>
      {/* The run section is short and changes; the table below it can be very long. */}
      <FullRunSection
        datasetSourceId={datasetSourceId}
        preview={preview}
        previewSteps={previewSteps}
      />
      {preview === null ? (
        <p className="muted">Press Preview to see the first rows after your steps.</p>
      ) : (
        <PreviewTable preview={preview} />
      )}
    </section>
  );
}
