"""The review file of `videogen generate --review`, and reading it back for `videogen render`.

Two forms, by the file's suffix:

* Markdown (`.md`, the default): front matter with the request's parameters (one `key: value`
  a line, JSON values; a bare word is taken as a string), then one section per slide:

      ## 3. Title
      the body (content_text), e.g. "- " bullet lines
      <!-- narration -->
      what the narrator says
      <!-- /narration -->
      ```json
      {"layout": "process", "visuals": [...], "sources": ["s1"]}
      ```

  The JSON block keeps what the slide is drawn with, so a slide left alone renders as it was
  planned. Slides render in the file's order: the numbers in the headings are for the reader.
* JSON (`.json`): `{"videogen_review": 1, "request": {...}, "content": {...}, "script": {...}}`,
  the contract's `content_data` and `script_data`; `render` takes each slide's title, body,
  layout, visuals and sources from the content and its narration from the script.

A slide showing a source's picture also lists the picture's file, written in a folder beside
the review file (`"pictures"`, in its json block or on its content slide: `cli.review_pictures`).

`parse_review` raises `ReviewFileError`, one line naming the line (Markdown), the slide and the
field ("water.md:14: slide 3: narration is empty"). No I/O but reading the file and the
picture files it lists.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from videogen.cli.review_pictures import PICTURES_KEY, PictureFileError, resolved
from videogen.media.models import THEME_FILE_CONTEXT, GenerationRequest

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from videogen.media.models import Content, Script

__all__ = [
    "REQUEST_KEYS",
    "REVIEW_VERSION",
    "ReviewFileError",
    "Reviewed",
    "parse_review",
    "read_review",
    "review_json",
    "review_markdown",
]

# The request's parameters a review file carries: enough for `render` to need no other flag.
REQUEST_KEYS: Final = (
    "topic",
    "language",
    "tone",
    "speech_rate",
    "voice",
    "theme",
    "theme_spec",
    "aspect_ratio",
    "resolution",
    "subtitles",
)
# What a slide's JSON block may hold (the rest of the slide is the section's text).
SLIDE_KEYS: Final = ("layout", "visuals", "sources", "image_keyword", PICTURES_KEY)
REVIEW_VERSION: Final = 1

NARRATION_OPEN: Final = "<!-- narration -->"
NARRATION_CLOSE: Final = "<!-- /narration -->"
_HEADING: Final = re.compile(r"^##\s+(\d+)\.\s+(.*?)\s*$")
_FENCE_JSON: Final = "```json"
_FENCE: Final = "```"
_HELP: Final = (
    "<!-- videogen review file: edit a slide's title, its body or the text between its"
    " narration markers; delete, reorder or copy whole sections. The json block keeps the"
    ' slide\'s layout and visuals (its "pictures" are files beside this one: replace one to'
    " change the picture). Then: videogen render THIS_FILE -o video.mp4 -->"
)


class ReviewFileError(Exception):
    """A review file that cannot be rendered; `str()` is the one line to print."""


def _params(request: GenerationRequest) -> dict[str, Any]:
    """The request's parameters as the file keeps them (unset optional ones left out)."""
    dumped = request.model_dump(mode="json", include=set(REQUEST_KEYS))
    return {key: dumped[key] for key in REQUEST_KEYS if dumped.get(key) is not None}


def _narrations(script: Script) -> dict[int, str]:
    return {s.slide_number: s.narration_text for s in script.slide_scripts}


def review_markdown(
    request: GenerationRequest,
    content: Content,
    script: Script,
    pictures: Mapping[int, Mapping[str, str]] | None = None,
) -> str:
    """The Markdown review file of a deck and its narration (see the module docstring);
    `pictures`: slide number → its picture files (`review_pictures.write_pictures`)."""
    lines = ["---"]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in _params(request).items()]
    lines += ["---", "", _HELP, ""]
    spoken = _narrations(script)
    for slide in content.slides:
        kept: dict[str, Any] = {
            "layout": slide.layout,
            "visuals": [v.model_dump(mode="json", exclude_defaults=True) for v in slide.visuals],
            "sources": list(slide.sources),
            "image_keyword": slide.image_keyword,
        }
        if pictures and slide.slide_number in pictures:
            kept[PICTURES_KEY] = dict(pictures[slide.slide_number])
        lines += [f"## {slide.slide_number}. {slide.title}", ""]
        if slide.content_text:
            lines += [slide.content_text, ""]
        lines += [NARRATION_OPEN, spoken.get(slide.slide_number, ""), NARRATION_CLOSE, ""]
        lines += [_FENCE_JSON, json.dumps(kept, ensure_ascii=False), _FENCE, ""]
    return "\n".join(lines) + "\n"


def review_json(
    request: GenerationRequest,
    content: Content,
    script: Script,
    pictures: Mapping[int, Mapping[str, str]] | None = None,
) -> str:
    """The JSON review file: the request's parameters, `content_data` and `script_data` (a
    slide with picture files lists them, as `pictures`)."""
    dumped = content.model_dump(mode="json")
    for slide in dumped["slides"]:
        if pictures and slide["slide_number"] in pictures:
            slide[PICTURES_KEY] = dict(pictures[slide["slide_number"]])
    document = {
        "videogen_review": REVIEW_VERSION,
        "request": _params(request),
        "content": dumped,
        "script": script.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- reading ---------------------------------------------------------------------------------


def _front_matter(lines: list[str], name: str) -> tuple[dict[str, Any], dict[str, int], int]:
    """(parameters, the line of each key, index of the first line after the front matter)."""
    if not lines or lines[0].strip() != "---":
        raise ReviewFileError(f"{name}:1: no front matter: the file starts with a '---' line")
    params: dict[str, Any] = {}
    where: dict[str, int] = {}
    for index in range(1, len(lines)):
        text = lines[index].strip()
        if text == "---":
            return params, where, index + 1
        if not text or text.startswith("#"):
            continue
        key, sep, raw = text.partition(":")
        key = key.strip()
        if not sep or key not in REQUEST_KEYS:
            raise ReviewFileError(
                f"{name}:{index + 1}: front matter: unknown key {key!r};"
                f" allowed: {', '.join(REQUEST_KEYS)}"
            )
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw.strip()  # a bare word: `theme: ocean`
        where[key] = index + 1
    raise ReviewFileError(f"{name}: the front matter has no closing '---' line")


def _sections(lines: list[str], start: int, name: str) -> list[tuple[int, list[str]]]:
    """(line number of the heading, the section's lines from its heading on) per slide."""
    sections: list[tuple[int, list[str]]] = []
    for index in range(start, len(lines)):
        if lines[index].startswith("## "):
            if not _HEADING.match(lines[index]):
                raise ReviewFileError(
                    f"{name}:{index + 1}: a slide's heading is '## <number>. <title>'"
                )
            sections.append((index + 1, []))
        if sections:
            sections[-1][1].append(lines[index])
    if not sections:
        raise ReviewFileError(f"{name}: no slides: each starts with a '## 1. Title' line")
    return sections


def _slide(number: int, first: int, section: list[str], name: str) -> dict[str, Any]:
    """One section as a `UserSlide`'s fields; raises naming the line and the slide."""
    match = _HEADING.match(section[0])
    assert match is not None
    at = f"{name}:{first}: slide {number}"
    stripped = [line.strip() for line in section]
    if NARRATION_OPEN not in stripped:
        raise ReviewFileError(
            f"{at}: no narration: put it between {NARRATION_OPEN} and {NARRATION_CLOSE}"
        )
    open_ = stripped.index(NARRATION_OPEN)
    if NARRATION_CLOSE not in stripped[open_:]:
        raise ReviewFileError(
            f"{name}:{first + open_}: slide {number}: {NARRATION_OPEN}"
            f" is not closed by {NARRATION_CLOSE}"
        )
    close = stripped.index(NARRATION_CLOSE, open_)
    narration = "\n".join(section[open_ + 1 : close]).strip()
    if not narration:
        raise ReviewFileError(f"{name}:{first + open_}: slide {number}: narration is empty")
    fields: dict[str, Any] = {
        "title": match.group(2),
        "content_text": "\n".join(section[1:open_]).strip(),
        "narration": narration,
    }
    rest = [(first + i, line) for i, line in enumerate(section) if i > close and line.strip()]
    if not rest:
        return fields
    if rest[0][1].strip() != _FENCE_JSON or rest[-1][1].strip() != _FENCE or len(rest) < 2:
        raise ReviewFileError(
            f"{name}:{rest[0][0]}: slide {number}: after the narration only a ```json block"
            " (layout, visuals, sources); the body goes above the narration"
        )
    try:
        kept = json.loads("\n".join(line for _, line in rest[1:-1]))
    except json.JSONDecodeError as exc:
        line = rest[0][0] + exc.lineno
        raise ReviewFileError(f"{name}:{line}: slide {number}: json block: {exc.msg}") from None
    if not isinstance(kept, dict) or set(kept) - set(SLIDE_KEYS):
        extra = sorted(set(kept) - set(SLIDE_KEYS)) if isinstance(kept, dict) else []
        raise ReviewFileError(
            f"{name}:{rest[0][0]}: slide {number}: json block: unknown keys {extra};"
            f" allowed: {', '.join(SLIDE_KEYS)}"
            if extra
            else f"{name}:{rest[0][0]}: slide {number}: json block: an object is expected"
        )
    return {**fields, **kept}


def _markdown(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], list[int]]:
    lines = text.splitlines()
    params, where, start = _front_matter(lines, name)
    sections = _sections(lines, start, name)
    slides = [
        _slide(number, first, section, name)
        for number, (first, section) in enumerate(sections, start=1)
    ]
    return {**params, "slides": slides}, where, [first for first, _ in sections]


def _json(text: str, name: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewFileError(f"{name}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(document, dict) or document.get("videogen_review") != REVIEW_VERSION:
        raise ReviewFileError(
            f'{name}: not a review file: "videogen_review": {REVIEW_VERSION} is missing'
        )
    try:
        spoken = {
            s["slide_number"]: s["narration_text"] for s in document["script"]["slide_scripts"]
        }
        content_slides = document["content"]["slides"]
        request = dict(document["request"])
    except (KeyError, TypeError) as exc:
        raise ReviewFileError(f"{name}: missing {exc} (request, content.slides, script)") from None
    slides = []
    for number, slide in enumerate(content_slides, start=1):
        narration = str(spoken.get(slide.get("slide_number"), "")).strip()
        if not narration:
            raise ReviewFileError(f"{name}: slide {number}: narration is empty")
        fields = {k: slide.get(k) for k in ("title", "content_text", *SLIDE_KEYS) if k in slide}
        slides.append({**fields, "narration": narration})
    return {**request, "slides": slides}


def _located(exc: ValidationError, name: str, where: dict[str, int], firsts: list[int]) -> str:
    """The first invalid field as one line: the line (Markdown), the slide, the field."""
    err = exc.errors()[0]
    loc = list(err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    if loc[:1] == ["slides"] and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        line = f":{firsts[index]}" if index < len(firsts) else ""
        field = ".".join(str(x) for x in loc[2:]) or "slide"
        return f"{name}{line}: slide {index + 1}: {field}: {message}"
    field = ".".join(str(x) for x in loc) or "request"
    line = f":{where[field]}" if field in where else ""
    return f"{name}{line}: {field}: {message}"


@dataclass(frozen=True, slots=True)
class Reviewed:
    """What a review file describes: the request, and the picture files its slides show."""

    request: GenerationRequest
    pictures: tuple[Path, ...]


def _with_pictures(
    fields: dict[str, Any], base: Path, name: str, firsts: list[int]
) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """`fields` with each slide's picture files read (`review_pictures.resolved`); the files."""
    slides: list[Any] = []
    files: dict[Path, None] = {}
    for index, slide in enumerate(fields.get("slides") or ()):
        if not isinstance(slide, dict):
            slides.append(slide)
            continue
        try:
            read, found = resolved(slide, base)
        except PictureFileError as exc:
            line = f":{firsts[index]}" if index < len(firsts) else ""
            raise ReviewFileError(f"{name}{line}: slide {index + 1}: {exc}") from None
        slides.append(read)
        files.update(dict.fromkeys(found))
    return {**fields, "slides": slides}, tuple(files)


def parse_review(path: Path) -> GenerationRequest:
    """The request a review file describes (`read_review`). Raises `ReviewFileError`."""
    return read_review(path).request


def read_review(path: Path) -> Reviewed:
    """The request a review file describes: its parameters and its slides as `UserSlide`s,
    each image visual naming the picture its listed file holds; and those files.

    Raises:
        ReviewFileError: the file (or a picture file it lists) cannot be read, or is invalid
            (one line naming where).
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ReviewFileError(f"{path}: cannot read it: {reason}") from None
    where: dict[str, int] = {}
    firsts: list[int] = []
    if path.suffix.lower() == ".json":
        fields = _json(text, name)
    else:
        fields, where, firsts = _markdown(text, name)
    fields, pictures = _with_pictures(fields, path.parent, name, firsts)
    try:
        # The file is the user's own, on this machine, as a theme file is: its logo may be read.
        request = GenerationRequest.model_validate(fields, context={THEME_FILE_CONTEXT: True})
    except ValidationError as exc:
        raise ReviewFileError(_located(exc, name, where, firsts)) from None
    return Reviewed(request, pictures)
