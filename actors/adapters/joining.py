"""A join run and verified with its narration decoded beside it (the media port's `join`),
and chapters copied into a finished file (its one-pass encode's: the tee passes none on).

Owned by the media port (`RealMedia.join`), which hands in the join's command, the ffmpeg
binary and the narration track. The decode check is `compose.decode_check_argv` split in
two (the same proof: see `media.join_check`): the ADTS track is decoded while the join runs
(the two share nothing), then one pass over the file decodes its video and hashes its audio
packets, compared with the track's. Every child is started through `processes`
(terminated, then killed, on cancellation; the nursery cancels the other on a failure).

When the caller says what is new (`join_check.Fresh`), only that is decoded: the new
segments as they are made (`make_segment`), the new slides' ADTS files beside the join; after
it, the file is read by stream copy and compared packet by packet with what the join copied
(the proof that this is the same check: `media.join_check`'s docstring).

Raises `ProcessFailed` when an ffmpeg run fails, `VerifyError` when the file does not decode
cleanly, holds other packets than its inputs, or is not a finished MP4
(`compose.verify_video`).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.processes import run_checked, stream_lines
from videogen.actors.errors import ProcessFailed
from videogen.media import compose, join_check, mp4_samples, segments

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

__all__ = ["add_chapters", "join_parts", "join_verified", "make_segment"]


async def make_segment(argv: list[str], output: Path, *, ffmpeg: str) -> None:
    """Run one segment's encode `argv` (`segments.segment_argv`), then decode `output` whole:
    a new segment's share of a proportional check (`join_check.Fresh`), made here, beside
    the narration's encode, rather than beside the join that waits for both.

    Raises `ProcessFailed` when a run fails, `VerifyError` when the segment does not decode.
    """
    await run_checked(argv)
    check = join_check.tracks_check_argv([], segments=[output], ffmpeg=ffmpeg)
    if errors := (await run_checked(check)).strip():
        raise compose.VerifyError(f"a new segment does not decode cleanly: {errors[:300]}")


async def join_parts(
    parts: Sequence[tuple[Path, float]],
    *,
    narration: Path,
    audio_offset: float,
    total_seconds: float,
    output: Path,
    on_progress: Callable[[float], None],
    metadata: Path | None,
    fresh: join_check.Fresh | None,
    ffmpeg: str,
) -> None:
    """Join `parts` (segment, slide seconds) with the ADTS `narration` and `metadata`'s
    chapters by stream copy (`segments.join_argv`) into `output`, verified (`join_verified`)."""
    segment_list = output.with_suffix(".segments.ffconcat")
    await trio.to_thread.run_sync(segments.write_segment_list, parts, segment_list)
    argv = segments.join_argv(
        segment_list=segment_list,
        audio=narration,
        total_seconds=total_seconds,
        output=output,
        ffmpeg=ffmpeg,
        audio_offset=audio_offset,
        # The chapters in the same mux: no copy pass after it (see `join_argv` on why the
        # movie's timescale is set for that).
        metadata=metadata,
        video_packets=None if fresh is None else _listing(output, "joined.video"),
    )
    await join_verified(
        argv,
        output=output,
        narration=narration,
        total_seconds=total_seconds,
        on_progress=on_progress,
        ffmpeg=ffmpeg,
        fresh=None if fresh is None else (fresh, parts),
    )


def _listing(output: Path, what: str) -> Path:
    return output.with_name(f"{output.name}.{what}.framemd5")


def _packets_check(output: Path, ffmpeg: str) -> list[str]:
    """The stream-copy pass over `output` (the new segments were decoded beside the join)."""
    return join_check.packets_check_argv(
        output, video_packets=_listing(output, "video"), ffmpeg=ffmpeg
    )


async def join_verified(
    argv: list[str],
    *,
    output: Path,
    narration: Path,
    total_seconds: float,
    on_progress: Callable[[float], None],
    ffmpeg: str,
    fresh: tuple[join_check.Fresh, Sequence[tuple[Path, float]]] | None = None,
) -> None:
    """Run the join `argv` (`media.segments.join_argv`, `narration` its copied ADTS track)
    reporting its progress, the track's decode check beside it; then check the file. With
    `fresh` (what is new, and the join's parts; `argv` then lists its video packets, see
    `join_parts`; its new segments decoded by `make_segment`), only the new slides' tracks
    are decoded beside it, and the
    file's pass is stream copy of its video, its packets compared with the join's, and its
    audio samples read in-process (`media.mp4_samples`), compared with the track's."""
    track_errors = ""
    track_failed: ProcessFailed | None = None
    if fresh is None:
        track_argv: list[str] | None = join_check.track_check_argv(narration, ffmpeg=ffmpeg)
    elif fresh[0].tracks:
        # The new segments were decoded when made (`make_segment`: the same packets as in
        # the file, see `media.join_check`).
        track_argv = join_check.tracks_check_argv(fresh[0].tracks, ffmpeg=ffmpeg)
    else:
        track_argv = None

    async def check_track() -> None:
        # Its failure kept, not raised in the nursery: the caller gets a `ProcessFailed`, not
        # an exception group, whichever run fails.
        nonlocal track_errors, track_failed
        try:
            if track_argv is not None:
                track_errors = await run_checked(track_argv)
        except ProcessFailed as exc:
            track_failed = exc

    def progress(line: str) -> None:
        if (seconds := compose.parse_progress(line)) is not None:
            on_progress(min(seconds / total_seconds, 1.0))

    digests: list[tuple[int, str]] | str = []

    def hash_track() -> None:
        # Beside the join too: the track's payload hashes, for the file's packets.
        nonlocal digests
        try:
            digests = join_check.payload_digests(narration.read_bytes())
        except ValueError as exc:  # a damaged track: the file cannot be shown to hold it
            digests = f"the narration track is not whole ADTS frames: {exc}"

    async with trio.open_nursery() as nursery:
        nursery.start_soon(check_track)
        nursery.start_soon(trio.to_thread.run_sync, hash_track)
        code, errors = await stream_lines(argv, progress)
    if code != 0:
        raise ProcessFailed(os.path.basename(argv[0]), code, errors)
    if track_failed is not None:
        raise track_failed
    listing = _listing(output, "audio")
    if fresh is None:
        check = join_check.file_check_argv(output, packets=listing, ffmpeg=ffmpeg)
    else:
        check = _packets_check(output, ffmpeg)
    file_errors = await run_checked(check)

    def video_mismatch() -> str | None:
        try:
            got = _listing(output, "video").read_text(encoding="utf-8")
            joined = _listing(output, "joined.video").read_text(encoding="utf-8")
        except OSError as exc:  # a pass that listed nothing: nothing shown
            return f"the file's packets were not listed: {exc}"
        copied = join_check.parse_packets(joined)
        return join_check.video_mismatch(join_check.parse_packets(got), copied)

    def verify() -> None:
        if isinstance(digests, str):
            mismatch: str | None = digests
        elif fresh is None:
            packets = join_check.parse_packets(listing.read_text(encoding="utf-8"))
            mismatch = join_check.audio_mismatch(packets, digests)
        else:
            try:
                packets = mp4_samples.sample_digests(output.read_bytes(), b"soun")
            except ValueError as exc:
                packets, mismatch = [], f"the file's audio samples cannot be read: {exc}"
            else:
                mismatch = join_check.audio_mismatch(packets, digests)
        if fresh is not None and mismatch is None:
            mismatch = video_mismatch()
        for what in ("audio", "video", "joined.video"):
            _listing(output, what).unlink(missing_ok=True)
        errors = "\n".join(e for e in (track_errors, file_errors, mismatch or "") if e.strip())
        compose.verify_video(output, expected_seconds=total_seconds, decode_errors=errors)

    await trio.to_thread.run_sync(verify)


async def add_chapters(video: Path, metadata: Path, total_seconds: float, *, ffmpeg: str) -> None:
    """Copy `video`'s streams with `metadata`'s chapters back into `video` (streams
    untouched, so the decode check already made holds; the container is verified)."""
    chaptered = video.with_name(video.stem + ".chapters.mp4")
    await run_checked(
        segments.chapters_argv(video, metadata=metadata, output=chaptered, ffmpeg=ffmpeg)
    )
    verify = functools.partial(
        compose.verify_video, chaptered, expected_seconds=total_seconds, decode_errors=""
    )
    await trio.to_thread.run_sync(verify)
    await trio.Path(chaptered).replace(video)
