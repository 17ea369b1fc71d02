import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";

import type { DatasetSource } from "../../api/types";
import { DatasetTable } from "./DatasetTable";

const demo: DatasetSource = {
  id: "ds-1",
  name: "demo",
  format: "csv",
  row_count: 466285,
  column_count: 12,
  columns: [],
  size_bytes: 52 * 1024 * 1024,
  created_at: "2025-01-02T10:00:00Z",
};

describe("DatasetTable", () => {
  it("shows each dataset with formatted numbers and a link to its page", () => {
    render(
      <MemoryRouter>
        <DatasetTable datasets={[demo]} />
      </MemoryRouter>,
    );

    const row = screen.getByRole("row", { name: /demo/ });
    expect(within(row).getByRole("link", { name: "demo" }).getAttribute("href")).toBe(
      "/datasets/ds-1",
    );
    expect(row.textContent).toContain("466,285");
    expect(row.textContent).toContain("12");
    expect(row.textContent).toContain("52.0 MB");
    expect(row.textContent).toContain(new Date(demo.created_at).toLocaleDateString());
  });
});
