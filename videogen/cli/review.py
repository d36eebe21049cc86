"""`videogen generate --review` and `videogen render FILE`: review the script, then render it.

`--review` runs the runtime in-process as `generate` does (the data dir held, the knowledge
sources and the media port opened by `run_runtime`), then calls the runtime's own writer and
scripts stages (`actors.stages.writer.write` and `script`: grounding, the writer, the
faithfulness check) on the request, and writes what they made as a review file
(`cli.review_file`) instead of speaking, drawing and encoding it. Nothing of the pipeline is
written twice: the stages are the functions the supervisor runs, with the same deps.

The pictures the deck shows from its sources (written by the writer stage into the scratch
directory) are copied beside the review file (`cli.review_pictures`). `render FILE` reads the
file back as a request whose slides are exactly the file's (each with its narration, layout,
visuals and sources: `UserSlide`), its picture files stored as uploads of the data dir (as
`generate --source picture.png` stores one, so the writer stage finds their bytes by content
name and writes them where the renderer reads them), and runs it as any generation
(`cli.generate.run_generate`): progress bar, Ctrl-C, exit status and printed paths alike. With
the per-slide artifact cache in the stages, a slide left unchanged is found there and only
the edited ones are spoken, drawn and encoded again; this module needs no change for it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

import trio
from rich.console import Console

from videogen.actors.adapters.data_dir import hold_data_dir
from videogen.actors.failures import interrupted, startup_failure
from videogen.actors.limits import stage_budget
from videogen.actors.runtime.registry import RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.actors.runtime.tree import ActorNode
from videogen.actors.stages.base import StageDeps, safe_detail
from videogen.actors.stages.writer import SCRIPTS, WRITER, script, write
from videogen.cli.generate import BadSource, run_generate, with_sources
from videogen.cli.review_file import ReviewFileError, read_review, review_json, review_markdown
from videogen.cli.review_pictures import write_pictures
from videogen.media.pictures import PICTURES_DIR
from videogen.server.settings import default_data_dir, llm_config_from_args, make_writer

if TYPE_CHECKING:
    from videogen.actors.runtime.events import Status
    from videogen.actors.runtime.registry import Registry
    from videogen.media.models import Content, GenerationRequest, Script

    # A review's deck: its content, its narration and the pictures it shows (by content name).
    Drafted = tuple[Content, Script, dict[str, bytes]]

__all__ = ["default_review_file", "run_render", "run_review"]

# The generation id the review's stages report as (no generation is recorded for a review).
_REVIEW_ID: Final = "review"


def default_review_file(topic: str) -> Path:
    """`--review`'s file without `--review-file`: the topic's words, `.md`, here."""
    slug = re.sub(r"[^\w]+", "-", topic.lower()).strip("-")[:60] or "review"
    return Path(f"{slug}.md")


def _shown_pictures(content: Content, folder: Path) -> dict[str, bytes]:
    """The bytes of the pictures `content`'s slides show that the writer stage wrote into
    `folder` (a picture it did not write is drawn as its caption alone, here as in a video)."""
    shown: dict[str, bytes] = {}
    for slide in content.slides:
        for visual in slide.visuals:
            name = visual.data.picture
            if visual.kind == "image" and name and name not in shown:
                path = folder / name
                if path.is_file():
                    shown[name] = path.read_bytes()
    return shown


async def _draft(
    registry: Registry, request: GenerationRequest, config: RegistryConfig, console: Console
) -> Drafted | str:
    """The deck's content, narration and pictures, from the runtime's writer and scripts
    stages; or why they could not be written (one line, as a generation's `error` event says
    it)."""

    async def report(
        status: Status, progress: int, message: str, *, stage: str | None = None
    ) -> None:
        console.print(f"{progress:>3}% {message}")

    node = ActorNode(_REVIEW_ID, "review")
    with tempfile.TemporaryDirectory(prefix="videogen-review-") as scratch:

        def deps(stage: str) -> StageDeps:
            return StageDeps(
                stage=stage,
                generation_id=_REVIEW_ID,
                request=request,
                workdir=Path(scratch),  # the sources' pictures land here, then go
                artifacts=config.artifacts(_REVIEW_ID),
                media=registry.media,
                report=report,
                node=node.child(stage, "stage"),
                budget=stage_budget(stage, request.slide_count),
            )

        writer, scripts = deps(WRITER.name), deps(SCRIPTS.name)
        try:
            # Each stage under its own budget, as `Stage.run` does (its deadline, its scope).
            with writer.scope:
                async with writer.working():
                    drafted = await write(request, writer)
            if writer.scope.cancelled_caught:
                return f"the writer took longer than {writer.budget:g} s"
            with scripts.scope:
                async with scripts.working():
                    scripted = await script(drafted, scripts)
            if scripts.scope.cancelled_caught:
                return f"the scripts took longer than {scripts.budget:g} s"
            shown = await trio.to_thread.run_sync(
                _shown_pictures, scripted.content, Path(scratch) / PICTURES_DIR
            )
        except Exception as exc:  # what a stage's failure would be: the one line for the user
            return safe_detail(exc, Path(scratch))
    return scripted.content, scripted.script, shown


async def _review(
    request: GenerationRequest, args: argparse.Namespace, console: Console
) -> Drafted | str:
    config = RegistryConfig(
        data_dir=args.data_dir or default_data_dir(),
        max_running=1,
        max_queued=1,
        zim_paths=tuple(args.zim or ()),
        online=args.online,
    )
    request = await with_sources(request, args, config)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(
            run_runtime, config, make_writer(llm_config_from_args(args))
        )
        try:
            drafted = await _draft(registry, request, config, console)
        finally:
            with trio.CancelScope(shield=True):
                await registry.shutdown()
            nursery.cancel_scope.cancel(reason="review written")
    return drafted


def run_review(request: GenerationRequest, args: argparse.Namespace) -> int:
    """Write the review file of `request` (`--review-file`, else `default_review_file`); 0 when
    written, 1 when the writer failed, 2 for a bad source, 130 on Ctrl-C."""
    console = Console(stderr=True)
    target: Path = args.review_file or default_review_file(request.topic)
    data_dir = RegistryConfig(data_dir=args.data_dir or default_data_dir()).data_dir
    try:
        with hold_data_dir(data_dir):
            drafted = trio.run(_review, request, args, console)
    except BadSource as exc:
        print(f"videogen: {exc}", file=sys.stderr)
        return 2
    except BaseException as exc:
        if interrupted(exc):
            print("videogen: interrupted", file=sys.stderr)
            return 130
        message = startup_failure(exc)
        if message is None:
            raise
        print(f"videogen: {message}", file=sys.stderr)
        return 1
    if isinstance(drafted, str):
        print(f"videogen: error: {drafted}", file=sys.stderr)
        return 1
    content, narration, shown = drafted
    made = review_json if target.suffix.lower() == ".json" else review_markdown
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        pictures = write_pictures(target, content, shown)
        target.write_text(made(request, content, narration, pictures), encoding="utf-8")
    except OSError as exc:
        print(f"videogen: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"review:    {target.absolute()}")
    console.print(f"edit it, then: videogen render {target}")
    return 0


def run_render(args: argparse.Namespace) -> int:
    """Render a review file as a generation (`run_generate`); 2 when the file is invalid."""
    try:
        reviewed = read_review(args.file)
    except ReviewFileError as exc:
        print(f"videogen: {exc}", file=sys.stderr)
        return 2
    request = reviewed.request
    # What `run_generate` reads of a `generate`'s flags: a reviewed deck needs no lookup and
    # no model (the user's slides are used as given by every writer). Its picture files go
    # as `--source` pictures do: uploads, whose bytes the writer stage hands to the renderer.
    flags = argparse.Namespace(
        source=[str(path) for path in reviewed.pictures],
        zim=(),
        online=False,
        llm_url=None,
        subtitles=request.subtitles,
        output=args.output,
        export=args.export,
        data_dir=args.data_dir,
        dump_tasks=args.dump_tasks,
        music=None,
        music_volume=None,
        # The same artifact cache and database as `generate`: an edited file's unchanged
        # slides come from the cache.
        cache_size=args.cache_size,
        database_url=args.database_url,
        storage_url=args.storage_url,
    )
    return run_generate(request, flags)
