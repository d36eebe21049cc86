"""`videogen generate`: one generation through the same registry and supervisor as the server.

The command holds the data dir first (beside a server on it, it leaves that server's work
alone: see `actors.data_dir`), owns a nursery for the runtime, submits the request, follows
the generation's events on a progress bar, and on Ctrl-C cancels the generation (which stops
its child processes and removes its partial files) before exiting. Whatever stops it is one
line on stderr, never a traceback, unless it is a bug. `--export pptx,pdf` draws those exports
of the finished generation beside its video (and beside `--output`'s copy) and prints their
paths after the others. With `--storage-url` the finished files go into that store, as a
server's do (`cli.delivery`: the printed places are the store's; `--output` is fetched back).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import trio
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from videogen.actors.adapters.data_dir import hold_data_dir
from videogen.actors.adapters.fetch import Fetcher
from videogen.actors.adapters.knowledge import UPLOADS_DIR
from videogen.actors.adapters.sources import prepare_sources
from videogen.actors.adapters.uploads import UploadStore
from videogen.actors.errors import AlreadyFinished, SourceRejected
from videogen.actors.failures import interrupted, startup_failure
from videogen.actors.runtime.introspect import write_dump
from videogen.actors.runtime.registry import RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.cli.delivery import Delivered, delivered, local
from videogen.cli.main import is_url
from videogen.media.exports import Bundle
from videogen.media.knowledge.errors import DocumentError
from videogen.media.models import MusicSpec, UploadSource
from videogen.media.music import AudioError
from videogen.server.settings import default_data_dir, llm_config_from_args, make_writer

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.registry import Registry
    from videogen.media.models import GenerationRequest, SourceSpec

__all__ = ["BadSource", "run_generate", "with_sources"]


async def _follow(registry: Registry, gid: str, progress: Progress, dump: bool) -> ProgressEvent:
    task = progress.add_task("queued", total=100)
    last: ProgressEvent | None = None
    with await registry.subscribe(gid) as events:
        async for event in events:
            stage = event.stage or event.status
            progress.update(
                task, completed=event.progress, description=f"{stage:<8} {event.message}"
            )
            if dump and event.status in (
                "generating_content",
                "generating_audio",
                "composing_video",
            ):
                write_dump(registry)
            last = event
    assert last is not None
    return last


async def _cancel_on_interrupt(registry: Registry, gid: str, console: Console) -> None:
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async for _ in signals:
            console.print("[yellow]cancelling…[/yellow]")
            if registry.live(gid) is not None:
                # It may end on its own meanwhile: then its own terminal event is the outcome.
                with contextlib.suppress(AlreadyFinished):
                    await registry.cancel(gid)
            return


class BadSource(Exception):
    """A `--source` that cannot be used: the command exits 2 with this one line."""


async def with_sources(
    request: GenerationRequest, args: argparse.Namespace, config: RegistryConfig
) -> GenerationRequest:
    """`request` with each `--source FILE` stored as an upload of the data dir (in the order
    given, URLs where they stood) and every source checked, URLs fetched (with `--online`).
    Raises `BadSource` naming the source and what is wrong."""
    if not args.source:
        return request
    uploads = UploadStore(config.data_dir / UPLOADS_DIR)
    urls = iter(request.sources)
    sources: list[SourceSpec] = []
    for source in args.source:
        if is_url(source):
            sources.append(next(urls))
            continue
        path = Path(source)
        data = await trio.Path(path).read_bytes()
        try:
            info = await uploads.save(path.name, data, None)
        except DocumentError as exc:
            raise BadSource(f"--source {source}: {exc}") from None
        sources.append(UploadSource(type="upload", upload_id=info.upload_id))
    fetcher = Fetcher() if args.online else None
    try:
        return await prepare_sources(
            request.model_copy(update={"sources": tuple(sources)}), uploads, fetcher
        )
    except SourceRejected as exc:
        index = exc.field[1] if len(exc.field) > 1 else 0
        named = args.source[index] if isinstance(index, int) else "a source"
        raise BadSource(f"--source {named}: {exc.message}") from None


async def _with_music(
    request: GenerationRequest, args: argparse.Namespace, config: RegistryConfig
) -> GenerationRequest:
    """`request` with `--music FILE` stored as an audio upload of the data dir (checked with
    ffmpeg) and named as its music at `--music-volume`. Raises `BadSource` naming the file."""
    if args.music is None:
        return request
    uploads = UploadStore(config.data_dir / UPLOADS_DIR)
    data = await trio.Path(args.music).read_bytes()
    try:
        info = await uploads.save_audio(args.music.name, data, None)
    except AudioError as exc:
        raise BadSource(f"--music {args.music}: not usable as music: {exc}") from None
    spec = MusicSpec(upload_id=info.upload_id, volume=args.music_volume)
    return request.model_copy(update={"music": spec})


async def _exports(registry: Registry, gid: str, kinds: Sequence[str]) -> list[tuple[str, str]]:
    """`--export`: each asked-for export of the finished generation, drawn beside its video
    (by the registry's export cache, as the server's `/api/export/` would): kind and key."""
    made: list[tuple[str, str]] = []
    for kind in kinds:
        found = await registry.export(f"{gid}.{kind}")
        assert not isinstance(found, Bundle)  # `--export` offers documents only
        made.append((kind, found.key))
    return made


async def _where(
    registry: Registry, gid: str, exports: Sequence[tuple[str, str]], output: Path | None
) -> Delivered:
    """Where the completed generation's files are: the data dir's own `generations/` (keys
    are paths relative to it), or the shared store (`--output` fetched from it)."""
    files = registry.config.artifacts(gid)
    if registry.files.shared:
        return await delivered(registry.files, files, exports, output)
    root = registry.config.generations_dir
    return local(files, [(kind, root / key) for kind, key in exports])


async def _generate(
    request: GenerationRequest, args: argparse.Namespace, console: Console
) -> tuple[ProgressEvent, Delivered | None]:
    """Run the generation; returns its terminal event and where its files (with the
    `--export`s drawn) are, None unless it completed."""
    data_dir = args.data_dir or default_data_dir()
    config = RegistryConfig(
        data_dir=data_dir,
        max_running=1,
        max_queued=1,
        zim_paths=tuple(args.zim or ()),
        online=args.online,
        cache_bytes=args.cache_size,
        database_url=getattr(args, "database_url", None),
        storage_url=getattr(args, "storage_url", None),
        shares_queue=False,  # one generation, run here: never another replica's
    )
    request = await with_sources(request, args, config)
    request = await _with_music(request, args, config)
    async with trio.open_nursery() as nursery:
        writer = make_writer(llm_config_from_args(args))
        registry: Registry = await nursery.start(run_runtime, config, writer)
        gen = await registry.submit(request, client="cli")
        nursery.start_soon(_cancel_on_interrupt, registry, gen.id, console)
        columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as progress:
            last = await _follow(registry, gen.id, progress, args.dump_tasks)
        where = None
        if last.status == "completed":
            exports = await _exports(registry, gen.id, args.export or ())
            where = await _where(registry, gen.id, exports, args.output)
        await registry.shutdown()
        nursery.cancel_scope.cancel(reason="generation finished")
    return last, where


def _report(
    last: ProgressEvent, where: Delivered | None, args: argparse.Namespace, console: Console
) -> int:
    """Print where everything is on stdout (and copy the video to `--output`); the exit status.

    Progress and errors go to stderr, so `videogen generate … | …` gets only the paths.
    """
    if last.status != "completed" or where is None:
        console.print(f"[red]videogen: {last.status}: {last.message}[/red]")
        return 1
    video = where.video
    if args.output is not None and not where.fetched:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(video, args.output)
        video = str(args.output.absolute())  # every printed path absolute, like the others
    print(f"video:     {video}")
    print(f"content:   {where.content}")
    print(f"script:    {where.script}")
    if args.subtitles != "none":
        print(f"subtitles: {where.subtitles}")
    for kind, path in where.exports:
        if args.output is not None and not where.fetched:  # beside the video's copy
            path = str(Path(shutil.copyfile(path, args.output.with_suffix(f".{kind}"))).absolute())
        print(f"{kind + ':':<11}{path}")
    return 0


def run_generate(request: GenerationRequest, args: argparse.Namespace) -> int:
    """Run one generation to its end; 0 when the video was made, 1 otherwise, 130 on a Ctrl-C
    before the generation was submitted."""
    console = Console(stderr=True)
    data_dir = RegistryConfig(data_dir=args.data_dir or default_data_dir()).data_dir
    try:
        with hold_data_dir(data_dir):
            last, where = trio.run(_generate, request, args, console)
            return _report(last, where, args, console)
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
