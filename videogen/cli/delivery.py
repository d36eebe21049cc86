"""Where `videogen generate`'s finished files are, to print: the data dir, or the shared store.

Without `--storage-url` the files stay in the data dir (`Artifacts`) and `--output` is a copy of
the video made from there. With it, the supervisor has put them in the store (a shared
directory or `s3://bucket/prefix`) before `completed`, and the data dir keeps no copy: the
printed places are the store's (`s3://bucket/prefix/<id>/<file>`), and `--output` (with the
`--export`s beside it) is fetched back from the store — the same bytes every replica serves.

`delivered` raises what the store raises (`ArtifactStoreFailed`, `OSError`) when a fetch fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.object_store import LocalStore, S3Store

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.runtime.artifacts import Artifacts

__all__ = ["Delivered", "delivered", "local"]


@dataclass(frozen=True, slots=True)
class Delivered:
    """The printed place of each finished file; `fetched`: `--output` already written."""

    video: str
    content: str
    script: str
    subtitles: str
    exports: list[tuple[str, str]] = field(default_factory=list)
    fetched: bool = False


def local(files: Artifacts, exports: Sequence[tuple[str, Path]]) -> Delivered:
    """The data dir's own files (no shared store)."""
    return Delivered(
        video=str(files.video),
        content=str(files.content_json),
        script=str(files.script_json),
        subtitles=str(files.vtt),
        exports=[(kind, str(path)) for kind, path in exports],
    )


def _place(store: ArtifactStore, key: str) -> str:
    """Where `key` is in `store`, as a user names it."""
    if isinstance(store, S3Store):
        prefix = store.location.prefix
        return f"s3://{store.location.bucket}/{prefix + '/' if prefix else ''}{key}"
    if isinstance(store, LocalStore):
        return str(store.root / key)
    return key


async def delivered(
    store: ArtifactStore,
    files: Artifacts,
    exports: Sequence[tuple[str, str]],
    output: Path | None,
) -> Delivered:
    """The places of a completed generation's files in the shared `store` (`exports`: kind
    and key); with `output`, the video fetched there and each export beside it."""
    video_key = files.key(files.video)
    if output is None:
        return Delivered(
            video=_place(store, video_key),
            content=_place(store, files.key(files.content_json)),
            script=_place(store, files.key(files.script_json)),
            subtitles=_place(store, files.key(files.vtt)),
            exports=[(kind, _place(store, key)) for kind, key in exports],
        )
    target = Path(await trio.Path(output).absolute())
    await trio.Path(target.parent).mkdir(parents=True, exist_ok=True)
    await _fetch(store, video_key, target)
    beside: list[tuple[str, str]] = []
    for kind, key in exports:
        await _fetch(store, key, target.with_suffix(f".{kind}"))
        beside.append((kind, str(target.with_suffix(f".{kind}"))))
    return Delivered(
        video=str(target),
        content=_place(store, files.key(files.content_json)),
        script=_place(store, files.key(files.script_json)),
        subtitles=_place(store, files.key(files.vtt)),
        exports=beside,
        fetched=True,
    )


async def _fetch(store: ArtifactStore, key: str, path: Path) -> None:
    if not await store.fetch(key, path):
        raise FileNotFoundError(f"{_place(store, key)} is not in the store")
