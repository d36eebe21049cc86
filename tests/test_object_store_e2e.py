"""A real `videogen serve --storage-url s3://…` on loopback, with a real S3-compatible server
(moto's, tests/s3.py) and a real PostgreSQL (tests/postgres.py): a real video is made, lands in
the bucket, and is served by ranges from it, by this server and by a second one with another
data dir sharing the database and the bucket (with SQLite each server has its own database, so
a second reader needs the shared one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from tests.s3 import s3_bucket, s3_client, s3_server
from tests.test_server_e2e import Server, client_for, follow, submit

if TYPE_CHECKING:
    from pathlib import Path

    from tests.s3 import S3Server

__all__ = ["s3_bucket", "s3_server"]


async def _served_ranges(server: Server, gid: str, data: bytes) -> None:
    """`server` answers the video whole, by a range and to HEAD, with the bucket's bytes."""
    async with client_for(server) as client:
        whole = await client.get(f"/api/video/{gid}.mp4")
        assert whole.status_code == 200 and whole.content == data
        middle = len(data) // 2
        ranged = await client.get(
            f"/api/video/{gid}.mp4", headers={"Range": f"bytes={middle}-{middle + 999}"}
        )
        assert ranged.status_code == 206 and ranged.content == data[middle : middle + 1000]
        assert ranged.headers["content-range"] == f"bytes {middle}-{middle + 999}/{len(data)}"
        head = await client.head(f"/api/video/{gid}.mp4")
        assert head.status_code == 200 and head.headers["content-length"] == str(len(data))
        assert head.headers["etag"] == whole.headers["etag"]
        chapters = await client.get(f"/api/chapters/{gid}")
        assert chapters.status_code == 200 and chapters.text.startswith("WEBVTT")


@pytest.mark.slow
async def test_serve_on_s3_and_postgresql_a_second_replica_serves_the_same_video(
    s3_bucket: str, s3_server: S3Server, pg_url: str, tmp_path: Path
) -> None:
    storage = ("--storage-url", f"s3://{s3_bucket}/replicas", "--database-url", pg_url)
    first = Server(tmp_path / "a" / "data", "--rate-limit", "0", *storage)
    try:
        async with client_for(first) as client:
            gid = await submit(client, "Volcanoes", num_slides=2)
            statuses = [e["status"] for _, e in await follow(client, gid)]
            assert statuses[-2:] == ["completed", "done"]
        key = f"replicas/{gid}/{gid}.mp4"
        got = s3_client(s3_server.endpoint).get_object(Bucket=s3_bucket, Key=key)
        data = got["Body"].read()
        assert data[4:8] == b"ftyp"
        # The bucket holds it; this replica's data dir does not.
        assert not (first.data_dir / "generations" / gid / f"{gid}.mp4").exists()
        await _served_ranges(first, gid, data)
        second = Server(tmp_path / "b" / "data", "--rate-limit", "0", *storage)
        try:
            await _served_ranges(second, gid, data)
            async with client_for(second) as client:
                pptx = await client.get(f"/api/export/{gid}.pptx")
                assert pptx.status_code == 200 and pptx.content[:2] == b"PK"
        finally:
            assert second.stop() == 0, second.log_path.read_text()[-2000:]
        # The export one replica drew is in the bucket: the other serves the same bytes.
        async with client_for(first) as client:
            again = await client.get(f"/api/export/{gid}.pptx")
        assert again.status_code == 200 and again.content == pptx.content
    finally:
        assert first.stop() == 0, first.log_path.read_text()[-2000:]


@pytest.mark.slow
async def test_serve_with_presign_redirects_to_the_bucket(s3_bucket: str, tmp_path: Path) -> None:
    storage = ("--storage-url", f"s3://{s3_bucket}", "--storage-presign")
    server = Server(tmp_path / "data", "--rate-limit", "0", *storage)
    try:
        async with client_for(server) as client:
            gid = await submit(client, "Comets", num_slides=2)
            assert [e["status"] for _, e in await follow(client, gid)][-2] == "completed"
            answer = await client.get(f"/api/video/{gid}.mp4")
            assert answer.status_code == 307
        async with httpx.AsyncClient() as http:
            signed = await http.get(answer.headers["location"], headers={"Range": "bytes=0-7"})
        assert signed.status_code == 206 and signed.content[4:8] == b"ftyp"
    finally:
        assert server.stop() == 0, server.log_path.read_text()[-2000:]


def test_serve_refuses_a_bucket_it_cannot_reach(s3_bucket: str, tmp_path: Path) -> None:
    """One line on stderr and exit 1, before listening, naming the bucket, no secret."""
    import subprocess

    from tests.test_server_e2e import VIDEOGEN

    argv = [VIDEOGEN, "serve", "--port", "0", "--data-dir", str(tmp_path / "data")]
    argv += ["--storage-url", "s3://no-such-bucket-anywhere/p"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert "could not reach s3://no-such-bucket-anywhere" in last and "testing" not in last
