import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { makeSignal } from "../../test/factories";
import { JobDetails } from "./JobDetails";

const signal = makeSignal({
  job_id: "0f6c9d3e-job",
  job_status: "running",
  total_rows: 466285,
  attempt: 2,
  started_at: "2025-01-02T10:00:05Z",
});

describe("JobDetails", () => {
  it("is collapsed by default", () => {
    render(<JobDetails signal={signal} nextCheckAt={null} paused={false} />);

    const toggle = screen.getByRole("button", { name: "Show job details" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(toggle.dataset["testid"]).toBe("job-details-toggle");
    expect(screen.queryByTestId("job-details")).toBeNull();
  });

  it("reveals and hides the details with the toggle", async () => {
    const user = userEvent.setup();
    render(<JobDetails signal={signal} nextCheckAt={null} paused={false} />);
    const toggle = screen.getByTestId("job-details-toggle");

    await user.click(toggle);

    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const details = screen.getByTestId("job-details");
    expect(toggle.getAttribute("aria-controls")).toBe(details.id);
    expect(details.textContent).toContain("0f6c9d3e-job");
    expect(details.textContent).toContain("466,285");
    expect(details.textContent).toContain("Attempt2");
    expect(details.textContent).toContain(
      new Date("2025-01-02T10:00:05Z").toLocaleString(),
    );

    await user.click(toggle);

    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("job-details")).toBeNull();
  });

  it("counts down to the next check", async () => {
    const user = userEvent.setup();
    const nextCheckAt = Date.now() + 4000;
    render(<JobDetails signal={signal} nextCheckAt={nextCheckAt} paused={false} />);

    await user.click(screen.getByTestId("job-details-toggle"));

    expect(screen.getByTestId("job-details").textContent).toContain("Next checkin 4 s");
  });

  it("says when checks are paused or over", async () => {
    const user = userEvent.setup();
    const { rerender } = render(
      <JobDetails signal={signal} nextCheckAt={null} paused={true} />,
    );
    await user.click(screen.getByTestId("job-details-toggle"));
    expect(screen.getByTestId("job-details").textContent).toContain(
      "Paused while the tab is hidden",
    );

    rerender(
      <JobDetails
        signal={{ ...signal, job_status: "succeeded" }}
        nextCheckAt={null}
        paused={false}
      />,
    );
    expect(screen.getByTestId("job-details").textContent).toContain("No further checks");
  });
});
