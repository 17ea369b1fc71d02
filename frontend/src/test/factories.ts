import type { FullExecutionSignal, PipelinePreviewResponse } from "../api/types";

export function makeSignal(
  overrides: Partial<FullExecutionSignal> = {},
): FullExecutionSignal {
  return {
    job_id: "job-1",
    dataset_source_id: "ds-1",
    job_status: "queued",
    reason: null,
    poll_after_seconds: 2,
    total_rows: 466285,
    processed_rows: 0,
    output_rows: 0,
    attempt: 1,
    pipeline_hash: "a1b2c3d4e5f6",
    created_at: "2025-01-02T10:00:00Z",
    started_at: null,
    finished_at: null,
    updated_at: "2025-01-02T10:00:00Z",
    result: null,
    error: null,
    ...overrides,
  };
}

export function makePreview(
  signal: FullExecutionSignal,
  overrides: Partial<PipelinePreviewResponse> = {},
): PipelinePreviewResponse {
  return {
    dataset_source_id: signal.dataset_source_id,
    pipeline_hash: signal.pipeline_hash,
    total_rows: signal.total_rows,
    sample_rows: 200000,
    output_rows: 200000,
    columns: [{ name: "age", dtype: "int" }],
    rows: [{ age: 41 }],
    column_summaries: [],
    warnings: [],
    full_execution: signal,
    ...overrides,
  };
}
