import { describe, expect, it } from "vitest";

import type { ColumnSchema, Step } from "../../api/types";
import { columnsBeforeEachStep } from "./stepColumns";

const columns: ColumnSchema[] = [
  { name: "age", dtype: "int" },
  { name: "city", dtype: "string" },
  { name: "signup", dtype: "datetime" },
];

function namesAfter(steps: Step[]): string[] {
  const stages = columnsBeforeEachStep(columns, steps);
  return (stages[stages.length - 1] ?? []).map((column) => column.name);
}

describe("columnsBeforeEachStep", () => {
  it("gives each step the columns the earlier steps leave", () => {
    const stages = columnsBeforeEachStep(columns, [
      { type: "drop_columns", columns: ["city"] },
      { type: "rename_columns", mapping: { age: "years" } },
    ]);

    expect(stages.map((stage) => stage.map((column) => column.name))).toEqual([
      ["age", "city", "signup"],
      ["age", "signup"],
      ["years", "signup"],
    ]);
  });

  it("keeps the order a select gives and ignores unknown names", () => {
    expect(
      namesAfter([{ type: "select_columns", columns: ["city", "nope", "age"] }]),
    ).toEqual(["city", "age"]);
  });

  it("adds the columns that derive, bin and datetime_parts create", () => {
    expect(
      namesAfter([
        { type: "derive", output: "age2", left: "age", operator: "mul", right: 2 },
        { type: "bin", column: "age", bins: 4, output: "age_bin" },
        { type: "datetime_parts", column: "signup", parts: ["year", "weekday"] },
      ]),
    ).toEqual([
      "age",
      "city",
      "signup",
      "age2",
      "age_bin",
      "signup_year",
      "signup_weekday",
    ]);
  });

  it("drops one-hot encoded columns, whose new names it cannot know", () => {
    expect(namesAfter([{ type: "one_hot_encode", columns: ["city"] }])).toEqual([
      "age",
      "signup",
    ]);
  });

  it("follows the dtype a cast gives", () => {
    const stages = columnsBeforeEachStep(columns, [
      { type: "cast", columns: ["age"], to: "string" },
    ]);

    expect(stages[1]?.find((column) => column.name === "age")?.dtype).toBe("string");
  });
});
