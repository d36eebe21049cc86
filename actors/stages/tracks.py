"""A slide's narration track in the artifact cache: its key, and the hit if there is one.

Owned by the speech stage, which looks each slide's track up as soon as that slide's WAV and
slot are known (beside the other slides' speech), so compose starts encoding only what is
missing, at once, instead of hashing and looking up every slide after all speech is done.
Compose puts a made track into the cache only after the video is verified.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.artifact_cache import audio_key
from videogen.media.aac_segments import AAC_SUFFIX

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.artifact_cache import Artifact
    from videogen.actors.stages.base import StageDeps

__all__ = ["AUDIO_FILE", "Track", "look_up_track", "verified_hit", "whole_track_needed"]

# An audio artifact's one file: the slide's narration as ADTS frames.
AUDIO_FILE: Final = "narration" + AAC_SUFFIX


@dataclass(frozen=True, slots=True)
class Track:
    """One slide's narration track: its cache key, the hit holding `AUDIO_FILE` (None: to be
    encoded), and whether the hit is proven intact (see `verified_hit`)."""

    key: str
    hit: Artifact | None
    intact: bool


async def verified_hit(
    deps: StageDeps, kind: str, key: str, name: str
) -> tuple[Artifact | None, bool]:
    """A cache hit holding `name` (or None), and whether it is proven to hold the bytes that
    were verified when it was made (`Artifact.intact`): a damaged one is discarded (a miss,
    made again); one from before digests were recorded is used, unproven (the join then
    decodes everything)."""
    cache = deps.cache
    assert cache is not None
    hit = await cache.get(kind, key, lease=deps.lease)
    if hit is None or name not in hit.files:
        return None, True
    if not hit.digests:
        return hit, False
    if await trio.to_thread.run_sync(hit.intact):
        return hit, True
    await cache.discard(kind, key)
    return None, True


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


async def look_up_track(wav: Path, seconds: float, deps: StageDeps) -> Track:
    """The track of the slide whose speech is `wav` in a slot of `seconds` (needs `deps.cache`).

    Raises `OSError` when the WAV cannot be read.
    """
    digest = await trio.to_thread.run_sync(_digest, wav)
    key = audio_key(speech=digest, seconds=seconds)
    hit, intact = await verified_hit(deps, "audio", key, AUDIO_FILE)
    return Track(key, hit, intact)


def whole_track_needed(deps: StageDeps) -> bool:
    """Whether compose encodes the narration whole (the speech stage's joined WAV,
    `Spoken.narration`): without a cache, and with burned subtitles or music (compose's
    single call); else it joins the per-slide tracks and that WAV is never written."""
    request = deps.request
    return deps.cache is None or request.subtitles == "burned" or request.music is not None
