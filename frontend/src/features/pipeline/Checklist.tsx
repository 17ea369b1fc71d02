export interface ChecklistOption {
  value: string;
  label: string;
}

interface ChecklistProps {
  legend: string;
  options: ChecklistOption[];
  selected: string[];
  onChange: (selected: string[]) => void;
  hint?: string;
}

/** Several choices; the selection keeps the order in which they were ticked. */
export function Checklist({ legend, options, selected, onChange, hint }: ChecklistProps) {
  const toggle = (value: string, checked: boolean) => {
    onChange(checked ? [...selected, value] : selected.filter((item) => item !== value));
  };

  return (
    <fieldset className="pipeline-checklist">
      <legend>{legend}</legend>
      {hint !== undefined && <p className="pipeline-hint">{hint}</p>}
      <div className="pipeline-checklist-options">
        {options.length === 0 && <p className="pipeline-hint">Nothing to choose from.</p>}
        {options.map((option) => (
          <label key={option.value} className="pipeline-checklist-option">
            <input
              type="checkbox"
              checked={selected.includes(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            {option.label}
          </label>
        ))}
      </div>
      {selected.length > 1 && (
        <p className="pipeline-hint">In this order: {selected.join(", ")}</p>
      )}
    </fieldset>
  );
}
