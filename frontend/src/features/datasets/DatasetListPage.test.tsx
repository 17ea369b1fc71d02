import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";

import { jsonResponse, stubRoutes } from "../../test/network";
import { DatasetListPage } from "./DatasetListPage";

describe("DatasetListPage", () => {
  it("lists the datasets next to the upload control", async () => {
    stubRoutes({
      "GET /ml-workflow/api/datasets": () =>
        jsonResponse([
          {
            id: "ds-1",
            name: "demo",
            format: "parquet",
            row_count: 466285,
            column_count: 10,
            columns: [],
            size_bytes: 13_496_730,
            created_at: "2025-01-02T10:00:00Z",
          },
        ]),
    });
    render(
      <MemoryRouter>
        <DatasetListPage />
      </MemoryRouter>,
    );

    const link = await screen.findByRole("link", { name: "demo" });
    expect(link.getAttribute("href")).toBe("/datasets/ds-1");
    expect(screen.getByText("466,285")).toBeTruthy();
    expect(screen.getByTestId("dataset-upload")).toBeTruthy();
  });

  it("invites an upload when there is no dataset", async () => {
    stubRoutes({ "GET /ml-workflow/api/datasets": () => jsonResponse([]) });
    render(
      <MemoryRouter>
        <DatasetListPage />
      </MemoryRouter>,
    );

    expect(await screen.findByText(/No datasets yet/)).toBeTruthy();
  });
});
