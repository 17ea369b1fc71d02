import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { DatasetSource } from "../../api/types";
import { UploadDropzone } from "./UploadDropzone";

/** The network edge: an XMLHttpRequest whose upload and answer the test drives. */
class FakeXhr {
  static sent: FakeXhr[] = [];

  method = "";
  url = "";
  body: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  aborted = false;
  upload: {
    onprogress: ((event: ProgressEvent) => void) | null;
    onload: (() => void) | null;
  } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }

  setRequestHeader() {}

  send(body: FormData) {
    this.body = body;
    FakeXhr.sent.push(this);
  }

  abort() {
    this.aborted = true;
  }

  sendProgress(loaded: number, total: number) {
    act(() =>
      this.upload.onprogress?.({
        lengthComputable: true,
        loaded,
        total,
      } as ProgressEvent),
    );
  }

  finishSending() {
    act(() => this.upload.onload?.());
  }

  answer(status: number, body: unknown, statusText = "") {
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    act(() => this.onload?.());
  }

  breakConnection() {
    act(() => this.onerror?.());
  }
}

const dataset: DatasetSource = {
  id: "ds-1",
  name: "people",
  format: "csv",
  row_count: 466285,
  column_count: 2,
  columns: [
    { name: "age", dtype: "int" },
    { name: "city", dtype: "string" },
  ],
  size_bytes: 1024,
  created_at: "2025-01-01T00:00:00Z",
};

function csvFile(name = "people.csv") {
  return new File(["age,city\n31,Oslo\n"], name, { type: "text/csv" });
}

function lastRequest(): FakeXhr {
  const request = FakeXhr.sent[FakeXhr.sent.length - 1];
  if (request === undefined) {
    throw new Error("No upload was sent");
  }
  return request;
}

function renderDropzone() {
  const onUploaded = vi.fn<(dataset: DatasetSource) => void>();
  render(<UploadDropzone onUploaded={onUploaded} />);
  return { onUploaded, user: userEvent.setup() };
}

beforeEach(() => {
  FakeXhr.sent = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("UploadDropzone", () => {
  it("offers a labelled file picker for the formats the server reads", () => {
    renderDropzone();

    const picker = screen.getByLabelText("Choose a file");

    expect(picker).toBe(screen.getByTestId("dataset-upload"));
    expect(picker.getAttribute("accept")).toBe(".csv,.tsv,.csv.gz,.tsv.gz,.parquet");
  });

  it("posts the file and its name as a multipart form", async () => {
    const { user } = renderDropzone();

    await user.type(screen.getByLabelText("Dataset name (optional)"), "People");
    await user.upload(screen.getByTestId("dataset-upload"), csvFile());

    const request = lastRequest();
    expect([request.method, request.url]).toEqual(["POST", "/ml-workflow/api/datasets"]);
    expect((request.body?.get("file") as File).name).toBe("people.csv");
    expect(request.body?.get("name")).toBe("People");
  });

  it("leaves the name out when none is given", async () => {
    const { user } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());

    expect(lastRequest().body?.has("name")).toBe(false);
  });

  it("shows the upload's progress, then converting, then the dataset", async () => {
    const { user, onUploaded } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    lastRequest().sendProgress(25, 100);

    const progress = screen.getByTestId("upload-progress") as HTMLProgressElement;
    expect(progress.value).toBe(25);
    expect(screen.getByRole("status").textContent).toContain("Uploading people.csv: 25%");
    expect((screen.getByTestId("dataset-upload") as HTMLInputElement).disabled).toBe(
      true,
    );

    lastRequest().sendProgress(100, 100);
    lastRequest().finishSending();

    expect(screen.queryByTestId("upload-progress")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Converting...");
    expect(onUploaded).not.toHaveBeenCalled();

    lastRequest().answer(201, dataset);

    expect(onUploaded).toHaveBeenCalledWith(dataset);
    expect(screen.getByRole("status").textContent).toContain(
      "Uploaded people: 466,285 rows, 2 columns.",
    );
  });

  it.each([
    [413, "The file is larger than the 100 MB limit"],
    [415, "Unsupported format: only CSV, TSV and Parquet"],
    [422, "Row 3 has 4 fields, expected 2"],
  ])("shows the server's reason when it answers %i", async (status, detail) => {
    const { user, onUploaded } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    lastRequest().finishSending();
    lastRequest().answer(status, { detail, code: "refused" });

    expect(screen.getByRole("alert").textContent).toBe(detail);
    expect(screen.getByTestId("upload-error").textContent).toBe(detail);
    expect(onUploaded).not.toHaveBeenCalled();
    expect((screen.getByTestId("dataset-upload") as HTMLInputElement).disabled).toBe(
      false,
    );
  });

  it("says what the server answered when the answer has no reason in it", async () => {
    const { user } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    lastRequest().answer(502, "<html>Bad gateway</html>", "Bad Gateway");

    expect(screen.getByRole("alert").textContent).toBe(
      "The upload failed: the server answered 502 Bad Gateway.",
    );
  });

  it("says so when the upload does not reach the server", async () => {
    const { user } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    lastRequest().breakConnection();

    expect(screen.getByRole("alert").textContent).toBe(
      "The upload did not reach the server.",
    );
  });

  it("uploads a dropped file", () => {
    renderDropzone();

    fireEvent.drop(screen.getByTestId("upload-dropzone"), {
      dataTransfer: { files: [csvFile("events.tsv.gz")] },
    });

    expect((lastRequest().body?.get("file") as File).name).toBe("events.tsv.gz");
  });

  it("refuses a dropped file of another kind without sending it", () => {
    renderDropzone();

    fireEvent.drop(screen.getByTestId("upload-dropzone"), {
      dataTransfer: { files: [new File(["x"], "photo.png", { type: "image/png" })] },
    });

    expect(FakeXhr.sent).toEqual([]);
    expect(screen.getByRole("alert").textContent).toContain("photo.png is not a file");
  });

  it("cancels an upload in flight", async () => {
    const { user, onUploaded } = renderDropzone();

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    lastRequest().sendProgress(10, 100);
    await user.click(screen.getByRole("button", { name: "Cancel upload" }));

    expect(lastRequest().aborted).toBe(true);
    expect(screen.queryByTestId("upload-progress")).toBeNull();
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it("abandons the upload when the dropzone goes away", async () => {
    const user = userEvent.setup();
    const { unmount } = render(<UploadDropzone onUploaded={() => {}} />);

    await user.upload(screen.getByTestId("dataset-upload"), csvFile());
    unmount();

    expect(lastRequest().aborted).toBe(true);
  });
});
