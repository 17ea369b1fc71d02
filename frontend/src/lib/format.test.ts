import { describe, expect, it } from "vitest";

import { formatBytes, formatCount, formatDuration } from "./format";

describe("formatCount", () => {
  it("separates thousands with commas", () => {
    expect(formatCount(466285)).toBe("466,285");
    expect(formatCount(999)).toBe("999");
  });
});

describe("formatBytes", () => {
  it("picks a unit by powers of 1024", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
  });
});

describe("formatDuration", () => {
  it("reads as seconds, minutes or hours", () => {
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(83)).toBe("1 min 23 s");
    expect(formatDuration(3725)).toBe("1 h 2 min");
  });
});
