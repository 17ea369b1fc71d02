/**
 * The step forms, read from the OpenAPI document at build time so that a new step or
 * field on the server shows up here without hand-written form code.
 *
 * JSON Schema cannot tell an existing column from the name of a new one: both are
 * strings. Every string field is read as an existing column except those named in
 * NEW_NAME_FIELDS; a new step type with another "new name" field needs adding there.
 */
import openapi from "../../../../shared/openapi.json";

export type FieldSpec =
  | { kind: "enum"; options: string[] }
  | { kind: "enumList"; options: string[] }
  | { kind: "boolean" }
  | { kind: "number"; integer: boolean; minimum?: number; maximum?: number }
  | { kind: "column" }
  | { kind: "columnList" }
  | { kind: "newName" }
  | { kind: "mapping" }
  | { kind: "columnOrNumber" }
  | { kind: "scalar"; allowsList: boolean }
  | { kind: "unsupported" };

export interface StepField {
  name: string;
  label: string;
  required: boolean;
  nullable: boolean;
  defaultValue: unknown;
  spec: FieldSpec;
}

export interface StepDescriptor {
  type: string;
  label: string;
  description: string;
  fields: StepField[];
}

type Schema = Record<string, unknown>;

const NEW_NAME_FIELDS = new Set(["output"]);

const REQUEST_SCHEMA_NAMES = ["PipelinePreviewRequest-Input", "PipelinePreviewRequest"];

export const STEP_DESCRIPTORS: StepDescriptor[] = readStepDescriptors(openapi);

export function findStepDescriptor(type: string): StepDescriptor | undefined {
  return STEP_DESCRIPTORS.find((descriptor) => descriptor.type === type);
}

export function readStepDescriptors(document: unknown): StepDescriptor[] {
  const schemas = asSchema(asSchema(asSchema(document).components).schemas);
  const resolve = (schema: unknown): Schema => resolveRef(schemas, asSchema(schema));

  const requestName = REQUEST_SCHEMA_NAMES.find((name) => name in schemas);
  if (requestName === undefined) {
    throw new Error("The OpenAPI document has no PipelinePreviewRequest schema");
  }
  const request = resolve(schemas[requestName]);
  const steps = resolve(asSchema(request.properties).steps);
  const items = resolve(steps.items);
  const members = asArray(items.oneOf ?? items.anyOf);

  return members.map((member) => describeStep(resolve(member), resolve));
}

function describeStep(schema: Schema, resolve: (s: unknown) => Schema): StepDescriptor {
  const properties = asSchema(schema.properties);
  const required = new Set(asArray(schema.required).filter(isString));
  const type = discriminatorValue(resolve(properties.type));

  const fields = Object.entries(properties)
    .filter(([name]) => name !== "type")
    .map(([name, property]) => {
      const resolved = resolve(property);
      const { spec, nullable } = classify(name, resolved, resolve);
      return {
        name,
        label: typeof resolved.title === "string" ? resolved.title : humanize(name),
        required: required.has(name),
        nullable,
        defaultValue: resolved.default,
        spec,
      };
    });

  return {
    type,
    label: humanize(type),
    description: typeof schema.description === "string" ? schema.description : "",
    fields,
  };
}

function classify(
  name: string,
  schema: Schema,
  resolve: (s: unknown) => Schema,
): { spec: FieldSpec; nullable: boolean } {
  const union = schema.anyOf ?? schema.oneOf;
  if (union === undefined) {
    return { spec: classifySingle(name, schema, resolve), nullable: false };
  }

  const members = asArray(union).map(resolve);
  const present = members.filter((member) => member.type !== "null");
  const nullable = present.length < members.length;
  if (present.length === 1 && present[0] !== undefined) {
    return { spec: classifySingle(name, present[0], resolve), nullable };
  }

  const kinds = present.map((member) => member.type);
  if (kinds.length === 2 && kinds.includes("string") && kinds.includes("number")) {
    return { spec: { kind: "columnOrNumber" }, nullable };
  }
  const scalars = present.filter((member) => isScalarSchema(member));
  const lists = present.filter(
    (member) => member.type === "array" && isScalarSchema(resolve(member.items), resolve),
  );
  if (scalars.length > 0 && scalars.length + lists.length === present.length) {
    return { spec: { kind: "scalar", allowsList: lists.length > 0 }, nullable };
  }
  return { spec: { kind: "unsupported" }, nullable };
}

function classifySingle(
  name: string,
  schema: Schema,
  resolve: (s: unknown) => Schema,
): FieldSpec {
  const options = enumOptions(schema);
  if (options !== undefined) {
    return { kind: "enum", options };
  }

  switch (schema.type) {
    case "boolean":
      return { kind: "boolean" };
    case "integer":
    case "number":
      return {
        kind: "number",
        integer: schema.type === "integer",
        ...numberBound("minimum", schema.minimum),
        ...numberBound("maximum", schema.maximum),
      };
    case "string":
      return NEW_NAME_FIELDS.has(name) ? { kind: "newName" } : { kind: "column" };
    case "array": {
      const items = resolve(schema.items);
      const itemOptions = enumOptions(items);
      if (itemOptions !== undefined) {
        return { kind: "enumList", options: itemOptions };
      }
      return items.type === "string" ? { kind: "columnList" } : { kind: "unsupported" };
    }
    case "object":
      return asSchema(schema.additionalProperties).type === "string"
        ? { kind: "mapping" }
        : { kind: "unsupported" };
    default:
      return { kind: "unsupported" };
  }
}

function isScalarSchema(schema: Schema, resolve?: (s: unknown) => Schema): boolean {
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined && resolve !== undefined) {
    return asArray(union).every((member) => isScalarSchema(resolve(member)));
  }
  return ["string", "integer", "number", "boolean"].includes(String(schema.type));
}

function enumOptions(schema: Schema): string[] | undefined {
  const values = schema.enum;
  if (!Array.isArray(values) || !values.every(isString)) {
    return undefined;
  }
  return values;
}

function discriminatorValue(schema: Schema): string {
  if (typeof schema.const === "string") {
    return schema.const;
  }
  const options = enumOptions(schema);
  if (options?.length === 1 && options[0] !== undefined) {
    return options[0];
  }
  throw new Error("A pipeline step schema has no constant `type`");
}

function numberBound(key: "minimum" | "maximum", value: unknown) {
  return typeof value === "number" ? { [key]: value } : {};
}

function resolveRef(schemas: Schema, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") {
    return schema;
  }
  const name = ref.replace("#/components/schemas/", "");
  return resolveRef(schemas, asSchema(schemas[name]));
}

function humanize(name: string): string {
  const words = name.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function asSchema(value: unknown): Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Schema)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}
