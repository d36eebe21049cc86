"""Every shield has a time limit: past it the work is given up, logged, and state stays sound."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest
import trio
import trio.testing

from tests.fakes import request
from videogen.actors.adapters.store import Store
from videogen.actors.errors import StorageFailing
from videogen.actors.limits import ADMISSION_RECORD_GRACE, SCRATCH_REMOVAL_GRACE
from videogen.actors.runtime import run
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes import FakeMedia, InlineStore
    from videogen.actors.runtime.events import ProgressEvent


async def test_a_database_that_never_records_the_submit_refuses_it(
    registry: Registry,
    inline_store: InlineStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def never(*args: Any, **kwargs: Any) -> None:
        await trio.sleep_forever()

    monkeypatch.setattr(inline_store, "insert", never)
    asked = trio.current_time()
    with (
        trio.fail_after(60),  # unbounded, this would wait forever
        pytest.raises(StorageFailing, match="did not record the generation within 5 s"),
    ):
        await registry.submit(request())
    assert trio.current_time() - asked == pytest.approx(ADMISSION_RECORD_GRACE)
    assert (registry.running, registry.queued) == (0, 0)  # the slot was given back
    assert registry.snapshot()["children"] == []
    assert "not recorded within 5 s" in caplog.text


async def test_a_row_written_without_its_queued_event_ends_in_error(
    registry: Registry,
    inline_store: InlineStore,
    monkeypatch: pytest.MonkeyPatch,
    autojump_clock: trio.testing.MockClock,
) -> None:
    append = inline_store.append
    ended = trio.Event()

    async def stuck_once(event: ProgressEvent) -> None:
        if event.status == "queued":
            await trio.sleep_forever()
        await append(event)
        if event.status == "error":
            ended.set()

    monkeypatch.setattr(inline_store, "append", stuck_once)
    with trio.fail_after(60), pytest.raises(StorageFailing):
        await registry.submit(request())
    await ended.wait()
    # Not left looking queued forever: the record has its terminal event.
    assert set((await inline_store.statuses()).values()) == {"error"}


async def test_scratch_that_cannot_be_removed_does_not_hold_the_terminal_event(
    registry: Registry,
    fake_media: FakeMedia,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def hung_disk(path: Path) -> None:
        await trio.sleep_forever()

    monkeypatch.setattr(fake_media, "remove_tree", hung_disk)
    gen = await registry.submit(request())
    with trio.fail_after(60):  # unbounded, this would wait forever
        await gen.finished.wait()
    last = (await registry.record(gen.id)).status
    assert last == "completed"
    assert f"not removed within {SCRATCH_REMOVAL_GRACE:g} s" in caplog.text


async def test_a_database_that_will_not_close_does_not_hold_the_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    close = Store.aclose

    async def stuck_close(self: Store) -> None:
        try:
            await trio.sleep_forever()
        finally:
            with trio.CancelScope(shield=True):  # the test's own cleanup: the real close
                await close(self)

    monkeypatch.setattr(Store, "aclose", stuck_close)
    monkeypatch.setattr(run, "STORE_CLOSE_GRACE", 0.2)
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=1)
    caplog.set_level(logging.ERROR)
    with trio.fail_after(10):  # unbounded, this would wait forever
        async with trio.open_nursery() as nursery:
            registry: Registry = await nursery.start(run.run_runtime, config, OfflineWriter())
            await registry.shutdown()
    assert "database not closed within 0.2 s" in caplog.text
