/** Short names for the generated OpenAPI types. Nothing here is written by hand. */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type ColumnSchema = Schemas["ColumnSchema"];
export type ColumnSummary = Schemas["ColumnSummary"];
export type DatasetSource = Schemas["DatasetSource"];
export type ErrorBody = Schemas["ErrorBody"];
export type FullExecutionRequest = Schemas["FullExecutionRequest"];
export type FullExecutionSignal = Schemas["FullExecutionSignal"];
export type Health = Schemas["Health"];
export type HistogramBin = Schemas["HistogramBin"];
export type JobError = Schemas["JobError"];
export type JobResult = Schemas["JobResult"];
export type JobStatus = Schemas["JobStatus"];
export type LogicalType = Schemas["LogicalType"];
export type PipelinePreviewRequest = Schemas["PipelinePreviewRequest"];
export type PipelinePreviewResponse = Schemas["PipelinePreviewResponse"];
export type StepWarning = Schemas["StepWarning"];
export type TopValue = Schemas["TopValue"];

/** One pipeline step: the union of every `*Step` schema, told apart by `type`. */
export type Step = NonNullable<PipelinePreviewRequest["steps"]>[number];
export type StepType = Step["type"];
