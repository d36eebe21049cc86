"""A real S3-compatible server on loopback for the artifact-store tests: moto's server mode
(`python -m moto.server`), which speaks the S3 protocol over HTTP as MinIO or AWS would.

`s3_server` (one per session) starts it as a `Child` on a free port, waits until it answers
and stops and reaps it at the end, on failure too. `s3_bucket` makes a fresh bucket per test
and points the AWS_* variables at the server (a `videogen serve` started by the test inherits
them), so `s3://<bucket>/<prefix>` is all a store needs.
"""

from __future__ import annotations

import socket
import sys
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pytest

from tests.processes import Child

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["S3Server", "s3_bucket", "s3_client", "s3_server"]

# Any key works with moto; the same ones are given to the server and to the test's client.
_ENV: Final = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
}


@dataclass(frozen=True)
class S3Server:
    """The running moto server: where it listens."""

    endpoint: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def s3_client(endpoint: str) -> Any:
    """A boto3 client of the server, with the fixture's keys."""
    import boto3

    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=_ENV["AWS_REGION"],
        aws_access_key_id=_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=_ENV["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    pytest.importorskip("moto.server", reason="moto[server] is in the test extra")
    port = _free_port()
    log: Path = tmp_path_factory.mktemp("moto") / "moto.log"
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    endpoint = f"http://127.0.0.1:{port}"
    with Child(argv, log) as child:
        child.wait_for_url(f"{endpoint}/moto-api/", seconds=30, what="moto server")
        yield S3Server(endpoint)


@pytest.fixture
def s3_bucket(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty bucket; the AWS_* variables name the server and its keys."""
    for name, value in _ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    bucket = f"videogen-{uuid.uuid4().hex[:12]}"
    s3_client(s3_server.endpoint).create_bucket(Bucket=bucket)
    return bucket
