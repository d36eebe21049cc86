"""A track's samples read from an MP4's own sample tables (plain sync code), as a demuxer
reads them (ISO/IEC 14496-12: `stsz` sizes, `stsc` samples per chunk, `stco`/`co64` chunk
offsets, `stts` durations), for `media.join_check`: a joined file's thousands of AAC packets
compared in-process, where ffmpeg's stream copy of them cost more than the rest of the pass.

Raises `ValueError` for boxes or tables that do not describe whole samples inside the data.
"""

from __future__ import annotations

import hashlib
import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["sample_digests"]


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(kind, body start, body end) of each box in data[start:end], which they must fill."""
    at = start
    while at < end:
        if at + 8 > end:
            raise ValueError(f"a box header cut short at {at}")
        size, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if size == 1:
            if at + 16 > end:
                raise ValueError(f"a box header cut short at {at}")
            size, head = struct.unpack_from(">Q", data, at + 8)[0], 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            raise ValueError(f"box {kind!r} at {at} overruns its parent")
        yield kind, at + head, at + size
        at += size


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int]:
    for found, body, stop in _boxes(data, start, end):
        if found == kind:
            return body, stop
    raise ValueError(f"no {kind.decode()} box")


def _table(data: bytes, body: int, stop: int, fields: int) -> list[tuple[int, ...]]:
    """A full box's entries of `fields` 32-bit words, after its version/flags and count."""
    (count,) = struct.unpack_from(">I", data, body + 4)
    if body + 8 + 4 * fields * count > stop:
        raise ValueError("a sample table overruns its box")
    return list(struct.iter_unpack(f">{fields}I", data[body + 8 : body + 8 + 4 * fields * count]))


def sample_digests(data: bytes, handler: bytes) -> list[tuple[int, int, str]]:
    """(dts, size, MD5) of every sample of the first track whose handler is `handler`
    (b"soun", b"vide") in the MP4 `data`, its dts in the track's timescale from 0."""
    moov = _child(data, 0, len(data), b"moov")
    for kind, trak, trak_end in _boxes(data, *moov):
        if kind != b"trak":
            continue
        mdia = _child(data, trak, trak_end, b"mdia")
        hdlr, _ = _child(data, *mdia, b"hdlr")
        if data[hdlr + 8 : hdlr + 12] != handler:
            continue
        stbl = _child(data, *_child(data, *mdia, b"minf"), b"stbl")
        return _samples(data, stbl)
    raise ValueError(f"no {handler.decode()} track")


def _samples(data: bytes, stbl: tuple[int, int]) -> list[tuple[int, int, str]]:
    body, stop = _child(data, *stbl, b"stsz")
    fixed, count = struct.unpack_from(">II", data, body + 4)
    if fixed:
        sizes = [fixed] * count
    else:
        if body + 12 + 4 * count > stop:
            raise ValueError("stsz overruns its box")
        sizes = list(struct.unpack_from(f">{count}I", data, body + 12))
    runs = _table(data, *_child(data, *stbl, b"stsc"), 3)
    try:
        offsets = [o for (o,) in _table(data, *_child(data, *stbl, b"stco"), 1)]
    except ValueError:
        body, stop = _child(data, *stbl, b"co64")
        (n,) = struct.unpack_from(">I", data, body + 4)
        if body + 8 + 8 * n > stop:
            raise ValueError("co64 overruns its box") from None
        offsets = list(struct.unpack_from(f">{n}Q", data, body + 8))
    deltas = [d for c, d in _table(data, *_child(data, *stbl, b"stts"), 2) for _ in range(c)]
    if len(deltas) != count:
        raise ValueError(f"stts times {len(deltas)} samples, stsz sizes {count}")
    samples: list[tuple[int, int, str]] = []
    dts = 0
    for run, (first, per_chunk, _desc) in enumerate(runs):
        last = runs[run + 1][0] - 1 if run + 1 < len(runs) else len(offsets)
        for chunk in range(first, last + 1):
            if chunk < 1 or chunk > len(offsets):
                raise ValueError(f"stsc names chunk {chunk} of {len(offsets)}")
            at = offsets[chunk - 1]
            for _ in range(per_chunk):
                n = len(samples)
                if n >= count:
                    raise ValueError("stsc places more samples than stsz sizes")
                size = sizes[n]
                if at + size > len(data):
                    raise ValueError(f"sample {n} lies past the end of the file")
                digest = hashlib.md5(data[at : at + size], usedforsecurity=False).hexdigest()
                samples.append((dts, size, digest))
                dts += deltas[n]
                at += size
    if len(samples) != count:
        raise ValueError(f"stsc places {len(samples)} samples, stsz sizes {count}")
    return samples
