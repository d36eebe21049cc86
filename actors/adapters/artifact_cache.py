"""The artifact cache: per-slide speech, frames and video segments, content-addressed, shared by
every generation of a data dir, bounded with least-recently-used eviction.

Layout: `<data-dir>/cache/<kind>/<key[:2]>/<key>/` holds one artifact's files (a speech WAV and
its timings, a slide's frames, its segment); `<data-dir>/cache/tmp/` holds artifacts being
written or deleted. The index is the `artifacts` table of the data dir's SQLite database
(migration 3): kind, key, bytes, last used. It stays there when the store is PostgreSQL
(`--database-url`): the directories it describes are on this machine's disk, so a shared index
would make one replica's rows claim (and its misses drop) another's files. Open the cache with
`<data-dir>/videogen.db`, never the store's URL. A cache shared between machines (a shared
`--storage-url`) would move the index beside it, to PostgreSQL's `artifacts` table (made by
the same migration 3, unused until then).

Why it never serves a partial artifact: a put writes every file under `tmp/`, fsyncs each, then
renames the whole directory to its key's name (atomic) and fsyncs the parent; only then is the
row written. A get answers only for a directory at its final name. A crash leaves, at worst, a
stray temp directory (swept at the next lone start) or a complete directory without its row
(adopted by the next get), or a row without its directory (dropped at open, or by the get that
misses). Eviction renames a directory into `tmp/` before deleting it, so a half-deleted one is
never seen under its key. Two puts of one key race on the rename: one wins, the other's copy is
discarded and it answers the winner's (both whole).

Why a reused artifact need not be decoded again: a put records each file's SHA-256 in the
entry itself (`DIGESTS_FILE`, beside its files, fsynced with them; no index column), taken
from the copy in the cache; `Artifact.intact` hashes the files again against it, so a render
knows it reads the bytes that were verified when they were made (`media.join_check`). A
damaged one is `discard`ed and made again; one without the record (older) is not proven.

Who owns what: `ArtifactCache` owns its directory and its own connection to the database (one
worker thread at a time, like `Store`'s); every file and SQL operation runs on a worker thread.
A render holds what it reads or makes in a `Lease`: nothing leased is evicted until the lease
is released. Leases are this process's only; a second process on the data dir (`videogen
generate` beside a server) could evict what this one holds — it then sees a miss or a
vanished file, never a partial one.

Keys: `speech_key`, `frames_key`, `segment_key` hash (SHA-256 of canonical JSON) everything
each artifact depends on, with `RENDER_VERSION`; bump it when any renderer's output changes.
Raises: `OSError` from the disk, `StoreUnavailable`/`StoreCorrupt` from the database,
`ValueError` for a file name that is not a plain name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, ParamSpec, Self, TypeVar

import trio

from videogen.actors.adapters.store_sql import Db, open_db, unavailable
from videogen.actors.limits import CACHE_RELEASE_GRACE

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Mapping, Sequence
    from pathlib import Path

__all__ = [
    "CACHE_DIR",
    "DIGESTS_FILE",
    "KINDS",
    "RENDER_VERSION",
    "Artifact",
    "ArtifactCache",
    "Lease",
    "artifact_key",
    "audio_key",
    "frames_key",
    "segment_key",
    "speech_key",
]

P = ParamSpec("P")
T = TypeVar("T")

# Bump when the speech, drawing or encoding of a slide changes what it makes: every key changes,
# so nothing made by the older renderer is served (it ages out by LRU).
RENDER_VERSION: Final = 1
CACHE_DIR: Final = "cache"
_TMP: Final = "tmp"
# Each artifact's record of its files' SHA-256, written by `put` in its own directory (a dot
# name: no artifact's own file can be called that, see `_plain`).
DIGESTS_FILE: Final = ".digests.json"
KINDS: Final = frozenset({"speech", "frames", "segment", "audio"})


# -- keys -----------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """JSON-ready, with floats rounded to the microsecond (a duration measured twice must not
    differ in its 17th digit) and paths as strings."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def artifact_key(kind: str, parts: Mapping[str, Any]) -> str:
    """The hex SHA-256 of `kind`, `RENDER_VERSION` and `parts` as canonical JSON."""
    if kind not in KINDS:
        raise ValueError(f"unknown artifact kind {kind!r}; one of {sorted(KINDS)}")
    doc = {"kind": kind, "render_version": RENDER_VERSION, "parts": _canonical(dict(parts))}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def speech_key(*, text: str, voice: str, rate: int, language: str) -> str:
    """One slide's narration WAV and its measured timings."""
    return artifact_key("speech", {"text": text, "voice": voice, "rate": rate, "lang": language})


def frames_key(
    *,
    slide: Mapping[str, Any],
    number: int,
    total: int,
    theme: Mapping[str, Any] | str,
    width: int,
    height: int,
    aspect_ratio: str,
    reveal: bool,
) -> str:
    """One slide's frames: what it shows (`slide`: title, bullets, layout, visuals …, as the
    content's JSON), its number of `total` (drawn on it), the theme and brand, the frame size and
    aspect ratio, and whether its bullets are revealed one frame at a time."""
    return artifact_key(
        "frames",
        {
            "slide": slide,
            "number": number,
            "total": total,
            "theme": theme,
            "size": [width, height],
            "aspect": aspect_ratio,
            "reveal": reveal,
        },
    )


def segment_key(*, frames: str, seconds: Sequence[float], width: int, height: int) -> str:
    """One slide's encoded segment: its frames (their key) and how long each is shown."""
    return artifact_key(
        "segment", {"frames": frames, "seconds": list(seconds), "size": [width, height]}
    )


def audio_key(*, speech: str, seconds: float) -> str:
    """One slide's encoded narration: its speech WAV (the SHA-256 of its bytes) and its slot."""
    return artifact_key("audio", {"speech": speech, "seconds": seconds})


# -- the cache ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Artifact:
    """A whole artifact in the cache: its directory and its files' names."""

    kind: str
    key: str
    path: Path
    files: tuple[str, ...]
    # Each file's SHA-256 as `put` wrote it (`DIGESTS_FILE`); empty for an older artifact.
    digests: Mapping[str, str] = field(default_factory=dict)

    def file(self, name: str) -> Path:
        return self.path / name

    def intact(self) -> bool:
        """Whether every file still holds the bytes `put` wrote (False when not recorded):
        what was verified when it was made is then what a render reads. Sync (hashes)."""
        if set(self.digests) != set(self.files):
            return False
        return all(_sha256(self.file(name)) == self.digests[name] for name in self.files)


@dataclass(eq=False)
class Lease:
    """What one render holds: none of it is evicted until `ArtifactCache.release`."""

    held: set[tuple[str, str]] = field(default_factory=set)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dir_bytes(path: Path) -> int:
    # The artifact's own files (its digests' record is metadata, as the index row is).
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file() and f.name != DIGESTS_FILE)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _plain(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\x00" in name or name.startswith("."):
        raise ValueError(f"an artifact's file needs a plain name, not {name!r}")
    return name


class ArtifactCache:
    """Async access to the cache (see the module docstring). Open with `ArtifactCache.open`,
    close with `aclose`."""

    def __init__(self, root: Path, db: Db, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._db = db
        self._db_limiter = trio.CapacityLimiter(1)
        self._pins: dict[tuple[str, str], int] = {}
        self._last_used = 0.0
        self._evicting = trio.Lock()

    @classmethod
    async def open(
        cls, data_dir: Path, database: Path, *, max_bytes: int, recover: bool = True
    ) -> Self:
        """Open the cache under `data_dir` indexed in `database` (migrating it as needed).

        With `recover` (pass the data dir hold's `alone`: no other process uses the dir), stray
        temp directories are swept and rows whose directory is gone are dropped.
        """
        root = data_dir / CACHE_DIR
        db = await trio.to_thread.run_sync(open_db, database)
        cache = cls(root, db, max_bytes=max_bytes)
        await trio.to_thread.run_sync(lambda: (root / _TMP).mkdir(parents=True, exist_ok=True))
        if recover:
            await cache._recover()
        await cache._evict()
        return cache

    async def aclose(self) -> None:
        await self._sql(self._db.conn.close)

    # -- plumbing ---------------------------------------------------------------------------

    async def _sql(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        def call() -> T:
            return fn(*args, **kwargs)

        try:
            return await trio.to_thread.run_sync(call, limiter=self._db_limiter)
        except sqlite3.OperationalError as exc:
            refusal = unavailable(exc)
            if refusal is None:
                raise
            raise refusal from exc

    def _path(self, kind: str, key: str) -> Path:
        if kind not in KINDS:
            raise ValueError(f"unknown artifact kind {kind!r}; one of {sorted(KINDS)}")
        if len(key) < 8 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"an artifact key is lowercase hex, not {key!r}")
        return self.root / kind / key[:2] / key

    def _now(self) -> float:
        # Wall time (it survives restarts), made strictly increasing within this process.
        self._last_used = max(time.time(), self._last_used + 1e-6)
        return self._last_used

    async def _recover(self) -> None:
        tmp = self.root / _TMP

        def sweep() -> None:
            for stray in tmp.iterdir():
                if stray.is_dir() and not stray.is_symlink():
                    shutil.rmtree(stray, ignore_errors=True)
                else:
                    stray.unlink(missing_ok=True)

        await trio.to_thread.run_sync(sweep)
        for kind, key, _size, _used in await self._sql(self._db.artifact_rows):
            if not await trio.to_thread.run_sync(self._path(kind, key).is_dir):
                await self._sql(self._db.artifact_forget, kind, key)

    # -- leases -----------------------------------------------------------------------------

    def lease(self) -> Lease:
        """A new, empty lease; pass it to `get`/`put`, and `release` it when the render ends."""
        return Lease()

    def _pin(self, lease: Lease | None, kind: str, key: str) -> None:
        if lease is None or (kind, key) in lease.held:
            return
        lease.held.add((kind, key))
        self._pins[(kind, key)] = self._pins.get((kind, key), 0) + 1

    async def release(self, lease: Lease) -> None:
        """Unpin everything `lease` holds, then evict down to the bound."""
        for item in lease.held:
            left = self._pins[item] - 1
            if left:
                self._pins[item] = left
            else:
                del self._pins[item]
        lease.held.clear()
        await self._evict()

    @contextlib.asynccontextmanager
    async def leased(self) -> AsyncIterator[Lease]:
        """`async with cache.leased() as lease:` — released however the block ends (shielded,
        with a time limit: releasing is a few SQL statements and directory renames)."""
        lease = self.lease()
        try:
            yield lease
        finally:
            with trio.move_on_after(CACHE_RELEASE_GRACE) as scope:
                scope.shield = True
                await self.release(lease)

    def pinned(self, kind: str, key: str) -> bool:
        return (kind, key) in self._pins

    # -- get / put --------------------------------------------------------------------------

    async def get(self, kind: str, key: str, *, lease: Lease | None = None) -> Artifact | None:
        """The whole artifact, or None. A hit counts as a use (LRU) and is pinned in `lease`."""
        path = self._path(kind, key)
        files, digests = await trio.to_thread.run_sync(_found, path)
        size = await self._sql(self._db.artifact_bytes, kind, key)
        if files is None:
            if size is not None:
                await self._sql(self._db.artifact_forget, kind, key)
            return None
        if size is None:
            # Renamed into place but its row never written (a crash, or another process's put
            # in flight): the directory is whole, so it is adopted.
            size = await trio.to_thread.run_sync(_dir_bytes, path)
        self._pin(lease, kind, key)
        await self._sql(self._db.artifact_record, kind, key, size, self._now())
        return Artifact(kind, key, path, files, digests)

    async def put(
        self, kind: str, key: str, files: Mapping[str, Path], *, lease: Lease | None = None
    ) -> Artifact:
        """Copy `files` (name in the artifact → source file) into the cache as one artifact.

        When the key is already there (another put won), the existing artifact is answered and
        these files are discarded. Evicts least recently used artifacts past the bound.
        """
        if not files:
            raise ValueError("an artifact needs at least one file")
        names = {_plain(name): source for name, source in files.items()}
        final = self._path(kind, key)
        staging = self.root / _TMP / f"{key}.{uuid.uuid4().hex}"

        def write() -> int:
            staging.mkdir(parents=True)
            try:
                total = 0
                digests: dict[str, str] = {}
                for name, source in names.items():
                    target = staging / name
                    shutil.copyfile(source, target)
                    with open(target, "rb") as f:
                        os.fsync(f.fileno())
                    total += target.stat().st_size
                    digests[name] = _sha256(target)
                # Beside the files, in the entry itself (no index column): `Artifact.intact`.
                record = staging / DIGESTS_FILE
                record.write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")
                with open(record, "rb") as f:
                    os.fsync(f.fileno())
                _fsync_dir(staging)
                final.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.rename(staging, final)
                except OSError:
                    if not final.is_dir():
                        raise
                    shutil.rmtree(staging, ignore_errors=True)
                    return _dir_bytes(final)
                _fsync_dir(final.parent)
                return total
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise

        size = await trio.to_thread.run_sync(write)
        self._pin(lease, kind, key)
        await self._sql(self._db.artifact_record, kind, key, size, self._now())
        listing = await trio.to_thread.run_sync(_listing, final)
        assert listing is not None
        await self._evict()
        return Artifact(kind, key, final, listing, await trio.to_thread.run_sync(_digests, final))

    async def discard(self, kind: str, key: str) -> None:
        """Remove an artifact found damaged (`Artifact.intact`), so a render makes it anew."""
        await trio.to_thread.run_sync(self._remove, kind, key)
        await self._sql(self._db.artifact_forget, kind, key)

    # -- size -------------------------------------------------------------------------------

    async def total_bytes(self) -> int:
        return await self._sql(self._db.artifact_total)

    async def entries(self) -> list[tuple[str, str, int, float]]:
        """(kind, key, bytes, last used) of every artifact, least recently used first."""
        return await self._sql(self._db.artifact_rows)

    async def _evict(self) -> None:
        """Remove least recently used, unpinned artifacts until the total is within the bound."""
        async with self._evicting:
            total = await self._sql(self._db.artifact_total)
            if total <= self.max_bytes:
                return
            for kind, key, size, _used in await self._sql(self._db.artifact_rows):
                if total <= self.max_bytes:
                    break
                if (kind, key) in self._pins:
                    continue
                await trio.to_thread.run_sync(self._remove, kind, key)
                await self._sql(self._db.artifact_forget, kind, key)
                total -= size

    def _remove(self, kind: str, key: str) -> None:
        # Out of its key's name first (atomic), then deleted: never half there under the key.
        doomed = self.root / _TMP / f"{key}.evict.{uuid.uuid4().hex}"
        with contextlib.suppress(FileNotFoundError):
            os.rename(self._path(kind, key), doomed)
            shutil.rmtree(doomed, ignore_errors=True)


def _listing(path: Path) -> tuple[str, ...] | None:
    try:
        return tuple(sorted(f.name for f in path.iterdir() if f.name != DIGESTS_FILE))
    except (FileNotFoundError, NotADirectoryError):
        return None


def _found(path: Path) -> tuple[tuple[str, ...] | None, dict[str, str]]:
    # One thread hop for both (a render looks up dozens of artifacts).
    files = _listing(path)
    return files, {} if files is None else _digests(path)


def _digests(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads((path / DIGESTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(k): str(v) for k, v in loaded.items()}
