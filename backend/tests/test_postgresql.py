"""The whole app on PostgreSQL: migrations, the claim with SKIP LOCKED, a full run."""

import httpx
import pytest

from core.config import Settings
from tests.conftest import wait_for_job
from tests.factories import sample_frame, stored_dataset


@pytest.fixture
def settings(settings: Settings, postgres_url: str) -> Settings:
    return settings.model_copy(update={"database_url": postgres_url})


async def test_a_full_run_succeeds_with_its_rows_in_postgresql(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    dataset_id = await stored_dataset(settings, sample_frame(3_000))
    steps = [{"type": "fill_missing", "columns": ["amount"], "strategy": "median"}]

    preview = await client.post(
        "/pipelines/preview", json={"dataset_source_id": dataset_id, "steps": steps}
    )
    job_id = preview.json()["full_execution"]["job_id"]
    again = await client.post(
        f"/pipelines/{dataset_id}/full-execution", json={"steps": steps}
    )
    done = await wait_for_job(client, dataset_id, job_id)

    assert again.json()["job_id"] == job_id
    assert done["job_status"] == "succeeded"
    assert done["processed_rows"] == 3_000
    health = (await client.get("/health")).json()
    assert health == {"status": "ok", "database": "ok", "executor": "local"}
