"""Review before rendering, and revisions, on the real runtime with fake media in virtual time.

A draft (`render=False`) stops at `awaiting_review` without a terminal event and without a slot;
edits are serialised and versioned; its render is a second supervised run that ends with the
generation's one terminal event; a restart keeps it waiting; a revision is a new generation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, InlineStore, request
from videogen.actors.errors import (
    AlreadyFinished,
    EditRejected,
    NotAwaitingReview,
    NotCompleted,
    NotOwner,
    SlideNotFound,
    VersionConflict,
)
from videogen.actors.runtime.ownership import Caller, Owner, issue_token
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry
from videogen.media import editing

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.runtime.broadcast import Subscription
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.review import Edit
    from videogen.media.models import Content, GenerationRequest, Script


def edit_of(number: int, edit: editing.SlideEdit) -> Edit:
    def change(c: Content, s: Script, r: GenerationRequest) -> tuple[Content, Script]:
        return editing.edit_slide(c, s, number, edit, r)

    return change


async def until(events: Subscription, status: str) -> list[ProgressEvent]:
    seen: list[ProgressEvent] = []
    async for event in events:
        seen.append(event)
        if event.status == status:
            return seen
    raise AssertionError(f"the stream ended before {status}: {[e.status for e in seen]}")


async def test_a_draft_waits_without_a_slot_then_renders_with_its_edits(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    gen = await registry.submit(request("Drafted", render=False))
    with await registry.subscribe(gen.id) as events:
        seen = await until(events, "awaiting_review")
        assert seen[-1].progress == 20
        assert not any(e.terminal for e in seen)
        assert "speak" not in fake_media.calls and "draw" not in fake_media.calls
        await trio.sleep(1)
        assert registry.running == 0 and registry.live(gen.id) is None  # no slot, no memory
        draft = await registry.edit(gen.id, edit_of(2, editing.SlideEdit(narration="Edited.")))
        assert draft.version == 1
        assert draft.script.slide_scripts[1].narration_text == "Edited."
        await registry.render(gen.id)
        rest = [e async for e in events]  # the same stream goes on to the render's end
    statuses = [e.status for e in seen + rest]
    assert statuses[-1] == "completed" and sum(s in {"completed"} for s in statuses) == 1
    assert [e.seq for e in seen + rest] == list(range(1, len(statuses) + 1))
    record = await registry.record(gen.id)
    assert record.script is not None
    assert record.script["slide_scripts"][1]["narration_text"] == "Edited."
    assert fake_media.calls.count("write_content") == 1  # the render did not write again
    with pytest.raises(NotAwaitingReview, match="revisions"):
        await registry.edit(gen.id, edit_of(1, editing.SlideEdit(title="Late")))


async def test_edits_are_versioned_and_checked(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    gen = await registry.submit(request("Versioned", render=False))
    with await registry.subscribe(gen.id) as events:
        await until(events, "awaiting_review")
    await trio.sleep(1)
    results: list[object] = []

    async def attempt(title: str) -> None:
        try:
            results.append(
                await registry.edit(gen.id, edit_of(1, editing.SlideEdit(title=title)), version=0)
            )
        except VersionConflict as exc:
            results.append(exc)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(attempt, "A")
        nursery.start_soon(attempt, "B")
    conflicts = [r for r in results if isinstance(r, VersionConflict)]
    assert len(conflicts) == 1 and conflicts[0].current == 1
    with pytest.raises(SlideNotFound):
        await registry.edit(gen.id, edit_of(9, editing.SlideEdit(title="X")))
    long = editing.SlideEdit(narration="word " * 799)

    def lengthen_all(c: Content, s: Script, r: GenerationRequest) -> tuple[Content, Script]:
        return editing.apply_edits(c, s, [(n, long) for n in range(1, c.total_slides + 1)], r)

    with pytest.raises(EditRejected) as rejected:
        await registry.edit(gen.id, lengthen_all)
    assert rejected.value.field == ("body", "narration")
    stranger = Caller(owner_token="nope")
    with pytest.raises(NotOwner):
        await registry.edit(gen.id, edit_of(1, editing.SlideEdit(title="X")), caller=stranger)
    ended = await registry.cancel(gen.id)
    assert ended.status == "cancelled"
    with pytest.raises(AlreadyFinished):
        await registry.cancel(gen.id)
    events_after = [e async for e in await registry.subscribe(gen.id)]
    assert [e.status for e in events_after][-1] == "cancelled"


async def test_waiting_drafts_hold_no_memory_but_their_rows(
    registry: Registry, autojump_clock: trio.testing.MockClock
) -> None:
    drafts = [await registry.submit(request(f"Draft {n}", render=False)) for n in range(5)]
    for gen in drafts:
        with await registry.subscribe(gen.id) as events:
            await until(events, "awaiting_review")
    await trio.sleep(1)
    assert registry.running == 0 and not any(registry.live(g.id) for g in drafts)
    # Followed drafts keep their open broadcast only while followed.
    with await registry.subscribe(drafts[0].id) as events:
        assert (await events.receive()).status == "queued"
        with await registry.subscribe(drafts[1].id):
            assert set(registry._drafts) <= {drafts[0].id, drafts[1].id}
    with await registry.subscribe(drafts[2].id):
        assert set(registry._drafts) == {drafts[2].id}
    for gen in drafts:
        await registry.edit(gen.id, edit_of(1, editing.SlideEdit(title="Renamed")))
    assert len(registry.locks) == 0


async def test_a_draft_survives_a_restart_and_its_stream_follows_the_render(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=5)
    store = await InlineStore.open_inline(tmp_path / "videogen.db")
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_registry, store, FakeMedia(), config)
        gen = await registry.submit(request("Restarted", render=False))
        with await registry.subscribe(gen.id) as events:
            await until(events, "awaiting_review")
        await registry.shutdown()
    await store.aclose()
    store = await InlineStore.open_inline(tmp_path / "videogen.db")
    async with trio.open_nursery() as nursery:
        registry = await nursery.start(run_registry, store, FakeMedia(), config)
        assert (await registry.record(gen.id)).status == "awaiting_review"  # not interrupted
        with await registry.subscribe(gen.id) as events:
            await until(events, "awaiting_review")
            await registry.render(gen.id)
            rest = [e.status async for e in events]
        assert rest[-1] == "completed" and "interrupted" not in rest
        await registry.shutdown()
    await store.aclose()


async def test_a_revision_is_a_new_generation_and_the_parent_stays(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    parent = await registry.submit(request("Revised"))
    with await registry.subscribe(parent.id) as events:
        await until(events, "completed")
    await trio.sleep(1)
    before = await registry.record(parent.id)
    _, token_hash = issue_token()
    edits = [(2, editing.SlideEdit(narration="A better sentence."))]
    nid = await registry.revise(parent.id, edits, render=True, owner=Owner(None, token_hash))
    assert nid != parent.id
    with await registry.subscribe(nid) as events:
        statuses = [e.status async for e in events]
    assert statuses[-1] == "completed" and statuses.count("completed") == 1
    child = await registry.record(nid)
    assert child.parent_id == parent.id
    assert child.script is not None
    assert child.script["slide_scripts"][1]["narration_text"] == "A better sentence."
    assert await registry.record(parent.id) == before  # never changed
    draft = await registry.revise(parent.id, edits, render=False, owner=Owner())
    assert (await registry.record(draft)).status == "awaiting_review"
    with pytest.raises(NotCompleted):
        await registry.revise(draft, edits, render=True, owner=Owner())
    with pytest.raises(EditRejected) as rejected:
        await registry.revise(parent.id, [(99, editing.SlideEdit())], render=True, owner=Owner())
    assert rejected.value.field == ("body", "edits", 0, "slide_number")
