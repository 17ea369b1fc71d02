const COUNT_FORMAT = new Intl.NumberFormat("en-US");

// Data values are shown without grouping (a year or an id should read as typed) and
// rounded to eight significant digits, enough to tell scaled values apart.
const VALUE_FORMAT = new Intl.NumberFormat("en-US", {
  maximumSignificantDigits: 8,
  useGrouping: false,
});

export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

export function formatNumber(value: number): string {
  return VALUE_FORMAT.format(value);
}

/** A cell's text; `null` for a missing value, which the caller styles. */
export function formatCell(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === "number") {
    return formatNumber(value);
  }
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "boolean") {
    return String(value);
  }
  return JSON.stringify(value);
}

export function formatStatistic(value: number | string): string {
  return typeof value === "number" ? formatNumber(value) : value;
}
