"""The artifact store (`--storage-url`): parsing, a local and a shared directory, and S3 on a
real S3-compatible server (moto's server mode on loopback, tests/s3.py); then generations on
fake media publishing to the bucket, and the video and export routes serving from it."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.s3 import s3_bucket, s3_client, s3_server
from tests.test_http_edges import registry_of
from tests.test_routes import start, wait_done
from videogen.actors.adapters.object_store import (
    LocalStore,
    S3Location,
    S3Store,
    StorageURLError,
    open_artifact_store,
    parse_storage_url,
)
from videogen.actors.errors import ArtifactStoreFailed
from videogen.actors.limits import UPLOAD_PART_BYTES
from videogen.server.settings import storage_url

if TYPE_CHECKING:
    from pathlib import Path

    from tests.s3 import S3Server

__all__ = ["s3_bucket", "s3_server"]


async def _read(store: Any, key: str, start: int, length: int) -> bytes:
    return b"".join([chunk async for chunk in store.chunks(key, start, length)])


def _objects(endpoint: str, bucket: str) -> dict[str, int]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return {o["Key"]: int(o["Size"]) for o in listing.get("Contents", [])}


# -- the URL ---------------------------------------------------------------------------------


def test_storage_urls_name_a_directory_a_bucket_or_the_default(tmp_path: Path) -> None:
    assert parse_storage_url("") is None
    assert parse_storage_url("s3://media") == S3Location("media", "")
    assert parse_storage_url("s3://media/videogen/prod/") == S3Location("media", "videogen/prod")
    assert parse_storage_url(f"file://{tmp_path}") == tmp_path
    assert parse_storage_url(str(tmp_path)) == tmp_path
    for bad, says in (("s3://", "names no bucket"), ("gs://b/p", "'gs' is not a storage URL")):
        with pytest.raises(StorageURLError, match=says):
            parse_storage_url(bad)
        with pytest.raises(argparse.ArgumentTypeError, match="s3://bucket"):
            storage_url(bad)
    default = open_artifact_store(None, tmp_path / "generations")
    assert isinstance(default, LocalStore) and not default.shared


# -- directories -----------------------------------------------------------------------------


async def test_the_default_store_serves_the_data_dirs_own_files_in_place(tmp_path: Path) -> None:
    root = tmp_path / "generations"
    (root / "g").mkdir(parents=True)
    video = root / "g" / "g.mp4"
    video.write_bytes(b"0123456789")
    store = LocalStore(root, shared=False)
    before = video.stat().st_mtime_ns
    await store.put("g/g.mp4", video)  # already in place: nothing written
    info = await store.head("g/g.mp4")
    assert info is not None and info.size == 10
    assert info.etag == f'"{10:x}-{before:x}"'  # the validators the routes always sent
    assert await _read(store, "g/g.mp4", 3, 4) == b"3456"
    assert await store.head("g/none.mp4") is None
    assert await store.presign("g/g.mp4", content_type="video/mp4", disposition=None) is None


async def test_a_shared_directory_gets_whole_copies_and_no_part_files(tmp_path: Path) -> None:
    source = tmp_path / "local" / "g.mp4"
    source.parent.mkdir()
    source.write_bytes(os.urandom(100_000))
    shared = tmp_path / "shared"
    store = open_artifact_store(str(shared), tmp_path / "data" / "generations")
    assert isinstance(store, LocalStore) and store.shared
    await store.put("g/g.mp4", source)
    assert (shared / "g" / "g.mp4").read_bytes() == source.read_bytes()
    assert sorted(p.name for p in (shared / "g").iterdir()) == ["g.mp4"]
    fetched = tmp_path / "other" / "g.mp4"
    assert await store.fetch("g/g.mp4", fetched) and fetched.read_bytes() == source.read_bytes()
    assert not await store.fetch("g/none.mp4", tmp_path / "other" / "none.mp4")
    await store.delete("g/g.mp4")
    await store.delete("g/g.mp4")  # none there: nothing to do, no error
    assert await store.head("g/g.mp4") is None and source.is_file()


# -- S3 --------------------------------------------------------------------------------------


async def test_s3_put_head_ranged_reads_and_a_multipart_upload(
    s3_bucket: str, s3_server: S3Server, tmp_path: Path
) -> None:
    store = open_artifact_store(f"s3://{s3_bucket}/pre/fix", tmp_path)
    assert isinstance(store, S3Store) and store.shared
    await store.check()
    small = tmp_path / "small.vtt"
    small.write_text("WEBVTT\n\nhé\n", "utf-8")
    # Past the part size: uploaded in parts, one object once complete.
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(UPLOAD_PART_BYTES + 123_457))
    await store.put("g/g.vtt", small)
    await store.put("g/g.mp4", big)
    assert _objects(s3_server.endpoint, s3_bucket) == {
        "pre/fix/g/g.vtt": small.stat().st_size,
        "pre/fix/g/g.mp4": big.stat().st_size,
    }
    info = await store.head("g/g.mp4")
    assert info is not None and info.size == big.stat().st_size
    assert info.etag.startswith('"') and info.etag.endswith('-2"')  # S3's multipart ETag
    data = big.read_bytes()
    # Ranged GETs: exactly the bytes asked for, across the read size and at the very end.
    for begin, length in ((0, 10), (UPLOAD_PART_BYTES - 5, 1_000_000), (len(data) - 7, 7)):
        assert await _read(store, "g/g.mp4", begin, length) == data[begin : begin + length]
    assert await _read(store, "g/g.mp4", 5, 0) == b""
    assert await store.read_text("g/g.vtt") == "WEBVTT\n\nhé\n"
    assert await store.head("g/none.mp4") is None
    assert await store.read_text("g/none.vtt") is None
    fetched = tmp_path / "copy" / "g.mp4"
    assert await store.fetch("g/g.mp4", fetched) and fetched.read_bytes() == data
    assert not await store.fetch("g/none.mp4", tmp_path / "copy" / "none.mp4")
    assert sorted(p.name for p in fetched.parent.iterdir()) == ["g.mp4"]  # no part file left
    url = await store.presign("g/g.mp4", content_type="video/mp4", disposition="attachment")
    assert url is not None
    async with httpx.AsyncClient() as client:
        signed = await client.get(url, headers={"Range": "bytes=100-199"})
    assert signed.status_code == 206 and signed.content == data[100:200]
    assert signed.headers["content-type"] == "video/mp4"
    await store.delete("g/g.vtt")
    await store.delete("g/none.vtt")  # S3 deletes a missing key quietly too
    assert _objects(s3_server.endpoint, s3_bucket) == {"pre/fix/g/g.mp4": big.stat().st_size}


async def test_s3_failures_are_artifact_store_failures_without_secrets(
    s3_bucket: str, tmp_path: Path
) -> None:
    store = open_artifact_store("s3://no-such-bucket-here/p", tmp_path)
    assert isinstance(store, S3Store)
    with pytest.raises(ArtifactStoreFailed, match="could not reach s3://no-such-bucket-here"):
        await store.check()
    path = tmp_path / "f"
    path.write_bytes(b"x")
    with pytest.raises(ArtifactStoreFailed, match="could not upload g/f: NoSuchBucket") as failed:
        await store.put("g/f", path)
    assert "testing" not in str(failed.value)


# -- generations publishing to S3, served from it --------------------------------------------


async def test_a_generation_is_in_the_bucket_before_it_completes_and_served_from_it(
    s3_bucket: str, s3_server: S3Server, tmp_path: Path
) -> None:
    app = make_app(tmp_path, FakeMedia(cost=0.01), storage_url=f"s3://{s3_bucket}/v")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        registry = registry_of(test_app)
        gid = await start(client, "Tides", num_slides=2)
        events = await wait_done(client, gid)
        assert events[-2]["status"] == "completed"
        objects = _objects(s3_server.endpoint, s3_bucket)
        assert {f"v/{gid}/{gid}.mp4", f"v/{gid}/content.json", f"v/{gid}/script.json"} <= set(
            objects
        )
        # The shared store has the files: the data dir keeps no copy of them.
        assert not (tmp_path / "generations" / gid).exists()
        body = s3_client(s3_server.endpoint).get_object(Bucket=s3_bucket, Key=f"v/{gid}/{gid}.mp4")
        data = body["Body"].read()
        whole = await client.get(f"/api/video/{gid}.mp4")
        assert whole.status_code == 200 and await whole.get_data() == data
        etag = whole.headers["ETag"]
        ranged = await client.get(f"/api/video/{gid}.mp4", headers={"Range": "bytes=10-99"})
        assert ranged.status_code == 206 and await ranged.get_data() == data[10:100]
        assert ranged.headers["Content-Range"] == f"bytes 10-99/{len(data)}"
        head = await client.head(f"/api/video/{gid}.mp4")
        # (Content-Length on HEAD: the test client drops it; the real server's test checks it)
        assert head.status_code == 200 and await head.get_data() == b""
        assert head.headers["ETag"] == etag
        stale = await client.get(
            f"/api/video/{gid}.mp4", headers={"Range": "bytes=0-0", "If-Range": '"other"'}
        )
        assert stale.status_code == 200
        # The sidecars come from the bucket too.
        srt = await client.get(f"/api/subtitles/{gid}?format=srt")
        assert srt.status_code == 200 and "-->" in (await srt.get_data(as_text=True))
        # An export made on its first request is put in the bucket and served from it.
        pptx = await client.get(f"/api/export/{gid}.pptx", headers={"Range": "bytes=0-1"})
        assert pptx.status_code == 206 and await pptx.get_data() == b"PK"
        assert f"v/{gid}/{gid}.pptx" in _objects(s3_server.endpoint, s3_bucket)
        archive = await client.get(f"/api/export/{gid}.zip")
        assert archive.status_code == 200 and (await archive.get_data())[:2] == b"PK"
        video = await registry.video(f"{gid}.mp4")
        assert video.key == f"{gid}/{gid}.mp4" and video.info.size == len(data)


async def test_presigned_redirects_when_asked(s3_bucket: str, tmp_path: Path) -> None:
    url = f"s3://{s3_bucket}/v"
    app = make_app(tmp_path, FakeMedia(cost=0.01), storage_url=url, storage_presign=True)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        gid = await start(client, "Dunes", num_slides=2)
        assert (await wait_done(client, gid))[-2]["status"] == "completed"
        answer = await client.get(f"/api/video/{gid}.mp4")
        assert answer.status_code == 307
        location = answer.headers["Location"]
        assert location.startswith(os.environ["AWS_ENDPOINT_URL"]) and "Signature" in location
        assert (await client.get("/api/video/nobody.mp4")).status_code == 404
        async with httpx.AsyncClient() as http:
            signed = await http.get(location, headers={"Range": "bytes=0-3"})
        assert signed.status_code == 206 and len(signed.content) == 4


async def test_a_failed_upload_ends_the_generation_in_error_not_completed(
    s3_bucket: str, s3_server: S3Server, tmp_path: Path
) -> None:
    app = make_app(tmp_path, FakeMedia(cost=0.01), storage_url=f"s3://{s3_bucket}/v")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        # The bucket goes away after the start checked it: the upload is refused.
        s3_client(s3_server.endpoint).delete_bucket(Bucket=s3_bucket)
        gid = await start(client, "Reefs", num_slides=2)
        events = await wait_done(client, gid)
        assert [e["status"] for e in events].count("completed") == 0
        assert events[-2]["status"] == "error"
        assert "artifact store could not upload" in events[-2]["message"]
        assert (await client.get(f"/api/video/{gid}.mp4")).status_code == 404
