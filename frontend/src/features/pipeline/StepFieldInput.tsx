import { type ReactNode, useId } from "react";

import type { ColumnSchema } from "../../api/types";
import { Checklist } from "./Checklist";
import { ColumnOrNumberInput } from "./ColumnOrNumberInput";
import { ColumnSelect } from "./ColumnSelect";
import { MappingEditor } from "./MappingEditor";
import { NumberInput } from "./NumberInput";
import type { ScalarOrList } from "./scalarText";
import { ScalarInput } from "./ScalarInput";
import type { StepField } from "./stepSchemas";

interface StepFieldInputProps {
  field: StepField;
  value: unknown;
  columns: ColumnSchema[];
  onChange: (value: unknown) => void;
}

const SCALAR_HINT = "A number, true, false or text. Quote text that looks like a number.";
const LIST_HINT = "Separate several values with commas.";

/** The input for one step field, chosen by the kind of its JSON schema. */
export function StepFieldInput({ field, value, columns, onChange }: StepFieldInputProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const label = field.required ? field.label : `${field.label} (optional)`;
  const spec = field.spec;

  const labelled = (input: ReactNode, hint?: string) => (
    <div className="pipeline-field">
      <label htmlFor={id}>{label}</label>
      {input}
      {hint !== undefined && (
        <p id={hintId} className="pipeline-hint">
          {hint}
        </p>
      )}
    </div>
  );

  switch (spec.kind) {
    case "enum":
      return labelled(
        <select
          id={id}
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(event.target.value || undefined)}
        >
          {!field.required && field.defaultValue === undefined && (
            <option value="">(none)</option>
          )}
          {spec.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>,
      );
    case "boolean":
      return (
        <div className="pipeline-field pipeline-inline">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(event) => onChange(event.target.checked)}
          />
          <label htmlFor={id}>{label}</label>
        </div>
      );
    case "number": {
      const bounds = describeBounds(spec.minimum, spec.maximum);
      return labelled(
        <NumberInput
          id={id}
          value={typeof value === "number" ? value : undefined}
          integer={spec.integer}
          minimum={spec.minimum}
          maximum={spec.maximum}
          onChange={onChange}
          describedBy={bounds === undefined ? undefined : hintId}
        />,
        bounds,
      );
    }
    case "column":
      return labelled(
        <ColumnSelect
          id={id}
          value={typeof value === "string" ? value : ""}
          columns={columns}
          onChange={onChange}
        />,
      );
    case "newName":
      return labelled(
        <input
          id={id}
          type="text"
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(emptyAsUnset(event.target.value, field))}
        />,
      );
    case "columnList":
    case "enumList": {
      const selected = Array.isArray(value) ? value.filter(isString) : [];
      const options =
        spec.kind === "enumList"
          ? spec.options.map((option) => ({ value: option, label: option }))
          : columnOptions(columns, selected);
      return (
        <Checklist
          legend={label}
          options={options}
          selected={selected}
          onChange={(next) =>
            onChange(next.length === 0 && field.nullable ? undefined : next)
          }
          hint={field.nullable ? "None ticked means every column." : undefined}
        />
      );
    }
    case "mapping":
      return (
        <MappingEditor
          legend={label}
          value={isStringRecord(value) ? value : {}}
          columns={columns}
          onChange={onChange}
        />
      );
    case "columnOrNumber":
      return labelled(
        <ColumnOrNumberInput
          id={id}
          label={field.label}
          value={
            typeof value === "string" || typeof value === "number" ? value : undefined
          }
          columns={columns}
          onChange={onChange}
        />,
      );
    case "scalar":
      return labelled(
        <ScalarInput
          id={id}
          value={value as ScalarOrList | undefined}
          allowsList={spec.allowsList}
          onChange={onChange}
          describedBy={hintId}
        />,
        spec.allowsList ? `${SCALAR_HINT} ${LIST_HINT}` : SCALAR_HINT,
      );
    case "unsupported":
      return labelled(
        <output id={id}>{JSON.stringify(value) ?? "(not set)"}</output>,
        "This field cannot be edited here.",
      );
  }
}

function columnOptions(columns: ColumnSchema[], selected: string[]) {
  const known = new Set(columns.map((column) => column.name));
  const missing = selected.filter((name) => !known.has(name));
  return [
    ...columns.map((column) => ({
      value: column.name,
      label: `${column.name} (${column.dtype})`,
    })),
    ...missing.map((name) => ({ value: name, label: `${name} (not found here)` })),
  ];
}

function describeBounds(minimum?: number, maximum?: number): string | undefined {
  if (minimum !== undefined && maximum !== undefined) {
    return `From ${minimum} to ${maximum}.`;
  }
  if (minimum !== undefined) {
    return `At least ${minimum}.`;
  }
  return maximum === undefined ? undefined : `At most ${maximum}.`;
}

function emptyAsUnset(text: string, field: StepField): string | undefined {
  return text === "" && !field.required ? undefined : text;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(isString)
  );
}
