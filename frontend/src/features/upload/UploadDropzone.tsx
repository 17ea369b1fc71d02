import "./UploadDropzone.css";

import { type DragEvent, useId, useState } from "react";

import type { DatasetSource } from "../../api/types";
import { isSupportedFileName, UPLOAD_ACCEPT } from "./uploadFormats";
import { useDatasetUpload } from "./useDatasetUpload";

interface UploadDropzoneProps {
  onUploaded: (dataset: DatasetSource) => void;
}

const FORMATS_TEXT = "CSV or TSV (optionally gzipped) or Parquet";

/** Drop a file here or pick one: it is uploaded at once, with its progress shown. */
export function UploadDropzone({ onUploaded }: UploadDropzoneProps) {
  const inputId = useId();
  const nameId = useId();
  const hintId = useId();
  const [name, setName] = useState("");
  const [dragging, setDragging] = useState(false);
  const { state, upload, cancel, fail } = useDatasetUpload(onUploaded);
  const busy = state.phase === "uploading" || state.phase === "converting";

  const start = (file: File | undefined) => {
    if (file === undefined || busy) {
      return;
    }
    if (!isSupportedFileName(file.name)) {
      fail(`${file.name} is not a file this app reads: choose ${FORMATS_TEXT}.`);
      return;
    }
    upload(file, name);
  };

  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = busy ? "none" : "copy";
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    start(event.dataTransfer.files[0]);
  };

  return (
    <section className="upload" aria-label="Upload a dataset">
      <div className="upload-name">
        <label htmlFor={nameId}>Dataset name (optional)</label>
        <input
          id={nameId}
          type="text"
          value={name}
          placeholder="The file name"
          disabled={busy}
          onChange={(event) => setName(event.target.value)}
        />
      </div>

      <div
        className={
          dragging ? "upload-dropzone upload-dropzone-active" : "upload-dropzone"
        }
        data-testid="upload-dropzone"
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a dataset file here, or</p>
        <input
          id={inputId}
          className="upload-input"
          type="file"
          data-testid="dataset-upload"
          accept={UPLOAD_ACCEPT}
          disabled={busy}
          aria-describedby={hintId}
          onChange={(event) => {
            start(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        <label htmlFor={inputId} className="upload-choose">
          Choose a file
        </label>
        <p id={hintId} className="upload-hint">
          {FORMATS_TEXT}.
        </p>
      </div>

      <div role="status" className="upload-status" data-testid="upload-status">
        {state.phase === "uploading" && (
          <div className="upload-progress">
            <label>
              Uploading {state.fileName}
              {state.percent !== null && `: ${state.percent}%`}
              <progress
                data-testid="upload-progress"
                max={100}
                value={state.percent ?? undefined}
              />
            </label>
            <button type="button" onClick={cancel}>
              Cancel upload
            </button>
          </div>
        )}
        {state.phase === "converting" && (
          <p>
            <progress aria-hidden="true" /> Converting... {state.fileName} is being read
            and stored.
          </p>
        )}
        {state.phase === "succeeded" && (
          <p>
            Uploaded {state.dataset.name}:{" "}
            {state.dataset.row_count.toLocaleString("en-US")} rows,{" "}
            {state.dataset.column_count} columns.
          </p>
        )}
      </div>
      {state.phase === "failed" && (
        <p className="upload-error" role="alert" data-testid="upload-error">
          {state.message}
        </p>
      )}
    </section>
  );
}
