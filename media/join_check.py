"""The decode check of a joined file, split so its larger half runs beside the join.

Only argv builders and comparisons live here (plain sync code); the media port runs them
(`actors.adapters.joining`). What `compose.decode_check_argv` proves of a finished file — every
packet of every stream decodes without an error — is proved here in two parts, equivalently:

* the narration track (`media.aac_segments.join_adts`'s ADTS file) is decoded whole
  (`track_check_argv`) while the join runs: it is ready before the join starts, and decoding
  it is most of a decode check's time (351 s of narration: ≈0.25 s of ≈0.4 s);
* the joined file's video is decoded as `decode_check_argv` decodes it, and its audio packets
  are read by stream copy and hashed (`file_check_argv`), each compared with the track's
  (`audio_mismatch`): same count, same bytes (the MP4 holds each ADTS frame's payload, its
  header dropped), same timestamps one frame apart. A decoder given the same payloads in the
  same order with the same configuration (the MP4's AudioSpecificConfig is the ADTS header's)
  decodes them the same way, so the file's audio decodes cleanly exactly when the track did;
  a damaged sample table or payload shows as a demuxer error or a different packet.

When only some slides are new (`Fresh`: a revision's edited slides), decoding the rest again
proves nothing new, and the check is proportional to what changed. What it proves is the
same — every packet the file holds decodes cleanly, and the file reads end to end:

* every reused input (a slide's segment, a slide's ADTS file) is an artifact whose files
  decoded cleanly inside the verified file that put it into the cache (nothing enters it
  otherwise), and still holds those bytes: `Artifact.intact` hashes each against the SHA-256
  `put` recorded (a damaged one is discarded and made again);
* the new segments are decoded whole as they are made, and the new slides' ADTS files
  beside the join (`tracks_check_argv`; AAC-LC frames parse independently, so a frame that
  decodes alone decodes in the track);
* the joined file is read end to end: its video by stream copy (`packets_check_argv`),
  demuxed without an error, its packets the ones the join read from the segments, same
  count, sizes and bytes, in order (`video_mismatch`, against the join's own listing); its
  audio from its own sample tables (`media.mp4_samples`: sizes, chunks, offsets, times,
  as a demuxer reads them), its packets the track's (`audio_mismatch`), as above;
* each segment carries its own decoder configuration in band in the file: the concat
  demuxer converts every segment's packets to Annex B (`auto_convert`), putting that
  segment's own SPS/PPS (its `avcC`) before its first keyframe, and the MP4 muxer keeps
  them; the compared packets include them (the file's listed in the same form,
  `packets_check_argv`). A segment's packets in the file are then decoded exactly as in
  the segment itself: a new one as it was just decoded, a reused one as it was when it
  was verified.

So each packet in the output is byte-identical to one that decoded cleanly, under the same
configuration, and the container was read whole: what a full decode would show.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from videogen.media.aac_segments import AAC_FRAME, adts_packets

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "Fresh",
    "audio_mismatch",
    "file_check_argv",
    "packets_check_argv",
    "parse_packets",
    "payload_digests",
    "track_check_argv",
    "tracks_check_argv",
    "video_mismatch",
]


@dataclass(frozen=True, slots=True)
class Fresh:
    """What a join holds that was never verified: the indexes of its new segments (each
    decoded whole when made, `actors.adapters.joining.make_segment`) and the new slides'
    ADTS files (decoded beside the join); the rest is reused, verified when it was made."""

    parts: tuple[int, ...]
    tracks: tuple[Path, ...]


def _head(ffmpeg: str, source: Path) -> list[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-i", os.fspath(source)]


def track_check_argv(track: Path, *, ffmpeg: str) -> list[str]:
    """An ffmpeg command decoding every packet of an ADTS track, printing only errors (the
    audio half of `compose.decode_check_argv`, with its blocks)."""
    return [
        *_head(ffmpeg, track),
        "-map",
        "0:a:0",
        "-af",
        "asetnsamples=n=65536",
        "-f",
        "null",
        "-",
    ]


def file_check_argv(video: Path, *, packets: Path, ffmpeg: str) -> list[str]:
    """An ffmpeg command decoding `video`'s video as `compose.decode_check_argv` does (errors
    on stderr) and writing its audio packets' checksums (`framemd5`) to the file `packets`
    (not a pipe: thousands of lines read one by one through the event loop cost more than
    the whole pass)."""
    return [
        *_head(ffmpeg, video),
        "-y",
        "-map",
        "0:v:0",
        # As `decode_check_argv`: every frame with its own timestamp, in the file's timebase.
        "-fps_mode",
        "passthrough",
        "-enc_time_base:v",
        "demux",
        "-f",
        "null",
        "-",
        "-map",
        "0:a:0",
        "-c:a",
        "copy",
        "-f",
        "framemd5",
        os.fspath(packets),
    ]


def payload_digests(data: bytes) -> list[tuple[int, str]]:
    """(size, MD5) of each ADTS frame's payload in `data`, its header (with CRC, if any) dropped.

    Raises `ValueError` as `aac_segments.adts_packets` does.
    """
    digests: list[tuple[int, str]] = []
    for packet in adts_packets(data):
        # protection_absent = 0: a 16-bit CRC follows the 7-byte header.
        payload = packet[7 if packet[1] & 0x01 else 9 :]
        digests.append((len(payload), hashlib.md5(payload, usedforsecurity=False).hexdigest()))
    return digests


def parse_packets(text: str) -> list[tuple[int, int, str]]:
    """(dts, size, MD5) of every packet in `framemd5` output (one stream, in its timebase).

    Raises `ValueError` for a line that is not a packet's.
    """
    packets: list[tuple[int, int, str]] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) < 6:
            raise ValueError(f"not a framemd5 line: {line[:80]!r}")
        packets.append((int(fields[1]), int(fields[4]), fields[5]))
    return packets


def audio_mismatch(
    packets: Sequence[tuple[int, int, str]], digests: Sequence[tuple[int, str]]
) -> str | None:
    """Why the file's audio packets (`parse_packets`, timebase 1/rate) are not the track's
    (`payload_digests`), or None when they are: same count, bytes, and one frame apart."""
    if len(packets) != len(digests):
        return f"the file holds {len(packets)} audio packets, its narration {len(digests)}"
    first = packets[0][0] if packets else 0
    for n, ((dts, size, md5), (want_size, want_md5)) in enumerate(
        zip(packets, digests, strict=True)
    ):
        if (size, md5) != (want_size, want_md5):
            return f"audio packet {n} differs from the narration's"
        if dts != first + n * AAC_FRAME:
            return f"audio packet {n} is at {dts}, not {first + n * AAC_FRAME}"
    return None


def tracks_check_argv(
    tracks: Sequence[Path], *, ffmpeg: str, segments: Sequence[Path] = ()
) -> list[str]:
    """An ffmpeg command decoding every packet of each ADTS file in `tracks` and of each
    video segment in `segments` (one file or more in all), printing only errors."""
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "error"]
    for path in (*tracks, *segments):
        argv += ["-i", os.fspath(path)]
    for n in range(len(tracks)):
        argv += ["-map", f"{n}:a:0", "-f", "null", "-"]
    for n in range(len(tracks), len(tracks) + len(segments)):
        # As `decode_check_argv`: every frame with its own timestamp, in the file's timebase.
        argv += ["-map", f"{n}:v:0", "-fps_mode", "passthrough", "-enc_time_base:v", "demux"]
        argv += ["-f", "null", "-"]
    return argv


def packets_check_argv(video: Path, *, video_packets: Path, ffmpeg: str) -> list[str]:
    """An ffmpeg command listing `video`'s video packets by stream copy into `video_packets`
    (`framemd5`, in the Annex B form the join's concat demuxer hands on, so that its listing
    compares); errors on stderr. Its audio packets are read in-process
    (`media.mp4_samples`: thousands of them cost ffmpeg more than the rest of the pass)."""
    argv = [*_head(ffmpeg, video), "-y"]
    argv += ["-map", "0:v:0", "-c", "copy", "-bsf:v", "h264_mp4toannexb"]
    argv += ["-f", "framemd5", os.fspath(video_packets)]
    return argv


def video_mismatch(
    packets: Sequence[tuple[int, int, str]], joined: Sequence[tuple[int, int, str]]
) -> str | None:
    """Why the file's video packets (`parse_packets`) are not those the join copied from
    the segments (`parse_packets` of its listing), or None: same count, sizes, bytes, order."""
    if len(packets) != len(joined):
        return f"the file holds {len(packets)} video packets, its segments {len(joined)}"
    for n, ((_, size, md5), (_, want_size, want_md5)) in enumerate(
        zip(packets, joined, strict=True)
    ):
        if (size, md5) != (want_size, want_md5):
            return f"video packet {n} differs from its segment's"
    dts = [d for d, _, _ in packets]
    if any(b <= a for a, b in itertools.pairwise(dts)):
        return "the file's video packets are not in decoding order"
    return None
