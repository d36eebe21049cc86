"""The stages with an artifact cache, on fake media: what is made, what is reused, and that
nothing of a failed render enters the cache. (The real media: tests/test_incremental_e2e.py.)"""

from __future__ import annotations

import functools
import shutil
from typing import TYPE_CHECKING

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, request
from videogen.actors.adapters.artifact_cache import ArtifactCache
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from tests.fakes import InlineStore
    from videogen.media.models import GenerationRequest


@pytest.fixture
async def cache(tmp_path: Path, inline_store: InlineStore) -> AsyncIterator[ArtifactCache]:
    opened = await ArtifactCache.open(tmp_path, tmp_path / "videogen.db", max_bytes=10**9)
    yield opened
    await opened.aclose()


@pytest.fixture
async def cached_registry(
    nursery: trio.Nursery,
    inline_store: InlineStore,
    fake_media: FakeMedia,
    tmp_path: Path,
    cache: ArtifactCache,
) -> AsyncIterator[Registry]:
    fake_media.cost = 0.01
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=10)
    run = functools.partial(run_registry, inline_store, fake_media, config, cache=cache)
    started: Registry = await nursery.start(run)
    yield started
    await started.shutdown()


async def render(registry: Registry, req: GenerationRequest) -> dict[str, object]:
    gen = await registry.submit(req)
    with trio.fail_after(30):
        await gen.finished.wait()
    last = gen.broadcast.log[-1].to_json()
    assert last["status"] == "completed", last
    return last


async def kinds(cache: ArtifactCache) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, _key, _size, _used in await cache.entries():
        counts[kind] = counts.get(kind, 0) + 1
    return counts


async def test_a_first_render_encodes_once_and_the_second_only_joins(
    cached_registry: Registry, fake_media: FakeMedia, cache: ArtifactCache
) -> None:
    first = await render(cached_registry, request())
    assert first["reuse"] == {
        "slides_reused": 0,
        "slides_total": 3,
        "speech_reused": 0,
        "frames_reused": 0,
        "segments_reused": 0,
    }
    # One encode of the whole deck's video, which left the three segments behind, the
    # narration beside it, then the join adding the narration.
    assert fake_media.calls.count("encode_segmented") == 1
    assert fake_media.audio_encoded == [3]
    assert fake_media.calls.count("join") == 1
    assert await kinds(cache) == {"speech": 3, "frames": 3, "segment": 3, "audio": 3}
    fake_media.calls.clear()
    second = await render(cached_registry, request())
    assert second["reuse"]["slides_reused"] == 3  # type: ignore[index]
    # Nothing spoken, drawn or encoded: the cached segments and narration tracks joined.
    assert fake_media.calls.count("join") == 1
    assert fake_media.calls.count("join_audio") == 1
    assert not {"speak", "draw", "encode", "encode_segment", "encode_audio"} & set(fake_media.calls)
    assert "♻️ 3 of 3 slides from the cache" in str(second["message"])


async def test_a_missing_narration_track_is_the_only_one_encoded(
    cached_registry: Registry, fake_media: FakeMedia, cache: ArtifactCache
) -> None:
    await render(cached_registry, request())
    assert fake_media.audio_encoded == [3]
    # One slide's track gone (as an edited narration's would be new): only it is made again.
    key = next(key for kind, key, _s, _u in await cache.entries() if kind == "audio")
    shutil.rmtree(cache.root / "audio" / key[:2] / key)
    fake_media.calls.clear()
    again = await render(cached_registry, request())
    assert fake_media.audio_encoded == [3, 1]
    # Its video segment was cached: no video encode at all, only the joins.
    assert "encode_segmented" not in fake_media.calls
    assert fake_media.calls.count("join_audio") == 1
    assert again["reuse"]["segments_reused"] == 3  # type: ignore[index]
    assert (await kinds(cache))["audio"] == 3


async def test_a_new_speech_rate_respeaks_but_reuses_frames_and_same_length_segments(
    cached_registry: Registry, fake_media: FakeMedia
) -> None:
    await render(cached_registry, request())
    fake_media.calls.clear()
    again = await render(cached_registry, request(speech_rate=180))
    reuse = again["reuse"]
    assert reuse == {
        "slides_reused": 0,
        "slides_total": 3,
        "speech_reused": 0,
        "frames_reused": 3,
        # The fake speaks every slide in 4 s: the same frames for the same seconds.
        "segments_reused": 3,
    }
    assert fake_media.calls.count("speak") == 3
    assert "draw" not in fake_media.calls
    # The fake's WAVs are the same bytes at any rate: the narration tracks are reused.
    assert "encode_audio" not in fake_media.calls


async def test_a_failed_encode_puts_no_segment_into_the_cache(
    cached_registry: Registry, fake_media: FakeMedia, cache: ArtifactCache
) -> None:
    fake_media.fail_at = "encode"
    gen = await cached_registry.submit(request())
    with trio.fail_after(30):
        await gen.finished.wait()
    assert gen.broadcast.log[-1].status == "error"
    # Speech and frames are whole when put; nothing of the unverified video is.
    assert await kinds(cache) == {"speech": 3, "frames": 3}
    # Nothing left leased: a failed render lets go of what it held.
    assert not any(cache.pinned(k, key) for k, key, _s, _u in await cache.entries())


async def test_burned_subtitles_encode_whole_and_cache_no_segment(
    cached_registry: Registry, fake_media: FakeMedia, cache: ArtifactCache
) -> None:
    done = await render(cached_registry, request(subtitles="burned"))
    assert done["reuse"]["segments_reused"] == 0  # type: ignore[index]
    assert "encode_segmented" not in fake_media.calls
    assert "segment" not in await kinds(cache)


async def test_without_a_cache_nothing_changes(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    gen = await registry.submit(request())
    with trio.fail_after(30):
        await gen.finished.wait()
    last = gen.broadcast.log[-1].to_json()
    assert last["status"] == "completed"
    assert "reuse" not in last
    assert "encode" in fake_media.calls
    assert not {"encode_segmented", "encode_segment", "join"} & set(fake_media.calls)
    assert "encode_segmented" not in fake_media.calls


async def test_speech_looks_the_narration_tracks_up_while_slides_still_draw(
    cached_registry: Registry, fake_media: FakeMedia, cache: ArtifactCache
) -> None:
    await render(cached_registry, request())
    tracks = [key for kind, key, _s, _u in await cache.entries() if kind == "audio"]
    assert len(tracks) == 3
    # A new theme: every frame drawn again (and here never done), the speech reused.
    fake_media.block_at = "draw"
    gen = await cached_registry.submit(request(theme="midnight"))
    with trio.fail_after(30), await cached_registry.subscribe(gen.id) as events:
        async for event in events:
            if event.status == "combining_audio" and event.progress == 49:
                break
    # Speech is done and compose has not started: the tracks were looked up (and are held
    # in the render's lease) by the speech stage, so compose can encode what is missing first.
    assert all(cache.pinned("audio", key) for key in tracks)
    assert "compose" not in {e.stage for e in gen.broadcast.log}
    await cached_registry.cancel(gen.id)


async def test_per_slide_tracks_need_no_whole_narration_wav(
    cached_registry: Registry, fake_media: FakeMedia
) -> None:
    # The per-slide tracks are joined in compose: the deck's whole WAV is never written.
    await render(cached_registry, request())
    assert "combine" not in fake_media.calls
    # Burned subtitles are encoded whole, with that WAV.
    fake_media.calls.clear()
    await render(cached_registry, request(subtitles="burned"))
    assert fake_media.calls.count("combine") == 1
