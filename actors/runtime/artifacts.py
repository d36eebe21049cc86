"""Where a generation's files live: the one place their names are written.

    <data-dir>/generations/<id>/            Artifacts.directory
    ├── <id>.mp4                            .video   (served by `/api/video/<id>.mp4`)
    ├── <id>.vtt, <id>.srt                  .vtt, .srt (sidecar subtitles)
    ├── <id>.chapters.vtt, <id>.chapters.txt .chapters_vtt, .chapters_youtube (a chapter per slide)
    ├── content.json, script.json           .content_json, .script_json
    ├── <id>.pptx, <id>.pdf, <id>.handout.pdf   .export(…) (made on first request, then cached)
    └── work/                               .work    (scratch, removed when the generation ends)

The registry makes one per generation (`RegistryConfig.artifacts`); the supervisor, the compose
stage, the routes and the CLI read the paths from it. It only names paths: it creates nothing.
The finished files are published to the artifact store under `key(path)` (`<id>/<name>`); with
the default store that is this very folder (see `adapters.object_store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from videogen.actors.runtime.ids import video_filename

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Artifacts"]


@dataclass(frozen=True, slots=True)
class Artifacts:
    """The paths of generation `generation_id` under `root` (`<data-dir>/generations/`)."""

    root: Path
    generation_id: str

    @property
    def directory(self) -> Path:
        """`<root>/<id>/`: everything of the generation, removed whole when it fails."""
        return self.root / self.generation_id

    @property
    def work(self) -> Path:
        """Scratch space (audio, frames, the partial encode), removed when it ends."""
        return self.directory / "work"

    @property
    def video(self) -> Path:
        """The finished video; it only ever appears here verified (renamed into place)."""
        return self.directory / video_filename(self.generation_id)

    @property
    def vtt(self) -> Path:
        """The WebVTT sidecar, beside the video."""
        return self.video.with_suffix(".vtt")

    @property
    def srt(self) -> Path:
        """The SubRip sidecar, beside the video (`/api/subtitles/<id>?format=srt`)."""
        return self.video.with_suffix(".srt")

    @property
    def chapters_vtt(self) -> Path:
        """The WebVTT chapters track, beside the video (`/api/chapters/<id>`)."""
        return self.video.with_suffix(".chapters.vtt")

    @property
    def chapters_youtube(self) -> Path:
        """The `0:00 Title` lines for a description (`/api/chapters/<id>?format=youtube`)."""
        return self.video.with_suffix(".chapters.txt")

    @property
    def content_json(self) -> Path:
        """The slides' content as written, for a reader of the data dir."""
        return self.directory / "content.json"

    @property
    def script_json(self) -> Path:
        """The narration script with its measured timings."""
        return self.directory / "script.json"

    def key(self, path: Path) -> str:
        """The artifact store's key of one of these files (`<id>/<name>`,
        `adapters.object_store`): the same on every replica, whatever its data dir."""
        return f"{self.generation_id}/{path.relative_to(self.directory).as_posix()}"

    @property
    def published(self) -> tuple[Path, ...]:
        """What goes to the artifact store when the generation is verified, the video last:
        a reader that finds the video finds the rest (`FinishedReads._finished`)."""
        return (
            self.vtt,
            self.srt,
            self.chapters_vtt,
            self.chapters_youtube,
            self.content_json,
            self.script_json,
            self.video,
        )

    def export(self, suffix: str) -> Path:
        """An export beside the video (`pptx`, `pdf`, `handout.pdf`): drawn on its first request
        and kept, so it goes with the generation's folder."""
        return self.directory / f"{self.generation_id}.{suffix}"
