"""The dataset routes: uploads through the real app, listing, reading, deleting."""

import gzip
import io
from typing import Any

import httpx
import pandas as pd
import pytest

from core.app import create_app
from core.config import Settings
from tests.conftest import wait_for_job
from tests.factories import sample_frame

pytestmark = pytest.mark.usefixtures("app")


def _csv(rows: int, separator: str = ",") -> bytes:
    frame = sample_frame(rows).drop(columns=["seen"])
    return frame.to_csv(index=False, sep=separator).encode()


async def _upload(
    client: httpx.AsyncClient, name: str, content: bytes
) -> httpx.Response:
    return await client.post("/datasets", files={"file": (name, content)})


class TestUpload:
    @pytest.mark.parametrize("separator", [",", ";", "\t"])
    async def test_csv_is_stored_with_its_schema(
        self, client: httpx.AsyncClient, separator: str
    ) -> None:
        response = await _upload(client, "sales.csv", _csv(120, separator))

        assert response.status_code == 201, response.text
        dataset = response.json()
        assert dataset["name"] == "sales.csv"
        assert dataset["row_count"] == 120
        assert [c["name"] for c in dataset["columns"]] == [
            "id",
            "amount",
            "city",
            "age",
        ]
        assert {c["name"]: c["dtype"] for c in dataset["columns"]}["amount"] == "float"

    async def test_gzip_and_parquet_uploads_are_accepted(
        self, client: httpx.AsyncClient
    ) -> None:
        buffer = io.BytesIO()
        sample_frame(50).to_parquet(buffer, index=False)

        gz = await _upload(client, "sales.csv.gz", gzip.compress(_csv(40)))
        parquet = await _upload(client, "sales.parquet", buffer.getvalue())

        assert gz.status_code == 201, gz.text
        assert gz.json()["row_count"] == 40
        assert parquet.status_code == 201, parquet.text
        assert parquet.json()["row_count"] == 50

    @pytest.mark.parametrize(
        ("name", "content", "status"),
        [
            ("empty.csv", b"", 422),
            ("header.csv", b"a,b,c\n", 422),
            ("garbage.csv", bytes(range(256)) * 40, 422),
            ("fake.parquet", b"this is not parquet", 422),
            ("notes.docx", b"a,b\n1,2\n", 415),
        ],
    )
    async def test_bad_file_is_refused_and_leaves_nothing(
        self,
        client: httpx.AsyncClient,
        settings: Settings,
        name: str,
        content: bytes,
        status: int,
    ) -> None:
        response = await _upload(client, name, content)

        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) >= {"detail", "code"}
        assert body["detail"]
        assert not list(settings.datasets_dir.iterdir())
        assert not list(settings.uploads_dir.iterdir())
        assert (await client.get("/datasets")).json() == []

    async def test_name_field_labels_the_dataset(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            "/datasets",
            files={"file": ("sales.csv", _csv(5))},
            data={"name": "  Q3 sales  "},
        )

        assert response.status_code == 201, response.text
        assert response.json()["name"] == "Q3 sales"

    @pytest.mark.parametrize(
        "request_kwargs",
        [
            {"content": b"a,b\n1,2\n", "headers": {"content-type": "text/csv"}},
            {"data": {"name": "no file"}, "files": {"other": ("x.csv", b"a\n1\n")}},
            {
                "content": b"--xx\r\nbroken",
                "headers": {"content-type": "multipart/form-data; boundary=xx"},
            },
        ],
        ids=["not-multipart", "no-file-field", "truncated-form"],
    )
    async def test_malformed_upload_request_is_a_422(
        self,
        client: httpx.AsyncClient,
        settings: Settings,
        request_kwargs: dict[str, Any],
    ) -> None:
        response = await client.post("/datasets", **request_kwargs)

        assert response.status_code == 422, response.text
        assert response.json()["code"] == "invalid_dataset"
        assert not list(settings.uploads_dir.iterdir())

    async def test_file_over_the_limit_is_a_413(self, settings: Settings) -> None:
        small = settings.model_copy(update={"max_upload_bytes": 1_000})
        app = create_app(small)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://t/ml-workflow/api"
            ) as http:
                response = await _upload(http, "big.csv", _csv(500))

        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"
        assert not list(small.datasets_dir.iterdir())


class TestListAndRead:
    async def test_datasets_are_listed_newest_first(
        self, client: httpx.AsyncClient
    ) -> None:
        first = (await _upload(client, "a.csv", _csv(5))).json()
        second = (await _upload(client, "b.csv", _csv(5))).json()

        listed = (await client.get("/datasets")).json()

        assert [d["id"] for d in listed] == [second["id"], first["id"]]

    async def test_unknown_dataset_is_a_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/datasets/missing")

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestDelete:
    async def test_delete_removes_the_dataset_its_jobs_and_results(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset = (await _upload(client, "big.csv", _csv(2_000))).json()
        started = await client.post(
            f"/pipelines/{dataset['id']}/full-execution", json={}
        )
        await wait_for_job(client, dataset["id"], started.json()["job_id"])
        assert list(settings.results_dir.iterdir())

        response = await client.delete(f"/datasets/{dataset['id']}")

        assert response.status_code == 204
        assert (await client.get(f"/datasets/{dataset['id']}")).status_code == 404
        assert not list(settings.datasets_dir.iterdir())
        assert not list(settings.results_dir.iterdir())

    async def test_delete_is_refused_while_a_job_is_active(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        dataset = (await _upload(client, "big.csv", _csv(20_000))).json()
        started = await client.post(
            f"/pipelines/{dataset['id']}/full-execution", json={}
        )

        response = await client.delete(f"/datasets/{dataset['id']}")

        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        await wait_for_job(client, dataset["id"], started.json()["job_id"])

    async def test_uploaded_csv_round_trips_through_a_full_run(
        self, client: httpx.AsyncClient
    ) -> None:
        content = _csv(3_000)
        dataset = (await _upload(client, "big.csv", content)).json()
        steps = [{"type": "fill_missing", "columns": ["amount"], "strategy": "mean"}]
        preview = await client.post(
            "/pipelines/preview",
            json={"dataset_source_id": dataset["id"], "steps": steps},
        )
        job_id = preview.json()["full_execution"]["job_id"]

        done = await wait_for_job(client, dataset["id"], job_id)

        expected = pd.read_csv(io.BytesIO(content))
        assert done["job_status"] == "succeeded"
        assert done["output_rows"] == len(expected)
