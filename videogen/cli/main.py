"""The `videogen` command: `generate` makes one video through the actor runtime (with
`--review`, an editable file of its slides and narration instead, which `render` makes the video
of); `serve` runs the HTTP server. All build the same `GenerationRequest` and run the same
registry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn

from pydantic import ValidationError

from videogen.media.brand import ThemeError, load_theme_file
from videogen.media.models import (
    ASPECT_RATIOS,
    DEFAULT_SLIDES,
    KNOWLEDGE_MODES,
    MAX_SLIDES,
    MAX_SPEECH_RATE,
    MIN_SLIDES,
    MIN_SPEECH_RATE,
    MUSIC_VOLUME,
    RESOLUTIONS,
    SUBTITLE_MODES,
    THEME_FILE_CONTEXT,
    THEMES,
    TONES,
    GenerationRequest,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _generate_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("generate", help="make one video from a topic")
    p.add_argument("topic")
    p.add_argument(
        "--slides",
        "-n",
        type=int,
        default=DEFAULT_SLIDES,
        help=f"number of slides ({MIN_SLIDES}-{MAX_SLIDES})",
    )
    p.add_argument("--language", "-l", default="english")
    p.add_argument("--tone", "-t", default="formal", help=f"one of {', '.join(TONES)}")
    p.add_argument("--aspect", "-a", default="16:9", help=f"one of {', '.join(ASPECT_RATIOS)}")
    p.add_argument("--resolution", "-r", default="720p", help=f"one of {', '.join(RESOLUTIONS)}")
    p.add_argument("--theme", default="classic", help=f"one of {', '.join(THEMES)}")
    p.add_argument(
        "--theme-file",
        type=Path,
        metavar="PATH",
        help="your own brand kit: a theme TOML file (colours, title, footer, logo; see README)",
    )
    p.add_argument("--subtitles", default="sidecar", help=f"one of {', '.join(SUBTITLE_MODES)}")
    p.add_argument("--notes", type=Path, help="a text or markdown file to turn into slides")
    p.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="FILE|URL",
        help="a document to write from (Markdown, text, PDF, HTML), or with --online a URL;"
        " repeatable",
    )
    p.add_argument(
        "--knowledge",
        default="auto",
        help=f"one of {', '.join(KNOWLEDGE_MODES)}: look the topic up in the offline"
        " encyclopedia and --zim files, or not",
    )
    p.add_argument(
        "--speech-rate",
        type=int,
        help=f"words per minute ({MIN_SPEECH_RATE}-{MAX_SPEECH_RATE})",
    )
    p.add_argument("--voice", help="an espeak-ng voice id, overriding the language's")
    p.add_argument(
        "--music",
        type=Path,
        metavar="FILE",
        help="background music (MP3, WAV, OGG/Opus, M4A/AAC, FLAC; at most 20 MB, an hour),"
        " looped under the narration and ducked while it speaks",
    )
    p.add_argument(
        "--music-volume",
        type=music_volume,
        default=MUSIC_VOLUME,
        metavar="0-1",
        help=f"the music's level, a fraction of the narration's (default {MUSIC_VOLUME})",
    )
    p.add_argument("--output", "-o", type=Path, help="copy the finished video here")
    p.add_argument(
        "--export",
        type=export_list,
        default=(),
        help=f"also write these beside the video, comma-separated: {', '.join(EXPORTS)}",
    )
    p.add_argument(
        "--data-dir", type=Path, default=None, help="default: $VIDEOGEN_DATA_DIR, ./data"
    )
    p.add_argument("--dump-tasks", action="store_true", help="print the task trees at each stage")
    p.add_argument(
        "--review",
        action="store_true",
        help="stop after the slides and the narration: write them to an editable file"
        " (see --review-file) for `videogen render`",
    )
    p.add_argument(
        "--review-file",
        type=Path,
        metavar="PATH",
        help="where --review writes: .md (Markdown, the default) or .json;"
        " default: the topic's words .md, here",
    )
    from videogen.server.settings import (
        add_cache_arguments,
        add_database_argument,
        add_knowledge_arguments,
        add_llm_arguments,
        add_storage_url_argument,
    )

    add_cache_arguments(p)
    add_database_argument(p)
    add_storage_url_argument(p)
    add_knowledge_arguments(p)
    add_llm_arguments(p)


def _render_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("render", help="make the video of a reviewed file (generate --review)")
    p.add_argument("file", type=Path, help="the review file, .md or .json")
    p.add_argument("--output", "-o", type=Path, help="copy the finished video here")
    p.add_argument(
        "--export",
        type=export_list,
        default=(),
        help=f"also write these beside the video, comma-separated: {', '.join(EXPORTS)}",
    )
    p.add_argument(
        "--data-dir", type=Path, default=None, help="default: $VIDEOGEN_DATA_DIR, ./data"
    )
    p.add_argument("--dump-tasks", action="store_true", help="print the task trees at each stage")
    from videogen.server.settings import (
        add_cache_arguments,
        add_database_argument,
        add_storage_url_argument,
    )

    add_cache_arguments(p)
    add_database_argument(p)
    add_storage_url_argument(p)


def _make_zim_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from videogen.cli.make_zim import add_make_zim_arguments

    p = sub.add_parser("make-zim", help="write a folder of documents as a ZIM file for --zim")
    add_make_zim_arguments(p)


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from videogen.server.settings import add_serve_arguments

    p = sub.add_parser("serve", help="run the HTTP server")
    add_serve_arguments(p)


# What `--export` can write (the server's `/api/export/` suffixes but the ZIP, which is for
# downloads: on disk its members are already beside each other).
EXPORTS: Final = ("pptx", "pdf")


def music_volume(value: str) -> float:
    """`--music-volume`: a number from 0 to 1. Raises `ArgumentTypeError` (exit 2) otherwise."""
    try:
        volume = float(value)
    except ValueError:
        volume = -1.0
    if not 0.0 <= volume <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r}: a number from 0 to 1, e.g. 0.25")
    return volume


def export_list(value: str) -> tuple[str, ...]:
    """`--export pptx,pdf` as ("pptx", "pdf"). Raises `ArgumentTypeError` (exit 2) naming the
    allowed values for anything else."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    wrong = [part for part in chosen if part not in EXPORTS]
    if wrong or not chosen:
        named = ", ".join(repr(w) for w in wrong) or "nothing"
        raise argparse.ArgumentTypeError(
            f"--export {named}: allowed values are {', '.join(EXPORTS)} (comma-separated)"
        )
    return chosen


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad flag is one line on stderr (and exit 2), not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `videogen` command (its subcommands' parsers are `_Parser`s
    too: argparse builds them with the parent's class)."""
    parser: argparse.ArgumentParser = _Parser(prog="videogen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _generate_parser(sub)
    _render_parser(sub)
    _make_zim_parser(sub)
    _serve_parser(sub)
    return parser


def validation_message(exc: ValidationError) -> str:
    """One line per invalid field: `field: what is wrong`."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(x) for x in err["loc"]) or "request"
        # pydantic prefixes custom validators' messages; the user needs only ours.
        parts.append(f"{field}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def is_url(source: str) -> bool:
    """Whether a `--source` names a URL rather than a file."""
    return source.lower().startswith(("http://", "https://"))


def unreadable_source(sources: Sequence[str]) -> str | None:
    """Why a `--source FILE` cannot be read (checked before anything starts), or None."""
    for source in sources:
        if is_url(source):
            continue
        path = Path(source)
        if not path.is_file():
            return f"--source {source}: no such file"
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            return f"--source {source}: {exc.strerror}"
    return None


def unreadable_file(option: str, path: Path | None) -> str | None:
    """Why the file an option names cannot be read (one line naming it), or None."""
    if path is None:
        return None
    if not path.is_file():
        return f"{option} {path}: no such file"
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return f"{option} {path}: {exc.strerror}"
    return None


def unopenable_zim(paths: Sequence[Path]) -> str | None:
    """Why a `--zim` file cannot be used (one line naming it), or None."""
    from videogen.media.knowledge.catalog import configured_sources
    from videogen.media.knowledge.errors import KnowledgeError

    try:
        configured_sources(paths)
    except KnowledgeError as exc:
        return f"--zim {exc}"
    return None


def request_from_args(args: argparse.Namespace) -> GenerationRequest:
    """The validated request.

    Raises:
        ValidationError: naming the bad fields.
        ThemeError: the `--theme-file` cannot be read or is invalid (naming the key).
        OSError: the notes cannot be read.
    """
    notes = args.notes.read_text(encoding="utf-8") if args.notes else None
    spec = load_theme_file(args.theme_file) if args.theme_file else None
    fields = {
        "topic": args.topic,
        "num_slides": args.slides,
        "language": args.language,
        "tone": args.tone,
        "aspect_ratio": args.aspect,
        "resolution": args.resolution,
        "theme": args.theme,
        "theme_spec": spec.model_dump() if spec else None,
        "subtitles": args.subtitles,
        "source_text": notes,
        "speech_rate": args.speech_rate,
        "voice": args.voice,
        "knowledge": args.knowledge,
        # Files become uploads once the data dir is held (`cli.generate`); URLs go as they are.
        "sources": [{"type": "url", "url": s} for s in args.source if is_url(s)] or None,
    }
    return GenerationRequest.model_validate(
        {k: v for k, v in fields.items() if v is not None},
        # The theme file is the user's own, on this machine: its logo path may be read.
        context={THEME_FILE_CONTEXT: True},
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `videogen` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from videogen.server.serve import serve_from_args

        return serve_from_args(args)
    if args.command == "render":
        from videogen.cli.review import run_render

        return run_render(args)
    if args.command == "make-zim":
        from videogen.cli.make_zim import run_make_zim

        return run_make_zim(args)
    try:
        request = request_from_args(args)
    except ValidationError as exc:
        print(f"videogen: invalid request: {validation_message(exc)}", file=sys.stderr)
        return 2
    except ThemeError as exc:
        print(f"videogen: --theme-file: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"videogen: cannot read the notes: {exc.strerror}", file=sys.stderr)
        return 2
    problem = (
        unreadable_source(args.source)
        or unreadable_file("--music", args.music)
        or unopenable_zim(args.zim)
    )
    if problem is not None:
        print(f"videogen: {problem}", file=sys.stderr)
        return 2
    if args.review:
        if args.output is not None or args.export:
            print(
                "videogen: --review stops before the video: give -o/--export to `videogen render`",
                file=sys.stderr,
            )
            return 2
        from videogen.cli.review import run_review

        return run_review(request, args)
    from videogen.cli.generate import run_generate

    return run_generate(request, args)


if __name__ == "__main__":
    raise SystemExit(main())
