import { Route, Routes } from "react-router";

import { DatasetListPage } from "../features/datasets/DatasetListPage";
import { DatasetPage } from "../features/datasets/DatasetPage";
import { AppLayout } from "./AppLayout";
import { NotFoundPage } from "./NotFoundPage";

export function App() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<DatasetListPage />} />
        <Route path="datasets/:datasetSourceId" element={<DatasetPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
