"""Where finished files are kept and read back from: the artifact store (`--storage-url`).

A generation is made in `<data-dir>/generations/<id>/` (`Artifacts`); when it is verified, the
supervisor `publish`es its files to the store under the keys `<id>/<file name>`, and only then
records `completed`. Every route that serves a finished file (video, subtitles, chapters,
exports) reads it back from the store, never from the local folder, so any replica sharing the
store and the database serves every generation.

    LocalStore   a directory. The default is `<data-dir>/generations/` itself: publishing a
                 file already there does nothing, so one machine behaves exactly as before. A
                 shared directory (an NFS mount) gets a copy, written under a hidden name and
                 renamed into place, so it appears whole or not at all.
    S3Store      `s3://bucket/prefix` on any S3-compatible service (AWS, MinIO, moto), with
                 the usual AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
                 AWS_REGION. boto3 is synchronous: every call runs in a worker thread, at most
                 `ARTIFACT_STORE_THREADS` at once. Uploads stream from the file, in
                 `UPLOAD_PART_BYTES` parts past that size; an S3 object exists only once its
                 PUT (or its multipart upload's completion) succeeded, so a crash mid-upload
                 leaves no half object. Reads are ranged GETs, sizes and ETags a HEAD.

The registry owns one store for its run (`open_artifact_store`). A store raises
`ArtifactStoreFailed` when it cannot answer (the bucket refused or timed out; no credential in
the message); a local directory's `OSError`s pass through as they did before (the supervisor
names the folder).

Why boto3 and not obstore: obstore's async API runs on asyncio (pyo3's futures) and cannot be
awaited from Trio, so it too would run in threads; boto3 is the reference client of the
protocol, is what moto (the tests' S3 server) is built on, and has presigned URLs and managed
multipart uploads built in. It is an extra (`videogen[s3]`): it is imported only for an
`s3://` URL.
"""

from __future__ import annotations

import email.utils
import functools
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import trio

from videogen.actors.errors import ArtifactStoreFailed
from videogen.actors.limits import (
    ARTIFACT_STORE_CONNECT_TIMEOUT,
    ARTIFACT_STORE_READ_TIMEOUT,
    ARTIFACT_STORE_THREADS,
    PRESIGN_SECONDS,
    STORE_READ_BYTES,
    UPLOAD_PART_BYTES,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

__all__ = [
    "ArtifactStore",
    "LocalStore",
    "ObjectInfo",
    "S3Store",
    "StorageURLError",
    "StoredFile",
    "check_artifact_store",
    "open_artifact_store",
    "parse_storage_url",
]

_T = TypeVar("_T")

S3_SCHEME: Final = "s3://"
FILE_SCHEME: Final = "file://"


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What a HEAD answers: the size, a strong ETag naming these bytes, and the modification
    time (seconds since the epoch)."""

    size: int
    etag: str
    mtime: float

    @property
    def last_modified(self) -> str:
        """`Last-Modified` (RFC 9110 §8.8.2)."""
        return email.utils.formatdate(self.mtime, usegmt=True)


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A finished file found in the store: its key and what its HEAD answered."""

    key: str
    info: ObjectInfo


class ArtifactStore(Protocol):
    """The store's operations; keys are `<generation id>/<file name>`."""

    @property
    def shared(self) -> bool:
        """Whether it is more than this data dir's own folder (published files are copies)."""
        ...

    async def put(self, key: str, path: Path) -> None:
        """Store `path`'s bytes under `key`, whole or not at all."""
        ...

    async def head(self, key: str) -> ObjectInfo | None:
        """The object's size and validators, or None when there is none under `key`."""
        ...

    def chunks(self, key: str, start: int, length: int) -> AsyncIterator[bytes]:
        """`length` bytes of the object from `start`, in pieces of at most `STORE_READ_BYTES`."""
        ...

    async def read_text(self, key: str) -> str | None:
        """A small object's UTF-8 text, or None when there is none."""
        ...

    async def fetch(self, key: str, path: Path) -> bool:
        """Copy the object to `path` (renamed into place); False when there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object under `key`; nothing when there is none."""
        ...

    async def presign(self, key: str, *, content_type: str, disposition: str | None) -> str | None:
        """A URL any client may GET the object from for `PRESIGN_SECONDS`, or None when the
        store cannot make one (a directory)."""
        ...


class StorageURLError(ValueError):
    """A `--storage-url` that names no store; the message lists the accepted forms."""


@dataclass(frozen=True, slots=True)
class S3Location:
    """`s3://bucket/prefix`: the bucket and the key prefix (no slashes at either end)."""

    bucket: str
    prefix: str


def parse_storage_url(text: str) -> Path | S3Location | None:
    """None for the default (empty), a directory for a path or `file://` URL, an
    `S3Location` for `s3://bucket[/prefix]`. Raises `StorageURLError`."""
    text = text.strip()
    if not text:
        return None
    if text.startswith(S3_SCHEME):
        bucket, _, prefix = text.removeprefix(S3_SCHEME).partition("/")
        if not bucket:
            raise StorageURLError(f"{text!r} names no bucket: s3://bucket or s3://bucket/prefix")
        return S3Location(bucket, prefix.strip("/"))
    if text.startswith(FILE_SCHEME):
        return Path(text.removeprefix(FILE_SCHEME))
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise StorageURLError(
            f"{scheme!r} is not a storage URL: one of s3://bucket/prefix, file:///dir, a"
            " directory (or leave it out for the data dir)"
        )
    return Path(text)


def _local_info(path: Path) -> ObjectInfo | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    # The same validators the routes always sent for a file: size and nanosecond mtime.
    return ObjectInfo(stat.st_size, f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"', stat.st_mtime)


def _same(path: Path, target: Path) -> bool:
    """Whether `path` names `target` (absolute); a string comparison, no file system call."""
    return Path(os.path.abspath(path)) == target


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy under a hidden name beside `target`, then rename: readers see all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per call: two copies of one key at once (two tasks, two processes) never share
    # a part file, so neither renames the other's half-written one into place.
    part = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


class LocalStore:
    """A directory of `<id>/<file>`; the default one is the data dir's `generations/`."""

    def __init__(self, root: Path, *, shared: bool) -> None:
        self.root = root.absolute()
        self._shared = shared
        self._limiter = trio.CapacityLimiter(ARTIFACT_STORE_THREADS)

    @property
    def shared(self) -> bool:
        return self._shared

    def _path(self, key: str) -> Path:
        return self.root / key

    async def put(self, key: str, path: Path) -> None:
        target = self._path(key)
        if _same(path, target):
            return  # the default store: the file is already where it is served from
        await trio.to_thread.run_sync(_copy_into_place, path, target, limiter=self._limiter)

    async def head(self, key: str) -> ObjectInfo | None:
        return await trio.to_thread.run_sync(_local_info, self._path(key), limiter=self._limiter)

    async def chunks(self, key: str, start: int, length: int) -> AsyncIterator[bytes]:
        async with await trio.open_file(self._path(key), "rb") as f:
            await f.seek(start)
            remaining = length
            while remaining > 0:
                chunk = await f.read(min(STORE_READ_BYTES, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk

    async def read_text(self, key: str) -> str | None:
        try:
            return await trio.Path(self._path(key)).read_text("utf-8")
        except FileNotFoundError:
            return None

    async def fetch(self, key: str, path: Path) -> bool:
        source = self._path(key)
        if _same(path, source):
            return await trio.Path(source).is_file()
        try:
            await trio.to_thread.run_sync(_copy_into_place, source, path, limiter=self._limiter)
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        remove = functools.partial(self._path(key).unlink, missing_ok=True)
        await trio.to_thread.run_sync(remove, limiter=self._limiter)

    async def presign(self, key: str, *, content_type: str, disposition: str | None) -> str | None:
        return None


def _s3_client() -> Any:
    """A boto3 S3 client configured from the environment (AWS_ENDPOINT_URL, the keys,
    AWS_REGION), with bounded timeouts. Raises `ArtifactStoreFailed` without boto3."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise ArtifactStoreFailed(
            "open", "s3://", "boto3 is missing: pip install 'videogen[s3]'"
        ) from None
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    config = Config(
        connect_timeout=ARTIFACT_STORE_CONNECT_TIMEOUT,
        read_timeout=ARTIFACT_STORE_READ_TIMEOUT,
        retries={"max_attempts": 3, "mode": "standard"},
        max_pool_connections=ARTIFACT_STORE_THREADS,
        # Path-style keeps a loopback endpoint (MinIO, moto) free of bucket subdomains.
        s3={"addressing_style": "path"},
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        region_name=region,
        config=config,
    )


def _reason(exc: BaseException) -> str:
    """A client-fit reason: S3's error code, or the kind of failure (no URL, no key). boto3's
    upload wraps S3's error (`S3UploadFailedError`): the code is looked for down the chain."""
    link: BaseException | None = exc
    while link is not None:
        response = getattr(link, "response", None)
        if isinstance(response, dict):
            code = str(response.get("Error", {}).get("Code") or "")
            if code:
                return "404 Not Found" if code == "404" else code
        link = link.__cause__ or link.__context__
    return type(exc).__name__


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    return str(response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """An S3 bucket (or a prefix of one); `client` is a boto3 S3 client, safe across threads."""

    def __init__(self, location: S3Location, client: Any) -> None:
        self.location = location
        self._client = client
        self._limiter = trio.CapacityLimiter(ARTIFACT_STORE_THREADS)
        from boto3.s3.transfer import TransferConfig

        # use_threads=False: the upload runs in the one worker thread it was given (bounded
        # by the limiter), its parts one after the other.
        self._transfer = TransferConfig(
            multipart_threshold=UPLOAD_PART_BYTES,
            multipart_chunksize=UPLOAD_PART_BYTES,
            use_threads=False,
        )

    @property
    def shared(self) -> bool:
        return True

    def _key(self, key: str) -> str:
        prefix = self.location.prefix
        return f"{prefix}/{key}" if prefix else key

    async def _call(
        self,
        operation: str,
        key: str,
        fn: Callable[[], _T],
        *,
        abandon: bool = True,
        missing: bool = False,
    ) -> _T:
        """`fn()` in a worker thread; boto3's failures become `ArtifactStoreFailed`.

        Reads are abandoned on cancellation (the thread finishes on its own within the
        timeouts); a write is waited for, so a cancelled upload never lands later. With
        `missing`, S3's "no such key" is `FileNotFoundError` (the caller answers None).
        """
        try:
            return await trio.to_thread.run_sync(
                fn, limiter=self._limiter, abandon_on_cancel=abandon
            )
        except ArtifactStoreFailed:
            raise
        except Exception as exc:
            if missing and _missing(exc):
                raise FileNotFoundError(key) from exc
            raise ArtifactStoreFailed(operation, key, _reason(exc)) from exc

    async def put(self, key: str, path: Path) -> None:
        name = self._key(key)

        def upload() -> None:
            self._client.upload_file(
                os.fspath(path), self.location.bucket, name, Config=self._transfer
            )

        await self._call("upload", key, upload, abandon=False)

    async def head(self, key: str) -> ObjectInfo | None:
        name = self._key(key)

        def head() -> ObjectInfo:
            answer = self._client.head_object(Bucket=self.location.bucket, Key=name)
            return ObjectInfo(
                int(answer["ContentLength"]),
                str(answer["ETag"]),
                answer["LastModified"].timestamp(),
            )

        try:
            return await self._call("read", key, head, missing=True)
        except FileNotFoundError:
            return None

    async def chunks(self, key: str, start: int, length: int) -> AsyncIterator[bytes]:
        if length <= 0:
            return
        name = self._key(key)
        span = f"bytes={start}-{start + length - 1}"

        def get() -> Any:
            answer = self._client.get_object(Bucket=self.location.bucket, Key=name, Range=span)
            return answer["Body"]

        body = await self._call("read", key, get)
        try:
            remaining = length
            while remaining > 0:
                size = min(STORE_READ_BYTES, remaining)
                chunk: bytes = await self._call("read", key, functools.partial(body.read, size))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk
        finally:
            # Releases the connection (a client gone mid-stream leaves the rest unread).
            body.close()

    async def read_text(self, key: str) -> str | None:
        name = self._key(key)

        def get() -> bytes:
            answer = self._client.get_object(Bucket=self.location.bucket, Key=name)
            data: bytes = answer["Body"].read()
            return data

        try:
            return (await self._call("read", key, get, missing=True)).decode("utf-8")
        except FileNotFoundError:
            return None

    async def fetch(self, key: str, path: Path) -> bool:
        name = self._key(key)
        part = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")

        def download() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._client.download_file(
                    self.location.bucket, name, os.fspath(part), Config=self._transfer
                )
                os.replace(part, path)
            finally:
                part.unlink(missing_ok=True)

        try:
            await self._call("download", key, download, abandon=False, missing=True)
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        name = self._key(key)

        def delete() -> None:  # S3 answers 204 for a key it does not have, too
            self._client.delete_object(Bucket=self.location.bucket, Key=name)

        await self._call("delete", key, delete, abandon=False)

    async def presign(self, key: str, *, content_type: str, disposition: str | None) -> str | None:
        params = {
            "Bucket": self.location.bucket,
            "Key": self._key(key),
            "ResponseContentType": content_type,
        }
        if disposition is not None:
            params["ResponseContentDisposition"] = disposition

        def sign() -> str:
            url: str = self._client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=PRESIGN_SECONDS
            )
            return url

        return await self._call("sign", key, sign)

    def check_now(self) -> None:
        """Raise `ArtifactStoreFailed` unless the bucket answers; blocking (`serve` calls it
        before it starts anything, as it checks the database)."""
        bucket = self.location.bucket
        try:
            self._client.head_bucket(Bucket=bucket)
        except Exception as exc:
            raise ArtifactStoreFailed("reach", f"s3://{bucket}", _reason(exc)) from None

    async def check(self) -> None:
        """`check_now` in a worker thread (the runtime's start)."""
        await trio.to_thread.run_sync(self.check_now, limiter=self._limiter)


def check_artifact_store(url: str | None, generations_dir: Path) -> None:
    """Open the store `url` names and, for a bucket, check it answers. Blocking. Raises
    `StorageURLError` or `ArtifactStoreFailed` (one line for `serve` to print)."""
    files = open_artifact_store(url, generations_dir)
    if isinstance(files, S3Store):
        files.check_now()


def open_artifact_store(url: str | None, generations_dir: Path) -> ArtifactStore:
    """The store `--storage-url` names: the data dir's `generations/` when None. Creating the
    S3 client reads its configuration from the environment (a worker thread is advised).
    Raises `StorageURLError` for a bad URL, `ArtifactStoreFailed` without boto3."""
    target = parse_storage_url(url or "")
    if target is None:
        return LocalStore(generations_dir, shared=False)
    if isinstance(target, Path):
        return LocalStore(target, shared=target.absolute() != generations_dir.absolute())
    return S3Store(target, _s3_client())
