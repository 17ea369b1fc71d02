import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { JobStatus } from "../../api/types";
import { JobStatusBadge } from "./JobStatusBadge";

describe("JobStatusBadge", () => {
  it.each<[JobStatus, string]>([
    ["not_required", "Complete"],
    ["deferred", "Deferred"],
    ["queued", "Queued"],
    ["running", "Running"],
    ["succeeded", "Succeeded"],
    ["failed", "Failed"],
    ["cancelled", "Cancelled"],
  ])("shows %s as %s and exposes the status", (status, label) => {
    render(<JobStatusBadge status={status} testId="full-execution-badge" />);

    const badge = screen.getByTestId("full-execution-badge");
    expect(badge.textContent).toBe(label);
    expect(badge.getAttribute("data-status")).toBe(status);
    expect(badge.className).toContain(`job-badge--${status}`);
  });
});
