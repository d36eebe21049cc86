"""`/health`'s `checks.artifact_store`: the `--storage-url` store looked at cheaply (a HEAD of
the bucket, or a shared directory being writable) on a real S3-compatible server (moto's server
mode on loopback, tests/s3.py). A bucket gone is "degraded" (200) with the reason; a store that
does not answer is answered within the probe's time limit, never by a hung `/health`."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest
import trio
import trio.testing

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.s3 import s3_bucket, s3_client, s3_server
from videogen.actors.adapters.artifact_probe import ArtifactProbe
from videogen.actors.adapters.object_store import LocalStore, open_artifact_store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.s3 import S3Server

__all__ = ["s3_bucket", "s3_server"]


async def test_health_checks_the_bucket_and_is_degraded_without_it(
    s3_bucket: str, s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every /health looks afresh (no reuse of the last look within STORAGE_MAX_AGE).
    monkeypatch.setattr("videogen.server.health.STORAGE_MAX_AGE", 0.0)
    app = make_app(tmp_path, FakeMedia(cost=0.01), storage_url=f"s3://{s3_bucket}/v")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        response = await client.get("/health")
        body = await response.get_json()
        assert response.status_code == 200, body
        assert body["status"] == "healthy"
        assert body["checks"]["artifact_store"] == "ok"
        assert body["checks"]["storage"] == "ok"
        # The bucket goes away (S3 down for this server): degraded, naming the store and why;
        # still 200, since status, progress and drafts go on (every replica shares it).
        s3_client(s3_server.endpoint).delete_bucket(Bucket=s3_bucket)
        response = await client.get("/health")
        body = await response.get_json()
        assert response.status_code == 200, body
        assert body["status"] == "degraded"
        failed = body["checks"]["artifact_store"]
        assert failed.startswith(f"failed: the artifact store could not reach s3://{s3_bucket}")
        assert "testing" not in failed  # no credential in the reason
        assert body["checks"]["storage"] == "ok"


async def test_the_default_store_is_not_a_check_of_its_own(tmp_path: Path) -> None:
    app = make_app(tmp_path, FakeMedia(cost=0.01))
    async with app.test_app() as test_app:
        body = await (await test_app.test_client().get("/health")).get_json()
    assert body["checks"] == {"tts": "ok", "ffmpeg": "ok", "storage": "ok"}


async def test_a_shared_directory_is_probed_and_recovers(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    probe = ArtifactProbe(LocalStore(shared, shared=True))
    assert probe.configured
    assert await probe.failure(max_age=0) is None
    shared.rmdir()
    failure = await probe.failure(max_age=0)
    assert failure is not None and "not a directory" in failure and str(shared) in failure
    assert await probe.failure(max_age=60) == failure  # reused while young
    shared.mkdir()
    assert await probe.failure(max_age=0) is None
    assert not ArtifactProbe(LocalStore(tmp_path, shared=False)).configured


@pytest.fixture
def silent_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An S3 endpoint that accepts connections and never answers (a hung store)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint,
        }.items():
            monkeypatch.setenv(name, value)
        yield endpoint
    # Closing the listener resets the waiting connections: the abandoned threads end.


async def test_a_store_that_does_not_answer_fails_within_the_time_limit(
    silent_endpoint: str, tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    pytest.importorskip("boto3")
    probe = ArtifactProbe(open_artifact_store("s3://hung/p", tmp_path), timeout=2.0)
    start = trio.current_time()
    assert await probe.failure(max_age=0) == "no answer within 2 s"
    assert trio.current_time() - start == pytest.approx(2.0)
    # The first look's thread still waits, holding the probe's one slot: the next look waits
    # for it, within the same limit, instead of starting a second thread.
    assert probe._slot.borrowed_tokens == 1
    assert await probe.failure(max_age=0) == "no answer within 2 s"
    assert probe._slot.borrowed_tokens == 1
