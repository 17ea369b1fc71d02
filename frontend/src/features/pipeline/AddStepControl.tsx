import { type Ref, useId, useState } from "react";

import { STEP_DESCRIPTORS, type StepDescriptor } from "./stepSchemas";

interface AddStepControlProps {
  onAdd: (descriptor: StepDescriptor) => void;
  selectRef?: Ref<HTMLSelectElement>;
}

/** Choose a step type and append a step of it. */
export function AddStepControl({ onAdd, selectRef }: AddStepControlProps) {
  const id = useId();
  const [type, setType] = useState(STEP_DESCRIPTORS[0]?.type ?? "");
  const chosen = STEP_DESCRIPTORS.find((descriptor) => descriptor.type === type);

  return (
    <div className="pipeline-add-step">
      <label htmlFor={id}>Step type</label>
      <select
        id={id}
        ref={selectRef}
        data-testid="step-type-select"
        value={type}
        onChange={(event) => setType(event.target.value)}
      >
        {STEP_DESCRIPTORS.map((descriptor) => (
          <option key={descriptor.type} value={descriptor.type}>
            {descriptor.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="add-step"
        disabled={chosen === undefined}
        onClick={() => chosen !== undefined && onAdd(chosen)}
      >
        Add step
      </button>
      {chosen?.description && <p className="pipeline-hint">{chosen.description}</p>}
    </div>
  );
}
