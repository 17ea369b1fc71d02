import "./PipelineEditor.css";

import { useMemo, useRef, useState } from "react";

import type { ColumnSchema, Step } from "../../api/types";
import { AddStepControl } from "./AddStepControl";
import { type FocusRequest, StepCard, type StepControl } from "./StepCard";
import { columnsBeforeEachStep } from "./stepColumns";
import { newStep } from "./stepDrafts";
import type { StepDescriptor } from "./stepSchemas";
import { swapped, useStepKeys } from "./useStepKeys";

interface PipelineEditorProps {
  columns: ColumnSchema[];
  steps: Step[];
  onChange: (steps: Step[]) => void;
  /** The server's complaint about step i, by the index it had in the request. */
  stepErrors: Record<number, string>;
}

interface PendingFocus {
  key: string;
  request: FocusRequest;
}

/** Compose the pipeline: add, edit, reorder and remove steps. */
export function PipelineEditor({
  columns,
  steps,
  onChange,
  stepErrors,
}: PipelineEditorProps) {
  const stepKeys = useStepKeys(steps.length);
  const [focus, setFocus] = useState<PendingFocus | undefined>(undefined);
  const addSelect = useRef<HTMLSelectElement>(null);
  const stages = useMemo(() => columnsBeforeEachStep(columns, steps), [columns, steps]);
  const outputColumns = stages[stages.length - 1] ?? [];

  const add = (descriptor: StepDescriptor) => {
    stepKeys.insert();
    onChange([...steps, newStep(descriptor, outputColumns)]);
  };

  const edit = (index: number, step: Step) => {
    onChange(steps.map((current, i) => (i === index ? step : current)));
  };

  const move = (index: number, direction: -1 | 1) => {
    const target = index + direction;
    const key = stepKeys.keys[index];
    if (target < 0 || target >= steps.length || key === undefined) {
      return;
    }

    stepKeys.swap(index, target);
    setFocus({
      key,
      request: { control: controlAfterMove(target, steps.length, direction) },
    });
    onChange(swapped(steps, index, target));
  };

  const remove = (index: number) => {
    const neighbour = stepKeys.keys[index + 1] ?? stepKeys.keys[index - 1];

    stepKeys.remove(index);
    if (neighbour === undefined) {
      addSelect.current?.focus();
    } else {
      setFocus({ key: neighbour, request: { control: "remove" } });
    }
    onChange(steps.filter((_, i) => i !== index));
  };

  return (
    <section className="pipeline-editor" aria-label="Pipeline steps">
      {steps.length === 0 ? (
        <p className="pipeline-hint">
          No steps yet: the preview shows the dataset as it is.
        </p>
      ) : (
        <ol className="pipeline-steps">
          {steps.map((step, index) => {
            const key = stepKeys.keys[index] ?? `step-${index}`;
            return (
              <StepCard
                key={key}
                index={index}
                count={steps.length}
                step={step}
                columns={stages[index] ?? []}
                error={stepErrors[index]}
                focusRequest={focus?.key === key ? focus.request : undefined}
                onChange={(changed) => edit(index, changed)}
                onMove={(direction) => move(index, direction)}
                onRemove={() => remove(index)}
              />
            );
          })}
        </ol>
      )}
      <AddStepControl onAdd={add} selectRef={addSelect} />
      <p className="pipeline-hint">
        Columns after these steps (estimated here; the preview is exact):{" "}
        {outputColumns.map((column) => column.name).join(", ") || "none"}
      </p>
    </section>
  );
}

/** The same move button again, unless the step reached the end it was moving to. */
function controlAfterMove(target: number, count: number, direction: -1 | 1): StepControl {
  if (direction === -1) {
    return target === 0 ? "down" : "up";
  }
  return target === count - 1 ? "up" : "down";
}
