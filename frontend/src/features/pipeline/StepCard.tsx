import { useEffect, useId, useRef } from "react";

import type { ColumnSchema, Step } from "../../api/types";
import { fieldValue, withField } from "./stepDrafts";
import { StepFieldInput } from "./StepFieldInput";
import { findStepDescriptor } from "./stepSchemas";

export type StepControl = "up" | "down" | "remove";

/** A new object per request, so asking twice for the same control focuses twice. */
export interface FocusRequest {
  control: StepControl;
}

interface StepCardProps {
  index: number;
  count: number;
  step: Step;
  columns: ColumnSchema[];
  error: string | undefined;
  focusRequest: FocusRequest | undefined;
  onChange: (step: Step) => void;
  onMove: (direction: -1 | 1) => void;
  onRemove: () => void;
}

/** One step of the pipeline: its form, its controls and the server's error for it. */
export function StepCard(props: StepCardProps) {
  const { index, count, step, columns, error, focusRequest } = props;
  const descriptor = findStepDescriptor(step.type);
  const headingId = useId();
  const number = index + 1;
  const controls = {
    up: useRef<HTMLButtonElement>(null),
    down: useRef<HTMLButtonElement>(null),
    remove: useRef<HTMLButtonElement>(null),
  };

  // Moving a step moves its element, which drops the focus; put it back on the control.
  useEffect(() => {
    if (focusRequest !== undefined) {
      controls[focusRequest.control].current?.focus();
    }
  }, [focusRequest]);

  return (
    <li
      className={
        error === undefined ? "pipeline-step" : "pipeline-step pipeline-step-invalid"
      }
      data-testid={`step-${index}`}
      aria-labelledby={headingId}
    >
      <div className="pipeline-step-header">
        <h3 id={headingId}>
          {number}. {descriptor?.label ?? step.type}
        </h3>
        <div className="pipeline-step-controls">
          <button
            ref={controls.up}
            type="button"
            data-testid={`move-step-up-${index}`}
            aria-label={`Move step ${number} up`}
            disabled={index === 0}
            onClick={() => props.onMove(-1)}
          >
            Move up
          </button>
          <button
            ref={controls.down}
            type="button"
            data-testid={`move-step-down-${index}`}
            aria-label={`Move step ${number} down`}
            disabled={index === count - 1}
            onClick={() => props.onMove(1)}
          >
            Move down
          </button>
          <button
            ref={controls.remove}
            type="button"
            data-testid={`remove-step-${index}`}
            aria-label={`Remove step ${number}`}
            onClick={props.onRemove}
          >
            Remove
          </button>
        </div>
      </div>
      {descriptor?.description && (
        <p className="pipeline-step-description">{descriptor.description}</p>
      )}
      {error !== undefined && (
        <p
          className="pipeline-step-error"
          role="alert"
          data-testid={`step-error-${index}`}
        >
          {error}
        </p>
      )}
      <div className="pipeline-step-fields">
        {descriptor === undefined && <p>This step type is not known to this page.</p>}
        {descriptor?.fields.map((field) => (
          <StepFieldInput
            key={field.name}
            field={field}
            value={fieldValue(step, field.name)}
            columns={columns}
            onChange={(value) => props.onChange(withField(step, field.name, value))}
          />
        ))}
      </div>
    </li>
  );
}
