"""Disk faults: a full disk (a small tmpfs), a read-only data dir (a tmpfs remounted read-only),
scratch left behind by failed and crashed generations.

The mounts need root (CAP_SYS_ADMIN); where `mount` is refused the tests that need one skip.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, InlineStore, request
from videogen.actors.adapters.media_port import open_media
from videogen.actors.adapters.storage import probe_data_dir
from videogen.actors.errors import StorageFailing
from videogen.actors.limits import STORAGE_CHECK_TTL
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry
from videogen.media import speech
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from videogen.actors.runtime.generation import Generation
    from videogen.media.slides import SlideImages

# A sentence whose WAV (about 6 s, some 270 KB) cannot fit in the space left below.
SENTENCE = (
    "This sentence is long enough to need a few hundred kilobytes of audio data, and then some "
    "more, to be quite sure it does not fit."
)


class Mount:
    """A tmpfs of `size` mounted at `path`; `fill(leave)` leaves only `leave` bytes free."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", os.fspath(path)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")

    def fill(self, leave: int) -> None:
        free = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        with open(self.path / "filler", "wb") as f:
            f.write(b"\0" * max(free - leave, 0))

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", os.fspath(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", os.fspath(self.path)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Mount]:
    mount = Mount(tmp_path / "small", "512k")
    yield mount
    mount.unmount()


@pytest.fixture
def data_disk(tmp_path: Path) -> Iterator[Mount]:
    mount = Mount(tmp_path / "data", "16m")
    yield mount
    mount.unmount()


# -- a full disk ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("leave", "before_speaking"),
    [
        (16 * 1024, True),  # less than the shortest plausible WAV: refused before speaking
        (200 * 1024, False),  # enough to start, not to finish: pyttsx3's write fails
    ],
)
async def test_speech_on_a_full_disk_fails_at_once_naming_the_cause(
    small_disk: Mount, leave: int, before_speaking: bool
) -> None:
    small_disk.fill(leave)
    out = small_disk.path / "narration_01.wav"
    async with open_media(OfflineWriter()) as media:
        started = trio.current_time()
        with pytest.raises(speech.SpeechStorageError) as failed:
            await media.speak(SENTENCE, voice="gmw/en-us", rate=175, out_path=out)
        took = trio.current_time() - started
        # The worker's first call also loads espeak; a hang would be the stage budget (70 s).
        assert took < 10
        assert "No space left on device" in str(failed.value)
        assert ("KiB free" in str(failed.value)) is before_speaking
        assert "narration_01.wav" in str(failed.value)
        # The same worker speaks again once there is room: its engine was rebuilt.
        os.remove(small_disk.path / "filler")
        seconds = await media.speak(SENTENCE, voice="gmw/en-us", rate=175, out_path=out)
        assert seconds > 3
    assert not (small_disk.path / "narration_01.wav.tmp").exists()


def test_the_storage_probe_reports_low_space_and_read_only(data_disk: Mount) -> None:
    assert probe_data_dir(data_disk.path, 1024 * 1024) is None
    low = probe_data_dir(data_disk.path, 64 * 1024 * 1024)
    assert low is not None and "MiB free, less than the 64 MiB" in low
    data_disk.read_only()
    failure = probe_data_dir(data_disk.path, 1024)
    assert failure == "the data dir is not writable: Read-only file system"


async def test_admission_refuses_while_storage_fails_and_probes_once_per_ttl(
    data_disk: Mount,
    inline_store: InlineStore,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    media = FakeMedia(cost=0.1)
    probes: list[str | None] = []
    real_check = media.check_storage

    async def counted(data_dir: Path, min_free: int) -> str | None:
        probes.append(result := await real_check(data_dir, min_free))
        return result

    media.check_storage = counted  # type: ignore[method-assign]
    config = RegistryConfig(data_dir=data_disk.path, max_running=2, max_queued=10)
    registry: Registry = await nursery.start(run_registry, inline_store, media, config)
    # 16 MiB free is below the default minimum of 100 MiB: refused, naming storage.
    with pytest.raises(StorageFailing, match=r"storage is failing: the data dir has \d+ MiB free"):
        await registry.submit(request())
    for _ in range(5):
        with pytest.raises(StorageFailing):
            await registry.submit(request())
    assert len(probes) == 1  # the answer is cached: five more submits, no more probes
    assert registry.queued == registry.running == 0


# -- a read-only data dir ---------------------------------------------------------------------


class Gate(FakeMedia):
    """Fake media whose first `draw` waits until `opened` is set."""

    def __init__(self) -> None:
        super().__init__(cost=0.1)
        self.opened = trio.Event()

    async def draw(self, *args: object, **kwargs: object) -> SlideImages:
        self.reached.set()
        await self.opened.wait()
        return await super().draw(*args, **kwargs)  # type: ignore[arg-type]


async def test_a_read_only_data_dir_names_the_folder_it_could_not_write(
    data_disk: Mount,
    tmp_path: Path,
    nursery: trio.Nursery,
    autojump_clock: trio.testing.MockClock,
) -> None:
    store = await InlineStore.open_inline(tmp_path / "videogen.db")  # the database elsewhere
    media = Gate()
    config = RegistryConfig(
        data_dir=data_disk.path, max_running=1, max_queued=5, min_free_bytes=1024
    )
    registry: Registry = await nursery.start(run_registry, store, media, config)
    first = await registry.submit(request("First"))
    second = await registry.submit(request("Second"))  # waits for the only slot
    await media.reached.wait()
    data_disk.read_only()
    await registry.cancel(first.id)

    async def terminal(gen: Generation) -> ProgressEvent:
        with await registry.subscribe(gen.id) as events:
            return [e async for e in events][-1]

    last = await terminal(second)
    assert last.status == "error"
    assert last.message == (
        f"❌ Error: storage failed: cannot write generations/{second.id} in the data dir:"
        " Read-only file system"
    )
    assert "''" not in last.message
    record = await registry.record(second.id)
    assert record.error is not None and record.error.startswith("storage failed: ")
    autojump_clock.jump(STORAGE_CHECK_TTL)  # admission's last look at the disk has expired
    with pytest.raises(StorageFailing, match="not writable: Read-only file system"):
        await registry.submit(request("Third"))
    await registry.shutdown()
    await store.aclose()


# -- scratch left behind ----------------------------------------------------------------------


async def test_startup_sweeps_scratch_of_failed_crashed_and_unknown_generations(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    store = await InlineStore.open_inline(tmp_path / "videogen.db")
    generations = tmp_path / "generations"

    async def make(gid: str, statuses: list[str]) -> Path:
        await store.insert(gid, alias=gid, client="c", topic=gid, request={"topic": gid})
        for seq, status in enumerate(statuses, start=1):
            await store.append(ProgressEvent(gid, seq, status, 0, status, at=float(seq)))  # type: ignore[arg-type]
        folder = generations / gid
        (folder / "work").mkdir(parents=True)
        (folder / "work" / "narration_01.wav").write_bytes(b"\0" * 1000)
        return folder

    done = await make("done-aaaaaaaa", ["queued", "started", "completed"])
    (done / "done-aaaaaaaa.mp4").write_bytes(b"video")
    failed = await make("failed-bbbbbbbb", ["queued", "started", "error"])
    cancelled = await make("cancelled-cccccccc", ["queued", "cancelled"])
    crashed = await make("crashed-dddddddd", ["queued", "started", "generating_audio"])
    orphan = generations / "orphan-eeeeeeee" / "work"
    orphan.mkdir(parents=True)
    stray_file = generations / "notes.txt"
    stray_file.write_text("not a generation")
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=5)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_registry, store, FakeMedia(), config)
        await registry.shutdown()
    assert (done / "done-aaaaaaaa.mp4").read_bytes() == b"video"
    assert not (done / "work").exists()
    for gone in (failed, cancelled, crashed, orphan.parent):
        assert not gone.exists(), gone
    assert stray_file.exists()
    await store.aclose()
