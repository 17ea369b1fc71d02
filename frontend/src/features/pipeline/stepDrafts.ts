/**
 * Building and editing steps from their schema descriptors.
 *
 * The forms are generic, so TypeScript cannot check a step built field by field against
 * the generated union; the casts to `Step` below are where that trust is placed. A step
 * can be incomplete (an empty column list, say): the server validates it and its 422 is
 * shown next to the step.
 */
import type { ColumnSchema, Step } from "../../api/types";
import { findStepDescriptor, type StepDescriptor, type StepField } from "./stepSchemas";

export function newStep(descriptor: StepDescriptor, columns: ColumnSchema[]): Step {
  const step: Record<string, unknown> = { type: descriptor.type };
  for (const field of descriptor.fields) {
    const value = initialValue(field, columns);
    if (value !== undefined) {
      step[field.name] = value;
    }
  }
  return step as Step;
}

/** The step with one field changed; `undefined` removes an optional field. */
export function withField(step: Step, name: string, value: unknown): Step {
  const next: Record<string, unknown> = { ...step };
  if (value === undefined) {
    delete next[name];
  } else {
    next[name] = value;
  }
  return next as Step;
}

export function fieldValue(step: Step, name: string): unknown {
  return (step as Record<string, unknown>)[name];
}

/**
 * Whether a value read back from storage has the shape of a step: a known type, and each
 * field present when required and of the right JSON kind. Values are not range-checked.
 */
export function isPlausibleStep(value: unknown): value is Step {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const record = value as Record<string, unknown>;
  const descriptor =
    typeof record.type === "string" ? findStepDescriptor(record.type) : undefined;
  if (descriptor === undefined) {
    return false;
  }

  const known = new Set(["type", ...descriptor.fields.map((field) => field.name)]);
  if (Object.keys(record).some((key) => !known.has(key))) {
    return false;
  }
  return descriptor.fields.every((field) => {
    const fieldValue = record[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      return !field.required || (field.nullable && fieldValue === null);
    }
    return hasShape(field, fieldValue);
  });
}

function initialValue(field: StepField, columns: ColumnSchema[]): unknown {
  if (field.defaultValue !== undefined && field.defaultValue !== null) {
    return field.defaultValue;
  }
  if (!field.required) {
    return undefined;
  }

  const spec = field.spec;
  switch (spec.kind) {
    case "enum":
      return spec.options[0];
    case "number":
      return spec.minimum ?? 0;
    case "boolean":
      return false;
    case "column":
      return columns[0]?.name ?? "";
    case "columnOrNumber":
      return 0;
    case "newName":
      return "";
    case "columnList":
    case "enumList":
      return [];
    case "mapping":
      return {};
    case "scalar":
    case "unsupported":
      return undefined;
  }
}

function hasShape(field: StepField, value: unknown): boolean {
  const spec = field.spec;
  switch (spec.kind) {
    case "enum":
      return typeof value === "string" && spec.options.includes(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "column":
    case "newName":
      return typeof value === "string";
    case "columnOrNumber":
      return typeof value === "string" || typeof value === "number";
    case "columnList":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "enumList":
      return (
        Array.isArray(value) &&
        value.every((item) => typeof item === "string" && spec.options.includes(item))
      );
    case "mapping":
      return (
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.values(value as object).every((item) => typeof item === "string")
      );
    case "scalar":
      return (
        isScalar(value) ||
        (spec.allowsList && Array.isArray(value) && value.every(isScalar))
      );
    case "unsupported":
      return true;
  }
}

function isScalar(value: unknown): boolean {
  return ["string", "number", "boolean"].includes(typeof value);
}
