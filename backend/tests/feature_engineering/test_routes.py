"""The pipeline routes end to end: the real app, its executor and worker processes."""

import io
from typing import Any

import httpx
import pandas as pd
import pytest

from core.config import Settings
from tests.conftest import wait_for_job
from tests.factories import sample_frame, stored_dataset

pytestmark = pytest.mark.usefixtures("app")

FILL_AND_SCALE = [
    {"type": "fill_missing", "columns": ["amount"], "strategy": "mean"},
    {"type": "standard_scale", "columns": ["amount"]},
    {"type": "filter_rows", "column": "age", "operator": "ge", "value": 30},
    {"type": "drop_columns", "columns": ["seen"]},
    {"type": "one_hot_encode", "columns": ["city"]},
]


def expected_output(frame: pd.DataFrame) -> pd.DataFrame:
    """The FILL_AND_SCALE pipeline written directly in pandas."""
    out = frame.copy()
    out["amount"] = out["amount"].fillna(out["amount"].mean())
    out["amount"] = (out["amount"] - out["amount"].mean()) / out["amount"].std(ddof=0)
    out = out[out["age"] >= 30].drop(columns=["seen"])
    # Every city is among the 20 most frequent; their columns come in value order.
    ordered = sorted(out["city"].dropna().unique())
    encoded = pd.DataFrame(
        {f"city_{value}": (out["city"] == value).astype("int8") for value in ordered}
    )
    # The encoded columns take the place of the original one.
    at = out.columns.get_loc("city")
    out = pd.concat([out.iloc[:, :at], encoded, out.iloc[:, at + 1 :]], axis=1)
    return out.reset_index(drop=True)


async def _preview(
    client: httpx.AsyncClient, dataset_id: str, **body: object
) -> dict[str, Any]:
    response = await client.post(
        "/pipelines/preview", json={"dataset_source_id": dataset_id, **body}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


class TestPreview:
    async def test_small_dataset_needs_no_full_run(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(300))

        preview = await _preview(client, dataset_id, steps=FILL_AND_SCALE, row_limit=10)

        assert preview["sample_rows"] == 300
        assert len(preview["rows"]) == 10
        assert preview["full_execution"]["job_status"] == "not_required"
        assert preview["full_execution"]["job_id"] is None

    async def test_preview_reads_only_the_limit_and_queues_the_full_run(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(5_000))

        preview = await _preview(client, dataset_id, steps=FILL_AND_SCALE)

        assert preview["total_rows"] == 5_000
        assert preview["sample_rows"] == settings.preview_row_limit
        signal = preview["full_execution"]
        assert signal["job_status"] in {"queued", "running", "succeeded"}
        assert signal["job_id"] is not None
        assert signal["total_rows"] == 5_000

    async def test_warnings_say_what_the_steps_did_to_the_data(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        frame = sample_frame(200)
        frame["amount"] = frame["amount"] - 100  # about half of them negative
        negative = int((frame["amount"] < 0).sum())
        dataset_id = await stored_dataset(settings, frame)
        steps = [
            {"type": "log_transform", "columns": ["amount"]},
            {"type": "one_hot_encode", "columns": ["city"], "max_categories": 2},
        ]

        preview = await _preview(client, dataset_id, steps=steps)

        warnings = {w["code"]: w for w in preview["warnings"]}
        assert warnings["negative_values"]["step_index"] == 0
        assert warnings["negative_values"]["count"] == negative
        assert warnings["categories_left_out"]["step_index"] == 1
        assert warnings["categories_left_out"]["count"] == 2

    async def test_unknown_column_is_a_422_naming_the_step(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(10))
        steps = [
            {"type": "drop_columns", "columns": ["seen"]},
            {"type": "standard_scale", "columns": ["seen"]},
        ]

        response = await client.post(
            "/pipelines/preview", json={"dataset_source_id": dataset_id, "steps": steps}
        )

        assert response.status_code == 422
        body = response.json()
        assert body["step_index"] == 1
        assert "seen" in body["detail"]
        assert body["code"] == "invalid_step"

    async def test_malformed_step_is_a_422_with_detail_and_code(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(10))

        response = await client.post(
            "/pipelines/preview",
            json={"dataset_source_id": dataset_id, "steps": [{"type": "explode"}]},
        )

        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_error"
        assert body["step_index"] == 0
        assert body["detail"].startswith("Step 1: Input tag 'explode'")

    async def test_each_invalid_field_names_its_step_and_field(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(10))
        steps = [
            {"type": "drop_columns", "columns": ["seen"]},
            {"type": "fill_missing", "columns": [], "strategy": "mean"},
        ]

        response = await client.post(
            "/pipelines/preview", json={"dataset_source_id": dataset_id, "steps": steps}
        )

        body = response.json()
        assert body["step_index"] == 1
        assert [(e["step_index"], e["message"]) for e in body["errors"]] == [
            (
                1,
                "Step 2 (fill_missing): columns: "
                "List should have at least 1 item after validation, not 0",
            )
        ]

    async def test_a_pipeline_has_at_most_a_hundred_steps(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(10))
        step = {"type": "clip", "columns": ["amount"], "lower": 0}

        accepted = await client.post(
            "/pipelines/preview",
            json={"dataset_source_id": dataset_id, "steps": [step] * 100},
        )
        refused = await client.post(
            "/pipelines/preview",
            json={"dataset_source_id": dataset_id, "steps": [step] * 101},
        )

        assert accepted.status_code == 200
        assert refused.status_code == 422
        assert "100" in refused.json()["detail"]

    async def test_dataset_whose_file_is_gone_is_a_409(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(10))
        (settings.datasets_dir / f"{dataset_id}.parquet").unlink()

        response = await client.post(
            "/pipelines/preview", json={"dataset_source_id": dataset_id}
        )

        assert response.status_code == 409
        assert response.json()["code"] == "dataset_unavailable"

    async def test_unknown_dataset_is_a_404(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/pipelines/preview", json={"dataset_source_id": "nope"}
        )

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestFullExecution:
    async def test_full_run_output_equals_pandas_on_the_whole_dataset(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        frame = sample_frame(5_000, seed=3)
        dataset_id = await stored_dataset(settings, frame)
        signal = (await _preview(client, dataset_id, steps=FILL_AND_SCALE))[
            "full_execution"
        ]

        done = await wait_for_job(client, dataset_id, signal["job_id"])

        assert done["job_status"] == "succeeded", done
        assert done["poll_after_seconds"] is None
        assert done["processed_rows"] == 5_000
        expected = expected_output(frame)
        assert done["output_rows"] == len(expected)
        assert done["result"]["row_count"] == len(expected)
        download = await client.get(
            done["result"]["download_url"].removeprefix("/ml-workflow/api")
        )
        assert download.status_code == 200
        actual = pd.read_parquet(io.BytesIO(download.content))
        assert list(actual.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(
            actual, expected, check_dtype=False, rtol=1e-9, check_exact=False
        )

    async def test_csv_download_escapes_formula_cells(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        frame = sample_frame(2_000)
        frame["age"] = frame["age"].astype("Int64").mask(frame["id"] % 7 == 0)
        dataset_id = await stored_dataset(settings, frame)
        signal = (await _preview(client, dataset_id))["full_execution"]
        done = await wait_for_job(client, dataset_id, signal["job_id"])

        url = done["result"]["download_url"].removeprefix("/ml-workflow/api")
        response = await client.get(url, params={"format": "csv"})

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        table = pd.read_csv(io.StringIO(response.text))
        assert len(table) == 2_000
        assert "'=cmd" in set(table["city"])
        assert "=cmd" not in set(table["city"])
        assert table["amount"].isna().sum() == frame["amount"].isna().sum()
        assert table["age"].isna().sum() == frame["age"].isna().sum()

    async def test_active_job_sends_retry_after_and_terminal_job_does_not(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(3_000))
        job_id = (await _preview(client, dataset_id))["full_execution"]["job_id"]

        first = await client.get(f"/pipelines/{dataset_id}/full-execution/{job_id}")
        if first.json()["job_status"] in {"queued", "running"}:
            assert int(first.headers["retry-after"]) >= 1
        await wait_for_job(client, dataset_id, job_id)
        last = await client.get(f"/pipelines/{dataset_id}/full-execution/{job_id}")

        assert "retry-after" not in last.headers
        assert last.json()["poll_after_seconds"] is None

    async def test_unchanged_signal_answers_304_to_its_etag(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(3_000))
        job_id = (await _preview(client, dataset_id))["full_execution"]["job_id"]
        await wait_for_job(client, dataset_id, job_id)
        url = f"/pipelines/{dataset_id}/full-execution/{job_id}"
        etag = (await client.get(url)).headers["etag"]

        response = await client.get(url, headers={"If-None-Match": etag})

        assert response.status_code == 304

    async def test_unknown_job_and_job_of_another_dataset_are_404(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(2_000))
        other_id = await stored_dataset(settings, sample_frame(10), name="other")
        job_id = (await _preview(client, dataset_id))["full_execution"]["job_id"]

        unknown = await client.get(f"/pipelines/{dataset_id}/full-execution/missing")
        foreign = await client.get(f"/pipelines/{other_id}/full-execution/{job_id}")

        for response in (unknown, foreign):
            assert response.status_code == 404
            assert set(response.json()) >= {"detail", "code"}

    async def test_deferred_run_starts_when_asked(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(2_000))

        preview = await _preview(client, dataset_id, run_full_execution=False)
        assert preview["full_execution"]["job_status"] == "deferred"
        assert preview["full_execution"]["job_id"] is None
        started = await client.post(f"/pipelines/{dataset_id}/full-execution", json={})

        assert started.status_code == 202
        done = await wait_for_job(client, dataset_id, started.json()["job_id"])
        assert done["job_status"] == "succeeded"

    async def test_missing_dataset_file_fails_the_job_with_a_reason(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(2_000))
        (settings.datasets_dir / f"{dataset_id}.parquet").unlink()

        started = await client.post(f"/pipelines/{dataset_id}/full-execution", json={})
        done = await wait_for_job(client, dataset_id, started.json()["job_id"])

        assert done["job_status"] == "failed"
        assert done["error"]["code"] == "pipeline_error"
        assert done["reason"]
        assert not list(settings.results_dir.glob("*"))

    async def test_history_lists_the_datasets_jobs_newest_first(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset_id = await stored_dataset(settings, sample_frame(2_000))
        first = (await _preview(client, dataset_id))["full_execution"]["job_id"]
        second = (await _preview(client, dataset_id, steps=FILL_AND_SCALE[:1]))[
            "full_execution"
        ]["job_id"]

        response = await client.get(f"/pipelines/{dataset_id}/full-execution")

        assert [job["job_id"] for job in response.json()] == [second, first]
