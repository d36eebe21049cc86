"""A join run and verified with its narration decoded beside it (the media port's `join`),
and chapters copied into a finished file (its one-pass encode's: the tee passes none on).

Owned by the media port (`RealMedia.join`), which hands in the join's command, the ffmpeg
binary and the narration track. The decode check is `compose.decode_check_argv` split in
two (the same proof: see `media.join_check`): the ADTS track is decoded while the join runs
(the two share nothing), then one pass over the file decodes its video and hashes its audio
packets, compared with the track's. Every child is started through `processes`
(terminated, then killed, on cancellation; the nursery cancels the other on a failure).

Raises `ProcessFailed` when an ffmpeg run fails, `VerifyError` when the file does not decode
cleanly, holds other audio than the track, or is not a finished MP4 (`compose.verify_video`).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.processes import run_checked, stream_lines
from videogen.actors.errors import ProcessFailed
from videogen.media import compose, join_check, segments

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = ["add_chapters", "join_verified"]


async def join_verified(
    argv: list[str],
    *,
    output: Path,
    narration: Path,
    total_seconds: float,
    on_progress: Callable[[float], None],
    ffmpeg: str,
) -> None:
    """Run the join `argv` (`media.segments.join_argv`, `narration` its copied ADTS track)
    reporting its progress, the track's decode check beside it; then check the file."""
    track_errors = ""
    track_failed: ProcessFailed | None = None

    async def check_track() -> None:
        # Its failure kept, not raised in the nursery: the caller gets a `ProcessFailed`, not
        # an exception group, whichever run fails.
        nonlocal track_errors, track_failed
        try:
            track_errors = await run_checked(join_check.track_check_argv(narration, ffmpeg=ffmpeg))
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
    listing = output.with_name(output.name + ".audio.framemd5")
    check = join_check.file_check_argv(output, packets=listing, ffmpeg=ffmpeg)
    file_errors = await run_checked(check)

    def verify() -> None:
        if isinstance(digests, str):
            mismatch: str | None = digests
        else:
            packets = join_check.parse_packets(listing.read_text(encoding="utf-8"))
            mismatch = join_check.audio_mismatch(packets, digests)
        listing.unlink()
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
