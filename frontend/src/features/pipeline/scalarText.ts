/**
 * Text <-> value for the step fields that take "a scalar, or a list of scalars".
 *
 * A number, `true`/`false` or a JSON array typed into the box becomes that value; text
 * with commas becomes a list when the field allows one; anything else stays text. Quote
 * text ("3", "a, b") to keep it text.
 */

export type Scalar = string | number | boolean;
export type ScalarOrList = Scalar | Scalar[];

export function parseScalarText(
  text: string,
  allowsList: boolean,
): ScalarOrList | undefined {
  const trimmed = text.trim();
  if (trimmed === "") {
    return undefined;
  }

  const json = parseJson(trimmed);
  if (isScalar(json)) {
    return json;
  }
  if (allowsList && Array.isArray(json) && json.every(isScalar)) {
    return json;
  }

  if (allowsList && trimmed.includes(",")) {
    return trimmed
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "")
      .map(parseListItem);
  }
  return trimmed;
}

export function formatScalarText(value: unknown, allowsList: boolean): string {
  if (value === undefined || value === null) {
    return "";
  }
  if (Array.isArray(value)) {
    return formatList(value);
  }
  return formatItem(value, allowsList);
}

function formatList(items: unknown[]): string {
  const plain =
    items.length > 1 &&
    items.every((item) => typeof item !== "string" || formatItem(item, true) === item);
  return plain ? items.join(", ") : JSON.stringify(items);
}

function parseListItem(item: string): Scalar {
  const json = parseJson(item);
  return isScalar(json) ? json : item;
}

function formatItem(item: unknown, commaSplits: boolean): string {
  if (typeof item !== "string") {
    return JSON.stringify(item) ?? "";
  }

  // Text that would read back as something else is written quoted.
  const readsBack = parseJson(item.trim());
  const ambiguous =
    item.trim() !== item ||
    item === "" ||
    (readsBack !== undefined && typeof readsBack !== "string") ||
    item.startsWith('"') ||
    (commaSplits && item.includes(","));
  return ambiguous ? JSON.stringify(item) : item;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}
