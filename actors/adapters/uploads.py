"""The user's uploaded documents, kept parsed: `<data-dir>/uploads/<upload_id>.json`.

An uploaded picture (PNG, JPEG, WebP; `media.knowledge.documents.read.read_picture`) is a
document without text holding one picture; pictures' bytes are stored in the JSON as base64
(within the upload size limit), so a generation reads them from here like the text.

`UploadStore` owns that folder. A file is parsed once, when it arrives (`save`, in a worker
thread: PDFs take tens of milliseconds a page), and what is stored is the parsed `Document` as
JSON, so a generation only ever reads stored text and never parses a user's bytes itself. URL
sources are fetched at the edge and saved here too (`actors.adapters.sources`).

Writes are atomic: a temporary file beside the final one, flushed, then renamed over it; on any
failure (a document that does not parse, a full disk, a cancelled request) nothing is left
behind, neither the temporary file nor a half-written upload.

An uploaded audio file (background music: MP3, WAV, OGG/Opus, M4A/AAC, FLAC; `save_audio`) is
kept as it came, `<upload_id>.audio`, beside a record `<upload_id>.json` of kind "audio" that
holds what ffmpeg's check found (`media.music.parse_probe`): the record is written last, so an
id is only ever known with its file complete. `load` refuses an audio upload and `load_audio`
a document one (`UploadWrongKind`).

With replicas sharing an artifact store (`--storage-url` a shared directory or a bucket;
`share`), every upload is also put there, under `uploads/<file>`, once it is whole locally (the
audio file before its record, so the record is never found without it); an id this replica
does not have is fetched from there before it is read. So an upload sent to one replica can be
named in a request to any other, and a generation runs wherever it is claimed. The local copy
is then a cache of the shared one.

Upload ids are 80 random bits in lower-case base32 (16 characters, the request model's
`^[a-z0-9]{8,64}$`): not guessable, so holding one is what lets a request use an upload.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import trio

from videogen.actors.adapters.processes import run_checked
from videogen.actors.errors import (
    ArtifactStoreFailed,
    ProcessFailed,
    UploadNotFound,
    UploadWrongKind,
)
from videogen.actors.limits import ARTIFACT_DELETE_GRACE
from videogen.media import music
from videogen.media.compose import ffmpeg_exe
from videogen.media.knowledge.documents.read import USER_LICENSE, read_document
from videogen.media.knowledge.model import Document, Picture, Section

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.object_store import ArtifactStore

__all__ = [
    "UPLOADS_DIR",
    "AudioUpload",
    "UploadInfo",
    "UploadStore",
    "document_from_json",
    "document_to_json",
    "new_upload_id",
]

log = logging.getLogger("videogen.actors")

UPLOADS_DIR: Final = "uploads"
# Random bytes in an upload id: 80 bits, 16 base32 characters.
_ID_BYTES: Final = 10
_ID: Final = re.compile(r"^[a-z0-9]{8,64}$")
# The stored layout; a file of another version is not read.
_VERSION: Final = 1
# A file name as the deck credits it: its last part, printable, at most this long.
_MAX_NAME_CHARS: Final = 200
_TEMP_SUFFIX: Final = ".tmp"
_AUDIO_SUFFIX: Final = ".audio"
# The uploads' folder in a shared artifact store (generation ids never take this name).
SHARED_PREFIX: Final = "uploads"


def new_upload_id() -> str:
    return base64.b32encode(secrets.token_bytes(_ID_BYTES)).decode("ascii").lower().rstrip("=")


def clean_filename(filename: str) -> str:
    """The name a client sent, as safe to show: no folders ("C:\\fakepath\\a.pdf" → "a.pdf"),
    no control characters, cut to `_MAX_NAME_CHARS`; "upload" when nothing is left."""
    name = re.split(r"[\\/]", filename)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:_MAX_NAME_CHARS] or "upload"


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """What `POST /api/uploads` answers about a stored upload."""

    upload_id: str
    filename: str
    bytes: int
    title: str
    kind: Literal["document", "audio"] = "document"
    # An audio upload's length (seconds); None for a document.
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class AudioUpload:
    """A stored audio upload: its file and what the check found."""

    upload_id: str
    path: Path
    seconds: float
    container: str
    codec: str


def _picture_json(picture: Picture) -> dict[str, Any]:
    """A picture's record; its bytes (an uploaded picture, one inline in a document) as
    base64, so a generation reads them from the store like the text."""
    record: dict[str, Any] = {"src": picture.src, "alt": picture.alt}
    if picture.caption:
        record["caption"] = picture.caption
    if picture.section is not None:
        record["section"] = picture.section
    if picture.data:
        record["data"] = base64.b64encode(picture.data).decode("ascii")
    return record


def document_to_json(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "origin": document.origin,
        "license": document.license,
        "language": document.language,
        "description": document.description,
        "sections": [
            {"heading": s.heading, "level": s.level, "paragraphs": list(s.paragraphs)}
            for s in document.sections
        ],
        "pictures": [_picture_json(p) for p in document.pictures],
    }


def document_from_json(raw: dict[str, Any]) -> Document:
    """The Document `document_to_json` wrote. Raises `KeyError`, `TypeError` or `ValueError`
    when `raw` is not one."""
    return Document(
        title=str(raw["title"]),
        origin=str(raw["origin"]),
        license=str(raw["license"]),
        language=None if raw.get("language") is None else str(raw["language"]),
        description=str(raw.get("description", "")),
        sections=tuple(
            Section(
                None if s["heading"] is None else str(s["heading"]),
                tuple(str(p) for p in s["paragraphs"]),
                level=int(s["level"]),
            )
            for s in raw["sections"]
        ),
        pictures=tuple(
            Picture(
                str(p["src"]),
                str(p.get("alt", "")),
                caption=str(p.get("caption", "")),
                section=None if p.get("section") is None else str(p["section"]),
                data=base64.b64decode(str(p.get("data", "")), validate=True),
            )
            for p in raw["pictures"]
        ),
    )


def _write_atomically(path: Path, payload: bytes) -> None:
    """`payload` at `path`, all or nothing (temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    try:
        with temp.open("xb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class UploadStore:
    """The uploads folder (`root`, created at the first save). Safe to share between tasks:
    every upload is its own file, written once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._shared: ArtifactStore | None = None
        # One pull per upload at a time (others wait for it, then read what it fetched).
        self._pulling: dict[str, trio.Lock] = {}

    def share(self, files: ArtifactStore) -> None:
        """Keep every upload in `files` too, when it is shared between replicas (a local
        store of this data dir's own is not: nothing changes then)."""
        if files.shared:
            self._shared = files

    async def _publish(self, *paths: Path) -> None:
        """Put `paths` (whole, local) into the shared store, in order (the record last: a record
        there means its files are too), all or none; raises `ArtifactStoreFailed` (the upload is
        then refused: another replica could not read it). On any failure or cancellation what
        it put, or may have put (a put in flight is finished, not abandoned), is removed again:
        nothing stays under an id the client was never given."""
        if self._shared is None:
            return
        tried: list[Path] = []
        try:
            for path in paths:
                tried.append(path)
                await self._shared.put(f"{SHARED_PREFIX}/{path.name}", path)
        except BaseException:
            await self._unpublish(*reversed(tried))
            raise

    async def _unpublish(self, *paths: Path) -> None:
        """Remove `paths`' copies from the shared store, in order: shielded for
        `ARTIFACT_DELETE_GRACE` in all, so that a cancelled request cleans up too. A failure
        is logged, never raised: the upload's own failure is what the caller reports, and a
        leftover object under an id nobody was given is only space."""
        assert self._shared is not None
        with trio.move_on_after(ARTIFACT_DELETE_GRACE, shield=True) as scope:
            for path in paths:
                key = f"{SHARED_PREFIX}/{path.name}"
                try:
                    await self._shared.delete(key)
                except (ArtifactStoreFailed, OSError) as exc:
                    log.warning("could not remove %s from the shared store: %s", key, exc)
        if scope.cancelled_caught:
            names = ", ".join(path.name for path in paths)
            log.warning(
                "removing %s from the shared store took over %.0f s", names, ARTIFACT_DELETE_GRACE
            )

    async def _pull(self, record: Path, *also: Path) -> bool:
        """Fetch an upload's `record` from the shared store into this folder, after the files
        `also` it may have (each whole or not at all; a document upload has no audio file);
        False when there is no shared store or no such record in it."""
        if self._shared is None:
            return False
        for path in also:
            await self._shared.fetch(f"{SHARED_PREFIX}/{path.name}", path)
        return await self._shared.fetch(f"{SHARED_PREFIX}/{record.name}", record)

    async def _read_record(self, upload_id: str, *also: Path) -> bytes:
        """The upload's record, fetched first (with `also`) from the shared store when it is
        not here. Raises `UploadNotFound`."""
        path = self.path(upload_id)
        here = await trio.to_thread.run_sync(path.is_file)
        # Read here unless a file that goes with it is missing and the shared store may have
        # it (an audio record fetched alone, by a `load` of the wrong kind).
        if here and (self._shared is None or all([await trio.Path(p).is_file() for p in also])):
            try:
                return await trio.to_thread.run_sync(path.read_bytes)
            except FileNotFoundError:
                pass
        if self._shared is None:
            raise UploadNotFound(upload_id)
        lock = self._pulling.setdefault(upload_id, trio.Lock())
        try:
            async with lock:
                if not await self._pull(path, *also):
                    raise UploadNotFound(upload_id)
                try:
                    return await trio.to_thread.run_sync(path.read_bytes)
                except FileNotFoundError:
                    raise UploadNotFound(upload_id) from None
        finally:
            if not lock.locked() and lock.statistics().tasks_waiting == 0:
                self._pulling.pop(upload_id, None)

    def path(self, upload_id: str) -> Path:
        """Where an upload is stored. Raises `UploadNotFound` for an id that is no id (so no
        name a client sends ever reaches the file system as a path)."""
        if not _ID.match(upload_id):
            raise UploadNotFound(upload_id)
        return self.root / f"{upload_id}.json"

    async def save(
        self,
        filename: str,
        data: bytes,
        content_type: str | None,
        *,
        origin: str | None = None,
    ) -> UploadInfo:
        """Parse `data` (in a worker thread) and store its Document under a new id.

        `origin` is what decks credit: the cleaned `filename` unless given (a URL). Raises
        `DocumentError` when `data` is no readable document (nothing is stored), `OSError`
        when the folder cannot be written (nothing is left half-written).
        """
        name = clean_filename(filename)
        credited = origin or name
        document = await trio.to_thread.run_sync(
            lambda: read_document(
                data,
                filename=name,
                content_type=content_type,
                origin=credited,
                license=USER_LICENSE,
            )
        )
        upload_id = new_upload_id()
        record = {
            "version": _VERSION,
            "upload_id": upload_id,
            "filename": name,
            "bytes": len(data),
            "content_type": content_type,
            "saved_at": time.time(),
            "kind": "document",
            "document": document_to_json(document),
        }
        payload = json.dumps(record, ensure_ascii=False).encode()
        path = self.path(upload_id)
        await trio.to_thread.run_sync(_write_atomically, path, payload)
        try:
            await self._publish(path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return UploadInfo(upload_id, name, len(data), document.title)

    def sweep_temporary(self) -> int:
        """Remove the temporary files of writes a crash interrupted (a killed process leaves
        its `.<id>.json.<hex>.tmp` behind, or an audio file without its record); how many.
        For start-up recovery, when no other process uses the data dir (a live process's
        write in flight would be removed)."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for leftover in self.root.glob(f".*{_TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
            removed += 1
        # An audio file whose record was never written (its check was interrupted).
        for audio in self.root.glob(f"*{_AUDIO_SUFFIX}"):
            if not audio.with_suffix(".json").exists():
                audio.unlink(missing_ok=True)
                removed += 1
        return removed

    async def load(self, upload_id: str) -> Document:
        """The stored Document. Raises `UploadNotFound` when there is none under that id (or its
        file cannot be read as one: logged, since the store itself wrote it)."""
        raw = await self._read_record(upload_id)
        try:
            record = json.loads(raw)
            if record.get("version") != _VERSION:
                raise ValueError(f"version {record.get('version')!r}")
            if record.get("kind", "document") != "document":
                raise UploadWrongKind(upload_id, str(record.get("kind")))
            return document_from_json(record["document"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("upload %s cannot be read: %r", upload_id, exc)
            raise UploadNotFound(upload_id) from None

    async def save_audio(self, filename: str, data: bytes, content_type: str | None) -> UploadInfo:
        """Check `data` with ffmpeg (within `music.PROBE_TIMEOUT`: the child is terminated,
        then killed, past it) and store it as audio under a new id.

        Raises `AudioError` when it is larger than `music.MAX_MUSIC_BYTES`, no audio of the
        accepted formats, longer than `music.MAX_MUSIC_SECONDS`, or its check overran (nothing
        is stored); `OSError` when the folder cannot be written.
        """
        if len(data) > music.MAX_MUSIC_BYTES:
            raise music.AudioError(
                f"the audio file is {len(data)} bytes; at most {music.MAX_MUSIC_BYTES}"
            )
        name = clean_filename(filename)
        upload_id = new_upload_id()
        audio = self.root / f"{upload_id}{_AUDIO_SUFFIX}"
        # Written first under its final name (no record names it yet), checked there, and
        # removed on any failure: ffmpeg reads a file, not a pipe, so containers that seek
        # (M4A) are read as players read them.
        await trio.to_thread.run_sync(_write_atomically, audio, data)
        try:
            probe = await _probe(audio)
            record = {
                "version": _VERSION,
                "upload_id": upload_id,
                "filename": name,
                "bytes": len(data),
                "content_type": content_type,
                "saved_at": time.time(),
                "kind": "audio",
                "audio": {
                    "seconds": probe.seconds,
                    "container": probe.container,
                    "codec": probe.codec,
                },
            }
            payload = json.dumps(record, ensure_ascii=False).encode()
            await trio.to_thread.run_sync(_write_atomically, self.path(upload_id), payload)
            try:
                await self._publish(audio, self.path(upload_id))
            except BaseException:
                self.path(upload_id).unlink(missing_ok=True)
                raise
        except BaseException:
            audio.unlink(missing_ok=True)
            raise
        return UploadInfo(upload_id, name, len(data), name, kind="audio", seconds=probe.seconds)

    async def load_audio(self, upload_id: str) -> AudioUpload:
        """The stored audio upload. Raises `UploadWrongKind` for a document upload,
        `UploadNotFound` when there is none under that id (or it cannot be read)."""
        audio = self.path(upload_id).with_suffix(_AUDIO_SUFFIX)
        raw = await self._read_record(upload_id, audio)
        try:
            record = json.loads(raw)
            kind = record.get("kind", "document")
            if kind != "audio":
                raise UploadWrongKind(upload_id, str(kind))
            found = record["audio"]
            if not await trio.to_thread.run_sync(audio.is_file):
                raise ValueError("its audio file is missing")
            return AudioUpload(
                upload_id,
                audio,
                float(found["seconds"]),
                str(found["container"]),
                str(found["codec"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("audio upload %s cannot be read: %r", upload_id, exc)
            raise UploadNotFound(upload_id) from None


async def _probe(path: Path) -> music.AudioProbe:
    """ffmpeg's check of an audio file (`media.music.probe_argv`), within its time limit.

    Raises `AudioError` when it is no usable audio or the check overran."""
    argv = music.probe_argv(path, ffmpeg=ffmpeg_exe())
    with trio.move_on_after(music.PROBE_TIMEOUT) as scope:
        try:
            stderr = await run_checked(argv)
        except ProcessFailed:
            raise music.AudioError(
                f"it is no audio file ffmpeg can read; accepted: {music.AUDIO_FORMATS}"
            ) from None
    if scope.cancelled_caught:
        raise music.AudioError(f"checking it took over {music.PROBE_TIMEOUT:.0f} s")
    return await trio.to_thread.run_sync(music.parse_probe, stderr)
