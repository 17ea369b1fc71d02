import { describe, expect, it } from "vitest";

import openapi from "../../../../shared/openapi.json";
import { findStepDescriptor, readStepDescriptors, STEP_DESCRIPTORS } from "./stepSchemas";

function specOf(type: string, field: string) {
  return findStepDescriptor(type)?.fields.find((candidate) => candidate.name === field)
    ?.spec;
}

describe("step descriptors read from the OpenAPI document", () => {
  it("describes every step of the request's union", () => {
    const schemas = openapi.components.schemas as Record<string, unknown>;
    const stepSchemas = Object.keys(schemas).filter((name) =>
      /Step(-Input)?$/.test(name),
    );

    expect(STEP_DESCRIPTORS).toHaveLength(stepSchemas.length);
    expect(STEP_DESCRIPTORS.map((descriptor) => descriptor.type)).toContain(
      "fill_missing",
    );
  });

  it("reads each field's kind from its schema", () => {
    expect(specOf("cast", "to")).toEqual({
      kind: "enum",
      options: ["int", "float", "string", "bool", "datetime"],
    });
    expect(specOf("cast", "columns")).toEqual({ kind: "columnList" });
    expect(specOf("filter_rows", "column")).toEqual({ kind: "column" });
    expect(specOf("filter_rows", "value")).toEqual({ kind: "scalar", allowsList: true });
    expect(specOf("fill_missing", "value")).toEqual({
      kind: "scalar",
      allowsList: false,
    });
    expect(specOf("rename_columns", "mapping")).toEqual({ kind: "mapping" });
    expect(specOf("derive", "right")).toEqual({ kind: "columnOrNumber" });
    expect(specOf("derive", "output")).toEqual({ kind: "newName" });
    expect(specOf("datetime_parts", "parts")).toMatchObject({ kind: "enumList" });
    expect(specOf("bin", "bins")).toEqual({
      kind: "number",
      integer: true,
      minimum: 2,
      maximum: 1000,
    });
  });

  it("knows which fields are optional and their defaults", () => {
    const fields = findStepDescriptor("one_hot_encode")?.fields ?? [];
    const maxCategories = fields.find((field) => field.name === "max_categories");
    const dropMissing = findStepDescriptor("drop_missing")?.fields[0];

    expect(maxCategories).toMatchObject({ required: false, defaultValue: 20 });
    expect(dropMissing).toMatchObject({
      name: "columns",
      required: false,
      nullable: true,
    });
  });

  it("refuses a document without the preview request", () => {
    expect(() => readStepDescriptors({ components: { schemas: {} } })).toThrow(
      /PipelinePreviewRequest/,
    );
  });
});
