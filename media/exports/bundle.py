"""One ZIP of a generation's files, planned so it can be streamed and served by byte ranges.

The archive is *stored* (no compression: the video, the largest member, is already compressed)
with each member's CRC-32 computed beforehand, so every header is known before a byte is sent:
`plan_bundle` answers the archive as `segments`, each either header bytes (small, in memory) or
a span of a member's file on disk, and its exact `size`. A server then streams the segments
(and any byte range of them) straight from the files: nothing is copied, nothing is held in
memory but the headers. The same files give the same bytes, so the `etag` is stable.

No ZIP64: a member or an archive of 4 GiB or more raises `BundleTooLarge` (a 2160p video of the
longest deck stays far below). CRCs are cached by (path, size, mtime), since a download that is
resumed by ranges plans the archive again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
import time
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

__all__ = [
    "CHAPTERS_MEMBER",
    "Bundle",
    "BundleTooLarge",
    "FilePart",
    "Member",
    "plan_bundle",
]

# The WebVTT chapters track's name inside the bundle (its file is made by `media.chapters`).
CHAPTERS_MEMBER: Final = "chapters.vtt"

_LIMIT: Final = 0xFFFF_FFFF  # the largest size or offset a ZIP without ZIP64 can record
_CRC_CHUNK: Final = 1024 * 1024  # bytes read at a time while summing a member
_VERSION: Final = 20  # "2.0": stored members, data descriptors not used
_UNIX: Final = 3  # "made by" system: the mode in the external attributes is a Unix one
_UTF8: Final = 0x800  # general purpose flag: names are UTF-8
_MODE: Final = 0o100644 << 16  # a regular file, rw-r--r--
_LOCAL: Final = struct.Struct("<4s2B4HL2L2H")
_CENTRAL: Final = struct.Struct("<4s4B4HL2L5H2L")
_END: Final = struct.Struct("<4s4H2LH")


class BundleTooLarge(ValueError):
    """A member or the whole archive would need ZIP64 (4 GiB or more)."""


@dataclass(frozen=True, slots=True)
class Member:
    """One file of the archive: its name inside it, where it is, and what the headers say."""

    name: str
    path: Path
    size: int
    crc: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FilePart:
    """`length` bytes of `path` from `offset`."""

    path: Path
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class Bundle:
    """The archive as segments (header bytes, file parts) in order, and its size and tag."""

    members: tuple[Member, ...]
    segments: tuple[bytes | FilePart, ...]
    size: int
    etag: str
    mtime: float

    def spans(self, start: int, length: int) -> Iterator[bytes | FilePart]:
        """The archive's bytes `start` to `start + length`, as bytes and file parts."""
        position, end = 0, start + length
        for segment in self.segments:
            size = len(segment) if isinstance(segment, bytes) else segment.length
            low, high = max(start, position), min(end, position + size)
            if low < high:
                if isinstance(segment, bytes):
                    yield segment[low - position : high - position]
                else:
                    yield FilePart(segment.path, segment.offset + low - position, high - low)
            position += size
            if position >= end:
                return


@functools.lru_cache(maxsize=256)
def _crc(path: Path, size: int, mtime_ns: int) -> int:
    """The CRC-32 of `path` as it was at (size, mtime); the key makes a changed file miss."""
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(_CRC_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def _dos_time(mtime_ns: int) -> tuple[int, int]:
    """(time, date) as MS-DOS stores them, in UTC, clamped to the format's 1980 start."""
    t = time.gmtime(max(mtime_ns // 1_000_000_000, 315_532_800))
    return t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2, (
        t.tm_year - 1980
    ) << 9 | t.tm_mon << 5 | t.tm_mday


def _member(name: str, path: Path) -> Member:
    stat = os.stat(path)
    if stat.st_size >= _LIMIT:
        raise BundleTooLarge(f"{name} is {stat.st_size} bytes: too large for a ZIP without ZIP64")
    return Member(
        name, path, stat.st_size, _crc(path, stat.st_size, stat.st_mtime_ns), stat.st_mtime_ns
    )


def plan_bundle(files: Sequence[tuple[str, Path]]) -> Bundle:
    """The stored ZIP of `files` ((name inside, path) pairs, in that order).

    Raises:
        OSError: a file cannot be read.
        BundleTooLarge: the archive would need ZIP64.
        ValueError: two members share a name.
    """
    names = [name for name, _ in files]
    if len(set(names)) != len(names):
        raise ValueError(f"member names repeat: {names}")
    members = tuple(_member(name, path) for name, path in files)
    segments: list[bytes | FilePart] = []
    central = bytearray()
    offset = 0
    for m in members:
        encoded = m.name.encode()
        dos_time, dos_date = _dos_time(m.mtime_ns)
        header = _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, _UTF8, 0, dos_time, dos_date, m.crc, m.size, m.size,
            len(encoded), 0,
        ) + encoded  # fmt: skip
        central += _CENTRAL.pack(
            b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, _UTF8, 0, dos_time, dos_date, m.crc,
            m.size, m.size, len(encoded), 0, 0, 0, 0, _MODE, offset,
        ) + encoded  # fmt: skip
        segments += [header, FilePart(m.path, 0, m.size)]
        offset += len(header) + m.size
        if offset >= _LIMIT:
            raise BundleTooLarge(f"the archive passes {_LIMIT} bytes: too large without ZIP64")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), offset, 0)
    segments += [bytes(central), end]
    tag = hashlib.sha256(repr([(m.name, m.size, m.crc, m.mtime_ns) for m in members]).encode())
    return Bundle(
        members=members,
        segments=tuple(segments),
        size=offset + len(central) + len(end),
        etag=f'"zip-{tag.hexdigest()[:24]}"',
        mtime=max((m.mtime_ns for m in members), default=0) / 1e9,
    )
