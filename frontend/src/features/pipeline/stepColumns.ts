import type { ColumnSchema, Step } from "../../api/types";

/**
 * The columns as they stand before each step, worked out in the browser so the forms can
 * offer them; entry i is the schema step i sees, the last entry the pipeline's output.
 *
 * This is an approximation and the server's 422 is the authority. It follows the steps
 * that add, remove or rename columns, and the dtypes a cast or scaling gives, but it
 * cannot know the values a one-hot encoding turns into columns (`{col}_{value}` depends
 * on the data), so after one_hot_encode the encoded columns are simply gone. A step that
 * names a column that does not exist changes nothing here.
 */
export function columnsBeforeEachStep(
  columns: ColumnSchema[],
  steps: Step[],
): ColumnSchema[][] {
  const stages = [columns];
  for (const step of steps) {
    stages.push(applyStep(stages[stages.length - 1] ?? [], step));
  }
  return stages;
}

function applyStep(columns: ColumnSchema[], step: Step): ColumnSchema[] {
  switch (step.type) {
    case "select_columns":
      return step.columns.flatMap((name) => columns.filter((c) => c.name === name));
    case "drop_columns":
      return columns.filter((column) => !step.columns.includes(column.name));
    case "rename_columns":
      return columns.map((column) => ({
        ...column,
        name: step.mapping[column.name] ?? column.name,
      }));
    case "cast":
      return retype(columns, step.columns, step.to);
    case "standard_scale":
    case "min_max_scale":
    case "log_transform":
      return retype(columns, step.columns, "float");
    case "one_hot_encode":
      return columns.filter((column) => !step.columns.includes(column.name));
    case "bin":
      return upsert(columns, step.output ?? step.column, "int");
    case "derive":
      return upsert(columns, step.output, "float");
    case "datetime_parts":
      return step.parts.reduce(
        (current, part) => upsert(current, `${step.column}_${part}`, "int"),
        columns,
      );
    default:
      return columns;
  }
}

function retype(
  columns: ColumnSchema[],
  names: string[],
  dtype: ColumnSchema["dtype"],
): ColumnSchema[] {
  return columns.map((column) =>
    names.includes(column.name) ? { ...column, dtype } : column,
  );
}

function upsert(
  columns: ColumnSchema[],
  name: string,
  dtype: ColumnSchema["dtype"],
): ColumnSchema[] {
  if (name === "") {
    return columns;
  }
  const exists = columns.some((column) => column.name === name);
  return exists ? retype(columns, [name], dtype) : [...columns, { name, dtype }];
}
