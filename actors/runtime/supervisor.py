"""One supervisor per generation: it owns the generation's nursery and its one terminal event.

    supervisor ─ writer → scripts ─┬─ speech (per slide) ─┬─ compose
                                   └─ slides (per slide) ─┘
                 (bounded channels between the stages; one nursery, one-cancels-all)

It waits for a fair slot, starts the stage actors in order with `Stage.start`, feeds the
request in and takes the finished video out. Speech and slides run at the same time (drawing
needs only the content); the slides' progress is held until the speech is done, so clients
still see the contract's order. Whatever happens (completion, a stage failing, a
cancel, a shutdown) it is the only place that turns the outcome into the terminal event, and it
removes the scratch directory on every path.

A draft (`"render": false`) runs only writer → scripts: its run stores the content and the
script and ends at `awaiting_review`, which is no terminal event (the broadcast stays open, the
admission slot is given back). Its render is a second run of the same generation (`draft`
given), from the stored content and script, starting at speech ∥ slides; that run ends with the
generation's one terminal event.
"""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.limits import (
    SCRATCH_REMOVAL_GRACE,
    STAGE_BUFFER,
    TERMINAL_WRITE_GRACE,
    stage_budget,
)
from videogen.actors.stages.base import HeldEvents, StageDeps, first_failure, safe_detail
from videogen.actors.stages.channels import Joined, Tee
from videogen.actors.stages.compose import COMPOSE
from videogen.actors.stages.messages import Composed, Drafted, Drawn, Scripted, Spoken
from videogen.actors.stages.slides import SLIDES
from videogen.actors.stages.speech import SPEECH
from videogen.actors.stages.writer import SCRIPTS, WRITER
from videogen.media.models import GenerationRequest

if TYPE_CHECKING:
    from videogen.actors.adapters.artifact_cache import ArtifactCache, Lease
    from videogen.actors.adapters.media_port import MediaPort
    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.runtime.admission import Admission
    from videogen.actors.runtime.events import Status
    from videogen.actors.runtime.generation import Generation
    from videogen.actors.runtime.tree import NodeState
    from videogen.actors.stages.base import Reporter

__all__ = ["run_generation"]

log = logging.getLogger("videogen.supervisor")


def _deps(
    gen: Generation,
    stage: str,
    media: MediaPort,
    report: Reporter | None = None,
    *,
    cache: ArtifactCache | None = None,
    lease: Lease | None = None,
) -> StageDeps:
    return StageDeps(
        cache=cache,
        lease=lease,
        stage=stage,
        generation_id=gen.id,
        request=gen.request,
        workdir=gen.artifacts.work,
        artifacts=gen.artifacts,
        media=media,
        report=report or gen.emit,
        node=gen.node.child(stage, "stage"),
        budget=stage_budget(stage, gen.request.slide_count),
    )


async def _draft_pipeline(gen: Generation, media: MediaPort) -> Scripted:
    """writer → scripts only: the content and the narration of a draft (`"render": false`)."""
    send_request, recv_request = trio.open_memory_channel[GenerationRequest](STAGE_BUFFER)
    send_drafted, recv_drafted = trio.open_memory_channel[Drafted](STAGE_BUFFER)
    send_scripted, recv_scripted = trio.open_memory_channel[Scripted](STAGE_BUFFER)
    async with trio.open_nursery() as nursery:
        await WRITER.start(nursery, recv_request, send_drafted, _deps(gen, WRITER.name, media))
        await SCRIPTS.start(nursery, recv_drafted, send_scripted, _deps(gen, SCRIPTS.name, media))
        with send_request:
            await send_request.send(gen.request)
        with recv_scripted:
            scripted = await recv_scripted.receive()
    return scripted


async def _pipeline(
    gen: Generation, media: MediaPort, draft: Scripted | None, cache: ArtifactCache | None
) -> Composed:
    """`_stages`, holding one lease on the cache for the whole render: nothing it got or made
    is evicted before the video is verified (released however the render ends)."""
    if cache is None:
        return await _stages(gen, media, draft, None, None)
    async with cache.leased() as lease:
        return await _stages(gen, media, draft, cache, lease)


async def _stages(
    gen: Generation,
    media: MediaPort,
    draft: Scripted | None,
    cache: ArtifactCache | None,
    lease: Lease | None,
) -> Composed:
    """Start every stage, feed the request, return what the last stage produced.

    With `draft` (a reviewed draft's content and script) writer and scripts are not started:
    the supervisor sends the draft to speech and slides itself.

    Each channel is typed with what flows through it, and `Stage[In, Out].start` takes only an
    `Inbox[In]` and an `Outbox[Out]`: wiring a stage to the wrong channel does not
    type-check.
    """
    # One mkdir of a few microseconds: not worth a thread hop (which would also let virtual-time
    # tests jump their clocks while it runs).
    # An OSError here (a read-only or vanished data dir) is reported by `_failed`.
    gen.artifacts.work.mkdir(parents=True, exist_ok=True)
    slides_events = HeldEvents(gen.emit)
    send_request, recv_request = trio.open_memory_channel[GenerationRequest](STAGE_BUFFER)
    send_drafted, recv_drafted = trio.open_memory_channel[Drafted](STAGE_BUFFER)
    send_to_speech, recv_to_speech = trio.open_memory_channel[Scripted](STAGE_BUFFER)
    send_to_slides, recv_to_slides = trio.open_memory_channel[Scripted](STAGE_BUFFER)
    send_spoken, recv_spoken = trio.open_memory_channel[Spoken](STAGE_BUFFER)
    send_drawn, recv_drawn = trio.open_memory_channel[Drawn](STAGE_BUFFER)
    send_composed, recv_composed = trio.open_memory_channel[Composed](STAGE_BUFFER)
    async with trio.open_nursery() as nursery:
        scripts_out = Tee(send_to_speech, send_to_slides)
        if draft is None:
            await WRITER.start(nursery, recv_request, send_drafted, _deps(gen, WRITER.name, media))
            await SCRIPTS.start(nursery, recv_drafted, scripts_out, _deps(gen, SCRIPTS.name, media))
        else:
            for end in (send_request, recv_request, send_drafted, recv_drafted):
                end.close()
        speech_deps = _deps(gen, SPEECH.name, media, cache=cache, lease=lease)
        await SPEECH.start(nursery, recv_to_speech, send_spoken, speech_deps)
        slides_deps = _deps(gen, SLIDES.name, media, slides_events, cache=cache, lease=lease)
        await SLIDES.start(nursery, recv_to_slides, send_drawn, slides_deps)
        # The speech's result comes first: then the slides' held events go out, in order.
        joined = Joined(recv_spoken, recv_drawn, between=slides_events.release)
        compose_deps = _deps(gen, COMPOSE.name, media, cache=cache, lease=lease)
        await COMPOSE.start(nursery, joined, send_composed, compose_deps)
        if draft is None:
            with send_request:
                await send_request.send(gen.request)
        else:
            async with scripts_out:  # the supervisor stands in for the scripts stage
                await scripts_out.send(draft)
        with recv_composed:
            composed = await recv_composed.receive()
    return composed


async def _record_draft(gen: Generation, scripted: Scripted) -> None:
    """Store a draft's content and script (the database is where a waiting draft lives)."""
    await gen.store.set_artifacts(
        gen.id,
        content=scripted.content.model_dump_json(),
        script=scripted.script.model_dump_json(),
    )


async def _publish(gen: Generation, files: ArtifactStore) -> None:
    """Put the verified generation's files in the artifact store, the video last, before
    `completed` is recorded: a `completed` generation's files are in the store, whichever
    replica reads them. Each object appears whole or not at all; a crash before the end leaves
    some (never a half one) and no `completed`: the next start marks it interrupted, and a
    later run of the same id would put the same keys again. Raises what the store raises
    (`ArtifactStoreFailed`, `OSError`), which ends the generation in `error`."""
    if not files.shared:
        # The default store is this folder: nothing to copy, and no thread hop (which would
        # also let virtual-time tests jump their clocks).
        return
    artifacts = gen.artifacts
    for path in artifacts.published:
        if path is artifacts.video or await trio.Path(path).is_file():
            await files.put(artifacts.key(path), path)


async def _record_success(gen: Generation, composed: Composed, media: MediaPort) -> None:
    reuse = composed.reuse.to_json() if composed.reuse is not None else None
    await gen.store.set_artifacts(
        gen.id,
        content=composed.content.model_dump_json(),
        script=composed.script.model_dump_json(),
        subtitles=composed.subtitles_vtt,
        video_filename=composed.video.name,
        reuse=json.dumps(reuse) if reuse is not None else None,
    )
    gen.reuse = reuse
    files = gen.artifacts
    for path, model in (
        (files.content_json, composed.content),
        (files.script_json, composed.script),
    ):
        text = json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)
        await media.save_text(path, text)


def _completed(composed: Composed) -> str:
    reuse = composed.reuse
    if reuse is None or not reuse.slides_reused:
        return "✅ Video generation complete!"
    return (
        f"✅ Video generation complete! (♻️ {reuse.slides_reused} of {reuse.slides_total}"
        " slides from the cache)"
    )


Outcome = tuple["Status", str, "str | None"]
"""(terminal status, message, error detail)."""


async def _finish(gen: Generation, outcome: Outcome) -> None:
    """Record the terminal event even while being cancelled, within a bounded time.

    A database that refuses writes does not lose it: the store keeps it queued (readers see it)
    and this retries for `TERMINAL_WRITE_GRACE`; after that the registry's flusher writes it
    when the database takes writes again.
    """
    status, message, error = outcome
    with trio.move_on_after(TERMINAL_WRITE_GRACE, shield=True) as scope:
        if error is not None:
            # Its own try: a refused detail must not cost the terminal event.
            try:
                await gen.store.set_artifacts(gen.id, error=error)
            except Exception:
                log.exception("could not record the error detail of %s", gen.id)
        try:
            done = status == "completed"
            reuse = gen.reuse if done else None
            await gen.emit(status, 100 if done else gen.progress, message, reuse=reuse)
            await gen.store.settle()
        except Exception:
            # The store itself is broken: the next start marks this generation interrupted.
            log.exception("could not record %s for %s", status, gen.id)
    if scope.cancelled_caught:
        log.error("%s of %s not written yet: kept until the database takes it", status, gen.id)
    # Subscribers must not wait for an event that will never come.
    if not gen.broadcast.closed:
        gen.broadcast.close()


async def _remove_scratch(gen: Generation, media: MediaPort, *, keep_artifacts: bool) -> None:
    """Remove the scratch even while being cancelled, within `SCRATCH_REMOVAL_GRACE`; past it
    the generation ends anyway and the next start's sweep removes what is left."""
    target = gen.artifacts.work if keep_artifacts else gen.artifacts.directory
    with trio.move_on_after(SCRATCH_REMOVAL_GRACE, shield=True) as scope:
        await media.remove_tree(target)
    if scope.cancelled_caught:
        log.error("%s of %s not removed within %g s", target.name, gen.id, SCRATCH_REMOVAL_GRACE)


def _storage_detail(exc: OSError, gen: Generation) -> str:
    """Why a write to the data dir failed, naming the folder relative to the data dir (the
    client is told which folder, never the server's absolute paths)."""
    data_dir = gen.artifacts.root.parent
    name = exc.filename if isinstance(exc.filename, str) else os.fspath(gen.artifacts.directory)
    try:
        where = os.path.relpath(name, data_dir)
    except ValueError:
        where = os.path.basename(name)
    reason = exc.strerror or type(exc).__name__
    return f"storage failed: cannot write {where} in the data dir: {reason}"


def _failed(exc: BaseException, gen: Generation) -> Outcome:
    if isinstance(exc, OSError):
        log.warning("generation %s: %s", gen.id, exc)
        error = _storage_detail(exc, gen)
        return "error", f"❌ Error: {error}", error
    error = safe_detail(exc, gen.artifacts.directory)
    log.warning("generation %s failed: %s", gen.id, error, exc_info=exc)
    return "error", f"❌ Error: {error}", error


def _stopped(gen: Generation) -> Outcome:
    if gen.end_reason == "cancelled":
        return "cancelled", "🛑 Generation cancelled", None
    return "interrupted", "⏹️ Interrupted: the server stopped", None


AWAITING: Final[Outcome] = ("awaiting_review", "", None)
"""The outcome of a draft's run: no terminal event; the generation waits for its render."""

READY_FOR_REVIEW: Final = "📝 Ready for review: edit the slides, then render"


async def _run(
    gen: Generation,
    media: MediaPort,
    admission: Admission,
    draft: Scripted | None,
    cache: ArtifactCache | None,
    files: ArtifactStore | None,
) -> Outcome:
    outcome: Outcome | None = None
    gen.node.state = "waiting"
    async with admission.slot(gen.ticket):
        gen.node.state = "running"
        reviewing = draft is None and not gen.request.render
        starting = "🎬 Rendering the reviewed draft..." if draft else "🚀 Starting generation..."
        await gen.emit("started", 0, starting)
        try:
            if reviewing:
                scripted = await _draft_pipeline(gen, media)
            else:
                composed = await _pipeline(gen, media, draft, cache)
        except* Exception as group:
            outcome = _failed(first_failure(group), gen)
        if outcome is None and reviewing:
            await _record_draft(gen, scripted)
            await gen.emit("awaiting_review", 20, READY_FOR_REVIEW)
            return AWAITING
        if outcome is None:
            await _record_success(gen, composed, media)
            if files is not None:
                await _publish(gen, files)
            outcome = "completed", _completed(composed), None
    assert outcome is not None
    return outcome


_NODE_STATES: Final[dict[str, NodeState]] = {
    "completed": "done",
    "awaiting_review": "done",
    "error": "failed",
}


async def run_generation(
    gen: Generation,
    media: MediaPort,
    admission: Admission,
    draft: Scripted | None = None,
    *,
    cache: ArtifactCache | None = None,
    files: ArtifactStore | None = None,
) -> None:
    """Supervise `gen` from queued to its terminal event, or (a draft's first run) to
    `awaiting_review`; with `draft`, render that reviewed content and script; reusing `cache`'s
    per-slide artifacts, when given, and adding what it makes; publishing the finished files
    to `files` (the artifact store), when given, before `completed` is recorded.

    The generation's own failures never escape: they become its `error` event. A `Cancelled`
    from outside (the registry torn down) still propagates, after `interrupted` is recorded.
    """
    outcome: Outcome | None = None
    try:
        with gen.scope:
            outcome = await _run(gen, media, admission, draft, cache, files)
        if gen.scope.cancelled_caught:
            outcome = _stopped(gen)
    except Exception as exc:  # outside the stages: the store or the disk failed
        outcome = _failed(exc, gen)
    finally:
        if outcome is None:  # torn down from outside
            gen.end_reason = gen.end_reason or "interrupted"
            outcome = _stopped(gen)
        gen.node.state = _NODE_STATES.get(outcome[0], "cancelled")
        # A shared store holds the finished files now: this data dir keeps no copy (every
        # read goes to the store), so it does not grow with every generation.
        keep = outcome[0] == "completed" and (files is None or not files.shared)
        await _remove_scratch(gen, media, keep_artifacts=keep)
        if outcome is not AWAITING:
            await _finish(gen, outcome)
        gen.finished.set()
