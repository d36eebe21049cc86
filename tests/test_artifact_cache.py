"""The artifact cache: content-addressed keys, whole artifacts only, LRU within a bound, leases,
and what a crash leaves behind (real files, a real SQLite index; worker threads as in serving)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import pytest
import trio

from videogen.actors.adapters.artifact_cache import (
    CACHE_DIR,
    DIGESTS_FILE,
    RENDER_VERSION,
    ArtifactCache,
    frames_key,
    segment_key,
    speech_key,
)
from videogen.actors.adapters.store import Store

if TYPE_CHECKING:
    from pathlib import Path


def _key(n: int) -> str:
    return speech_key(text=f"sentence {n}", voice="en-us", rate=150, language="en")


def _source(tmp: Path, name: str, size: int, fill: bytes = b"x") -> Path:
    path = tmp / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fill * size)
    return path


async def _open(tmp: Path, max_bytes: int = 10_000, *, recover: bool = True) -> ArtifactCache:
    return await ArtifactCache.open(tmp, tmp / "videogen.db", max_bytes=max_bytes, recover=recover)


def test_keys_change_with_everything_an_artifact_depends_on() -> None:
    base = {"text": "Water evaporates.", "voice": "en-us", "rate": 150, "language": "en"}
    key = speech_key(**base)  # type: ignore[arg-type]
    assert key == speech_key(**base)  # type: ignore[arg-type]
    for field, other in (("text", "Water falls."), ("voice", "en-gb"), ("rate", 160)):
        assert speech_key(**{**base, field: other}) != key  # type: ignore[arg-type]
    assert speech_key(**{**base, "language": "fr"}) != key  # type: ignore[arg-type]
    slide = {"title": "Rain", "bullets": ["a", "b"], "layout": "bullets", "visuals": []}
    frames: dict[str, Any] = {
        "slide": slide,
        "number": 2,
        "total": 20,
        "theme": "default",
        "width": 1280,
        "height": 720,
        "aspect_ratio": "16:9",
        "reveal": True,
    }
    fkey = frames_key(**frames)
    changed: list[dict[str, Any]] = [
        {"slide": {**slide, "layout": "process"}},
        {"slide": {**slide, "visuals": [{"kind": "icon", "name": "cloud"}]}},
        {"number": 3},
        {"total": 21},
        {"theme": "dark"},
        {"theme": {"name": "default", "brand": {"color": "#123456"}}},
        {"width": 1920, "height": 1080},
        {"aspect_ratio": "9:16"},
        {"reveal": False},
    ]
    for change in changed:
        assert frames_key(**{**frames, **change}) != fkey, change
    # A speech key never equals a frames key, and durations equal to the microsecond match.
    seg = segment_key(frames=fkey, seconds=[1.5, 2.0000000001], width=1280, height=720)
    assert seg == segment_key(frames=fkey, seconds=[1.5, 2.0], width=1280, height=720)
    assert seg != segment_key(frames=fkey, seconds=[1.5, 2.1], width=1280, height=720)
    assert len({key, fkey, seg}) == 3
    assert isinstance(RENDER_VERSION, int)


async def test_put_then_get_answers_the_whole_artifact_across_a_restart(tmp_path: Path) -> None:
    cache = await _open(tmp_path)
    key = _key(1)
    assert await cache.get("speech", key) is None
    wav = _source(tmp_path, "a.wav", 1000)
    timings = _source(tmp_path, "t.json", 5, b"{}")
    put = await cache.put("speech", key, {"speech.wav": wav, "timings.json": timings})
    assert put.files == ("speech.wav", "timings.json")
    assert put.file("speech.wav").read_bytes() == wav.read_bytes()
    assert await cache.total_bytes() == 1010  # 1000 + 5 × 2
    await cache.aclose()
    again = await _open(tmp_path)
    got = await again.get("speech", key)
    assert got is not None
    assert got.path == put.path
    assert got.file("timings.json").read_bytes() == b"{}" * 5
    await again.aclose()


async def test_eviction_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = await _open(tmp_path, max_bytes=3000)
    keys = [_key(n) for n in range(3)]
    for n, key in enumerate(keys):
        await cache.put("speech", key, {"speech.wav": _source(tmp_path, f"{n}.wav", 1000)})
    # Using the oldest makes the second the least recently used.
    assert await cache.get("speech", keys[0]) is not None
    await cache.put("speech", _key(3), {"speech.wav": _source(tmp_path, "3.wav", 1000)})
    assert await cache.get("speech", keys[1]) is None
    assert not (tmp_path / CACHE_DIR / "speech" / keys[1][:2] / keys[1]).exists()
    for key in (keys[0], keys[2], _key(3)):
        assert await cache.get("speech", key) is not None
    assert await cache.total_bytes() == 3000
    order = [key for _kind, key, _b, _u in await cache.entries()]
    assert order == [keys[0], keys[2], _key(3)]
    await cache.aclose()


async def test_a_smaller_bound_at_open_evicts_down_to_it(tmp_path: Path) -> None:
    cache = await _open(tmp_path, max_bytes=10_000)
    for n in range(4):
        await cache.put("speech", _key(n), {"speech.wav": _source(tmp_path, f"{n}.wav", 1000)})
    await cache.aclose()
    small = await _open(tmp_path, max_bytes=2000)
    assert [k for _kind, k, _b, _u in await small.entries()] == [_key(2), _key(3)]
    await small.aclose()


async def test_leased_artifacts_are_never_evicted_until_released(tmp_path: Path) -> None:
    cache = await _open(tmp_path, max_bytes=2000)
    async with cache.leased() as lease:
        await cache.put(
            "speech", _key(0), {"speech.wav": _source(tmp_path, "0.wav", 1000)}, lease=lease
        )
        assert cache.pinned("speech", _key(0))
        # Past the bound, with the oldest held: the others go instead, and the held one stays.
        for n in (1, 2, 3):
            await cache.put("speech", _key(n), {"speech.wav": _source(tmp_path, f"{n}.wav", 1000)})
        held = await cache.get("speech", _key(0))
        assert held is not None
        assert held.file("speech.wav").stat().st_size == 1000
        assert await cache.total_bytes() <= 2000
    assert not cache.pinned("speech", _key(0))
    # A get pins too; two leases on one artifact: it stays until both are released.
    first, second = cache.lease(), cache.lease()
    assert await cache.get("speech", _key(3), lease=first) is not None
    assert await cache.get("speech", _key(3), lease=second) is not None
    await cache.release(first)
    assert cache.pinned("speech", _key(3))
    await cache.release(second)
    assert not cache.pinned("speech", _key(3))
    await cache.aclose()


async def test_a_crash_mid_put_leaves_a_temp_that_is_ignored_then_swept(tmp_path: Path) -> None:
    cache = await _open(tmp_path)
    key = _key(7)
    # What a crash between the first file and the rename leaves: a partial copy under tmp/.
    stray = tmp_path / CACHE_DIR / "tmp" / f"{key}.deadbeef"
    stray.mkdir()
    (stray / "speech.wav").write_bytes(b"half")
    assert await cache.get("speech", key) is None
    await cache.aclose()
    # Another process's put may be in flight: only a lone start sweeps.
    shared = await _open(tmp_path, recover=False)
    assert stray.exists()
    await shared.aclose()
    alone = await _open(tmp_path)
    assert not stray.exists()
    assert await alone.get("speech", key) is None
    await alone.aclose()


async def test_an_index_row_without_its_files_is_a_miss(tmp_path: Path) -> None:
    cache = await _open(tmp_path)
    art = await cache.put("speech", _key(1), {"speech.wav": _source(tmp_path, "1.wav", 100)})
    await cache.put("speech", _key(2), {"speech.wav": _source(tmp_path, "2.wav", 100)})
    for f in art.path.iterdir():
        f.unlink()
    art.path.rmdir()
    assert await cache.get("speech", _key(1)) is None
    assert [k for _kind, k, _b, _u in await cache.entries()] == [_key(2)]
    await cache.aclose()
    # The same found at open: the row is dropped before anything asks.
    other = _key(2)
    path = tmp_path / CACHE_DIR / "speech" / other[:2] / other
    (path / "speech.wav").unlink()
    (path / DIGESTS_FILE).unlink()
    path.rmdir()
    reopened = await _open(tmp_path)
    assert await reopened.entries() == []
    await reopened.aclose()


async def test_a_whole_directory_without_its_row_is_adopted(tmp_path: Path) -> None:
    cache = await _open(tmp_path)
    art = await cache.put("speech", _key(1), {"speech.wav": _source(tmp_path, "1.wav", 100)})
    await cache.aclose()
    # A crash after the rename, before the row: the files are whole (synced before the rename).
    conn = sqlite3.connect(tmp_path / "videogen.db")
    conn.execute("DELETE FROM artifacts")
    conn.commit()
    conn.close()
    reopened = await _open(tmp_path)
    got = await reopened.get("speech", _key(1))
    assert got is not None
    assert got.path == art.path
    assert await reopened.total_bytes() == 100
    await reopened.aclose()


async def test_concurrent_puts_of_one_key_one_wins_and_both_see_a_whole_file(
    tmp_path: Path,
) -> None:
    cache = await _open(tmp_path, max_bytes=10**9)
    key = _key(9)
    sources = [_source(tmp_path, f"{n}.wav", 2_000_000, bytes([65 + n])) for n in range(2)]
    answers: list[bytes] = []

    async def put(n: int) -> None:
        art = await cache.put("speech", key, {"speech.wav": sources[n]})
        answers.append(art.file("speech.wav").read_bytes())

    async with trio.open_nursery() as nursery:
        for n in range(2):
            nursery.start_soon(put, n)
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert answers[0] in (sources[0].read_bytes(), sources[1].read_bytes())
    assert await cache.total_bytes() == 2_000_000
    assert list((tmp_path / CACHE_DIR / "tmp").iterdir()) == []
    await cache.aclose()


async def test_bad_names_and_kinds_are_refused(tmp_path: Path) -> None:
    cache = await _open(tmp_path)
    wav = _source(tmp_path, "a.wav", 1)
    for name in ("../x", "a/b", "", ".hidden"):
        with pytest.raises(ValueError, match="plain name"):
            await cache.put("speech", _key(1), {name: wav})
    with pytest.raises(ValueError, match="kind"):
        await cache.get("fonts", _key(1))
    with pytest.raises(ValueError, match="hex"):
        await cache.get("speech", "../../etc")
    await cache.aclose()


async def test_the_index_lives_in_the_store_database_beside_generations(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "videogen.db")
    cache = await _open(tmp_path)
    await cache.put("speech", _key(1), {"speech.wav": _source(tmp_path, "1.wav", 10)})
    await cache.aclose()
    await store.aclose()
    conn = sqlite3.connect(tmp_path / "videogen.db")
    try:
        assert conn.execute("SELECT kind, bytes FROM artifacts").fetchall() == [("speech", 10)]
    finally:
        conn.close()


async def test_a_put_records_its_files_digests_and_a_damaged_file_is_not_intact(
    tmp_path: Path,
) -> None:
    cache = await _open(tmp_path)
    key = _key(7)
    put = await cache.put("speech", key, {"speech.wav": _source(tmp_path, "a.wav", 1000)})
    # The record is beside the files, not one of them, and not counted in the bound.
    assert put.files == ("speech.wav",)
    assert (put.path / DIGESTS_FILE).is_file()
    assert await cache.total_bytes() == 1000
    got = await cache.get("speech", key)
    assert got is not None
    assert set(got.digests) == {"speech.wav"}
    assert got.intact()
    # One byte changed on disk: no longer the bytes that were put.
    data = bytearray(got.file("speech.wav").read_bytes())
    data[500] ^= 0x01
    got.file("speech.wav").write_bytes(bytes(data))
    assert not got.intact()
    # Without its record (an artifact from before digests): not proven intact either.
    (got.path / DIGESTS_FILE).unlink()
    older = await cache.get("speech", key)
    assert older is not None
    assert older.digests == {}
    assert not older.intact()
    await cache.discard("speech", key)
    assert await cache.get("speech", key) is None
    assert await cache.total_bytes() == 0
    await cache.aclose()
