import { describe, expect, it } from "vitest";

import { formatScalarText, parseScalarText } from "./scalarText";

describe("parseScalarText", () => {
  it("reads numbers and booleans as such and other text as text", () => {
    expect(parseScalarText("42", false)).toBe(42);
    expect(parseScalarText("-1.5", false)).toBe(-1.5);
    expect(parseScalarText("true", false)).toBe(true);
    expect(parseScalarText(" Paris ", false)).toBe("Paris");
  });

  it("treats an empty box as not set", () => {
    expect(parseScalarText("   ", true)).toBeUndefined();
  });

  it("keeps quoted text as text", () => {
    expect(parseScalarText('"42"', false)).toBe("42");
    expect(parseScalarText('"a, b"', true)).toBe("a, b");
  });

  it("splits on commas only where a list is allowed", () => {
    expect(parseScalarText("a, 2, false", true)).toEqual(["a", 2, false]);
    expect(parseScalarText("a, b", false)).toBe("a, b");
    expect(parseScalarText('["x", 1]', true)).toEqual(["x", 1]);
  });
});

describe("formatScalarText", () => {
  const values = [
    42,
    true,
    "Paris",
    "42",
    "a, b",
    "",
    ["a", "b"],
    [1, 2],
    ["1", 2],
    ["only"],
    ["a,b", "c"],
  ];

  it.each(values.map((value) => [JSON.stringify(value), value]))(
    "reads back %s unchanged",
    (_, value) => {
      expect(parseScalarText(formatScalarText(value, true), true)).toEqual(value);
    },
  );

  it("writes a plain list as comma-separated text", () => {
    expect(formatScalarText(["a", "b", 3], true)).toBe("a, b, 3");
  });
});
