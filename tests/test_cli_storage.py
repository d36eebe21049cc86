"""`videogen generate --storage-url`: the finished files go into the store, as a server's do
(a real S3-compatible server: moto's server mode on loopback, tests/s3.py). The printed places
are the store's, `--output` and the `--export`s beside it are fetched back from it, and the
data dir keeps no copy."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.s3 import s3_bucket, s3_client, s3_server
from videogen.cli.main import main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from tests.s3 import S3Server

__all__ = ["s3_bucket", "s3_server"]


def _printed(out: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+):\s+(.+)$", out, flags=re.MULTILINE))


def test_generate_puts_the_video_in_the_store_and_fetches_output(
    s3_bucket: str, s3_server: S3Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    out = tmp_path / "out" / "tides.mp4"
    argv = ["generate", "Tides", "--slides", "3", "--storage-url", f"s3://{s3_bucket}/v"]
    assert main([*argv, "-o", str(out), "--export", "pdf", "--data-dir", str(data)]) == 0
    printed = _printed(capsys.readouterr().out)
    client = s3_client(s3_server.endpoint)
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket)["Contents"]}
    (video_key,) = [k for k in keys if k.endswith(".mp4")]
    gid = video_key.split("/")[1]
    assert {f"v/{gid}/content.json", f"v/{gid}/script.json", f"v/{gid}/{gid}.pdf"} <= keys
    stored = client.get_object(Bucket=s3_bucket, Key=video_key)["Body"].read()
    assert len(stored) > 10_000 and out.read_bytes() == stored
    assert printed["video"] == str(out.absolute())
    assert printed["content"] == f"s3://{s3_bucket}/v/{gid}/content.json"
    assert printed["script"] == f"s3://{s3_bucket}/v/{gid}/script.json"
    pdf = client.get_object(Bucket=s3_bucket, Key=f"v/{gid}/{gid}.pdf")["Body"].read()
    assert printed["pdf"] == str(out.with_suffix(".pdf").absolute())
    assert out.with_suffix(".pdf").read_bytes() == pdf
    # The store has the files: the data dir keeps no copy of them (the export's drawing
    # leaves its empty folder).
    assert not [p for p in (data / "generations").rglob("*") if p.is_file()]

    # Without --output: the video's place in the store.
    assert main([*argv, "--data-dir", str(data)]) == 0
    again = _printed(capsys.readouterr().out)
    assert re.fullmatch(rf"s3://{s3_bucket}/v/[^/]+/[^/]+\.mp4", again["video"]), again
