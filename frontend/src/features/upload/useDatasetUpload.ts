import { useCallback, useEffect, useRef, useState } from "react";

import { isErrorBody } from "../../api/errors";
import type { paths } from "../../api/schema";
import type { DatasetSource } from "../../api/types";

// Typed against the generated paths, so a renamed route fails the type check.
const UPLOAD_PATH: keyof paths = "/ml-workflow/api/datasets";

export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; fileName: string; percent: number | null }
  | { phase: "converting"; fileName: string }
  | { phase: "succeeded"; dataset: DatasetSource }
  | { phase: "failed"; message: string };

export interface DatasetUpload {
  state: UploadState;
  upload: (file: File, name: string) => void;
  cancel: () => void;
  fail: (message: string) => void;
}

/**
 * Sends a dataset with XMLHttpRequest rather than fetch, because only XMLHttpRequest
 * reports how much of the request body has gone out. Once the body is sent the server is
 * converting the file, which for a large one takes a while; the state says so.
 */
export function useDatasetUpload(
  onUploaded: (dataset: DatasetSource) => void,
): DatasetUpload {
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const request = useRef<XMLHttpRequest | null>(null);
  const uploaded = useRef(onUploaded);

  useEffect(() => {
    uploaded.current = onUploaded;
  });
  useEffect(() => () => request.current?.abort(), []);

  const upload = useCallback((file: File, name: string) => {
    request.current?.abort();
    const xhr = new XMLHttpRequest();
    request.current = xhr;

    xhr.upload.onprogress = (event) => {
      const percent = event.lengthComputable
        ? percentOf(event.loaded, event.total)
        : null;
      setState({ phase: "uploading", fileName: file.name, percent });
    };
    xhr.upload.onload = () => setState({ phase: "converting", fileName: file.name });
    xhr.onload = () => {
      request.current = null;
      const outcome = readAnswer(xhr);
      setState(outcome);
      if (outcome.phase === "succeeded") {
        uploaded.current(outcome.dataset);
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setState({ phase: "failed", message: "The upload did not reach the server." });
    };

    xhr.open("POST", UPLOAD_PATH);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.send(formFor(file, name));
    setState({ phase: "uploading", fileName: file.name, percent: 0 });
  }, []);

  const cancel = useCallback(() => {
    request.current?.abort();
    request.current = null;
    setState({ phase: "idle" });
  }, []);

  const fail = useCallback(
    (message: string) => setState({ phase: "failed", message }),
    [],
  );

  return { state, upload, cancel, fail };
}

function formFor(file: File, name: string): FormData {
  const form = new FormData();
  form.append("file", file, file.name);
  if (name.trim() !== "") {
    form.append("name", name.trim());
  }
  return form;
}

function readAnswer(xhr: XMLHttpRequest): UploadState {
  const body = parseJson(xhr.responseText);
  if (xhr.status === 201 && isDataset(body)) {
    return { phase: "succeeded", dataset: body };
  }
  if (isErrorBody(body)) {
    return { phase: "failed", message: body.detail };
  }
  const status = `${xhr.status} ${xhr.statusText}`.trim();
  return {
    phase: "failed",
    message: `The upload failed: the server answered ${status}.`,
  };
}

function isDataset(body: unknown): body is DatasetSource {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { id?: unknown }).id === "string" &&
    Array.isArray((body as { columns?: unknown }).columns)
  );
}

function percentOf(loaded: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
