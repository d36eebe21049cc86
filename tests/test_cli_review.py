"""`videogen generate --review` and `videogen render FILE`: the review file, read and written.

The fast tests run `--review` in-process (the runtime's writer and scripts stages, the offline
encyclopedia's grounding: a deck with a diagram, a figure and pictograms), then check the file
against what the stages made (its JSON form holds their content and script exactly): read back
unedited, the offline writer gives the same slides and narration, and the frames of a slide are
bit-identical; an edited narration changes that slide's narration only; a broken file is one
line naming where. One slow test renders a reviewed file into a video.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.test_routes import JSON
from videogen.cli.main import main
from videogen.cli.review_file import NARRATION_CLOSE, NARRATION_OPEN, parse_review
from videogen.media.models import LAYOUTS, Content, GenerationRequest, Script, UserSlide
from videogen.media.slides.paint import render_slide
from videogen.media.visuals import MAX_BAR_VALUE, MAX_VISUAL_ITEMS, MAX_VISUAL_TEXT
from videogen.media.writer import OfflineWriter

TOPIC = "The water cycle"


class Reviewed:
    """The review files of one deck (Markdown and JSON) and what the stages made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.md = folder / "water.md"
        self.json = folder / "water.json"
        document = json.loads(self.json.read_text(encoding="utf-8"))
        self.content = Content.model_validate(document["content"])
        self.script = Script.model_validate(document["script"])

    def edited(self, name: str, change: Any) -> Path:
        """A copy of the Markdown file with `change(text)` applied."""
        path = self.folder / name
        path.write_text(change(self.md.read_text(encoding="utf-8")), encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Reviewed:
    folder = tmp_path_factory.mktemp("review")
    data = folder / "data"
    for name in ("water.md", "water.json"):
        args = ["generate", TOPIC, "--slides", "8", "--review", "--review-file"]
        assert main([*args, str(folder / name), "--data-dir", str(data)]) == 0
    return Reviewed(folder)


def _narrations(script: Script) -> list[str]:
    return [s.narration_text for s in script.slide_scripts]


def _written(request: GenerationRequest) -> tuple[Content, Script]:
    writer = OfflineWriter()
    content = writer.write_content(request)
    return content, writer.write_script(request, content)


def test_the_markdown_file_has_a_section_per_slide_with_its_narration(reviewed: Reviewed) -> None:
    text = reviewed.md.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert f'topic: "{TOPIC}"' in front
    for key in ("language", "tone", "theme", "aspect_ratio", "resolution", "subtitles"):
        assert f"\n{key}: " in f"\n{front}"
    headings = re.findall(r"^## (\d+)\. (.+)$", text, flags=re.MULTILINE)
    assert headings == [(str(s.slide_number), s.title) for s in reviewed.content.slides]
    for spoken in _narrations(reviewed.script):
        assert f"{NARRATION_OPEN}\n{spoken}\n{NARRATION_CLOSE}" in text
    # The deck is worth reviewing: a diagram, a figure and pictograms to keep.
    kinds = {v.kind for s in reviewed.content.slides for v in s.visuals}
    assert {"diagram", "emoji"} <= kinds
    assert len({s.layout for s in reviewed.content.slides}) >= 4


@pytest.mark.parametrize("name", ["water.md", "water.json"])
def test_an_unedited_file_gives_the_same_slides_and_narration(
    reviewed: Reviewed, name: str
) -> None:
    request = parse_review(reviewed.folder / name)
    assert request.slides is not None and len(request.slides) == len(reviewed.content.slides)
    content, script = _written(request)
    assert content.slides == reviewed.content.slides  # layouts, visuals, sources, bullets, times
    assert script.slide_scripts == reviewed.script.slide_scripts
    assert (request.topic, request.language, request.theme) == (TOPIC, "english", "classic")


def test_an_unedited_slide_draws_bit_identical_frames(reviewed: Reviewed) -> None:
    content, _ = _written(parse_review(reviewed.md))
    request = GenerationRequest(topic=TOPIC)
    pictured = [
        i for i, s in enumerate(reviewed.content.slides) if s.visuals and s.layout != "title"
    ]
    for index in pictured[:2]:
        frames = [
            render_slide(
                deck.slides[index],
                topic=TOPIC,
                total=len(deck.slides),
                language="english",
                theme="classic",
                size=request.size,
            ).tobytes()
            for deck in (reviewed.content, content)
        ]
        assert frames[0] == frames[1]


def test_editing_one_narration_changes_only_that_slide(reviewed: Reviewed) -> None:
    old = reviewed.script.slide_scripts[2].narration_text
    new = "Water rises as vapour, cools into clouds and falls again as rain."
    path = reviewed.edited("one.md", lambda text: text.replace(old, new, 1))
    content, script = _written(parse_review(path))
    before, after = _narrations(reviewed.script), _narrations(script)
    assert after[2] == new
    assert [a for i, a in enumerate(after) if i != 2] == [b for i, b in enumerate(before) if i != 2]
    # The slide itself is drawn as before; only its time on screen follows its narration.
    changed = [
        i
        for i, (a, b) in enumerate(zip(content.slides, reviewed.content.slides, strict=True))
        if a != b
    ]
    assert changed == [2]
    assert content.slides[2].model_copy(update={"duration": 0}) == reviewed.content.slides[
        2
    ].model_copy(update={"duration": 0})


def test_sections_render_in_the_file_order_and_can_be_deleted(reviewed: Reviewed) -> None:
    def drop_second(text: str) -> str:
        sections = re.split(r"(?m)^(?=## \d+\. )", text)
        return "".join(s for i, s in enumerate(sections) if i != 2)  # [0] is the front matter

    request = parse_review(reviewed.edited("dropped.md", drop_second))
    assert request.slides is not None
    titles = [s.title for s in reviewed.content.slides]
    assert [s.title for s in request.slides] == [titles[0], *titles[2:]]


def _render_error(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["render", str(path), "--data-dir", str(path.parent / "unused")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    starts = [i for i, line in enumerate(text.splitlines(), start=1) if line.strip() == needle]
    return starts[nth]


def test_an_empty_narration_names_the_line_and_the_slide(
    reviewed: Reviewed, capsys: pytest.CaptureFixture[str]
) -> None:
    spoken = reviewed.script.slide_scripts[2].narration_text
    path = reviewed.edited("empty.md", lambda text: text.replace(spoken + "\n", "", 1))
    line = _line_of(path.read_text(encoding="utf-8"), NARRATION_OPEN, 2)
    assert _render_error(path, capsys) == f"videogen: empty.md:{line}: slide 3: narration is empty"


def test_an_unknown_layout_names_the_allowed_ones(
    reviewed: Reviewed, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = reviewed.content.slides[1].layout
    path = reviewed.edited(
        "layout.md", lambda text: text.replace(f'{{"layout": "{layout}"', '{"layout": "foo"', 1)
    )
    line = _line_of(path.read_text(encoding="utf-8"), f"## 2. {reviewed.content.slides[1].title}")
    assert _render_error(path, capsys) == (
        f"videogen: layout.md:{line}: slide 2: layout: unknown layout 'foo';"
        f" allowed: {', '.join(LAYOUTS)}"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("theme: ", "colour: ", 1), "front matter: unknown key 'colour'"),
        (lambda t: t.replace('theme: "classic"', "theme: neon", 1), "theme: unknown theme 'neon'"),
        (lambda t: t.replace(NARRATION_CLOSE, "", 1), "slide 1: <!-- narration --> is not closed"),
        (lambda t: t.replace('{"layout"', '{"colour": 1, "layout"', 1), "unknown keys ['colour']"),
        (lambda t: t.replace('"visuals": []', '"visuals": [', 1), "slide 1: json block:"),
        (lambda t: t.split("## 1.")[0], "no slides"),
        (lambda t: t.replace("## 2. ", "## Two: ", 1), "a slide's heading is '## <number>."),
    ],
)
def test_a_broken_file_is_one_line_naming_what(
    reviewed: Reviewed, capsys: pytest.CaptureFixture[str], change: Any, expected: str
) -> None:
    assert expected in _render_error(reviewed.edited("broken.md", change), capsys)


def test_a_broken_json_file_names_the_slide(
    reviewed: Reviewed, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(reviewed.json.read_text(encoding="utf-8"))
    document["script"]["slide_scripts"][1]["narration_text"] = "  "
    path = reviewed.folder / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _render_error(path, capsys) == "videogen: broken.json: slide 2: narration is empty"


def test_review_refuses_the_video_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", TOPIC, "--review", "-o", "x.mp4"]) == 2
    assert "give -o/--export to `videogen render`" in capsys.readouterr().err


def test_a_user_slide_names_its_layout_from_the_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        GenerationRequest.model_validate(
            {"topic": "t", "slides": [{"title": "a"}, {"title": "b", "layout": "foo"}]}
        )
    error = caught.value.errors()[0]
    assert error["loc"] == ("slides", 1, "layout")
    assert f"allowed: {', '.join(LAYOUTS)}" in error["msg"]


def test_a_slide_that_names_its_visuals_gets_no_pictogram_added() -> None:
    # "Volcano" matches a pictogram: a user's slide without visuals gets it (as before); one
    # that names its visuals (a reviewed slide: none, or its own) is drawn with exactly those.
    slides = [UserSlide(title="Intro"), UserSlide(title="Volcano", content_text="- Lava")]
    chosen = OfflineWriter().write_content(GenerationRequest(topic="t", slides=tuple(slides)))
    assert [v.kind for v in chosen.slides[1].visuals] == ["emoji"]
    fixed = [slides[0], slides[1].model_copy(update={"visuals": ()})]
    kept = OfflineWriter().write_content(GenerationRequest(topic="t", slides=tuple(fixed)))
    assert kept.slides[1].visuals == ()


@pytest.mark.slow
def test_render_makes_the_video_of_the_reviewed_slides(reviewed: Reviewed, tmp_path: Path) -> None:
    """`videogen render` as a user runs it: the reviewed deck, edited on one slide, becomes the
    video, its content the file's slides and its script the file's narration."""
    old = reviewed.script.slide_scripts[1].narration_text
    new = "The ocean gives most of the water that evaporates."
    path = reviewed.edited("render.md", lambda text: text.replace(old, new, 1))
    out = tmp_path / "water.mp4"
    videogen = str(Path(sys.executable).with_name("videogen"))
    done = subprocess.run(
        [videogen, "render", str(path), "-o", str(out), "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000
    printed = dict(line.split(":", 1) for line in done.stdout.splitlines())
    content = Content.model_validate_json(Path(printed["content"].strip()).read_text())
    script = Script.model_validate_json(Path(printed["script"].strip()).read_text())
    drawn = [s.model_copy(update={"quality": None, "duration": 0}) for s in content.slides]
    planned = [s.model_copy(update={"duration": 0}) for s in reviewed.content.slides]
    assert drawn == planned
    expected = _narrations(reviewed.script)
    expected[1] = new
    assert _narrations(script) == expected


def _at_most(layout: str) -> dict[str, Any]:
    """A visual of `layout` at every bound `drawable_visual` allows (unbreakable words)."""
    text, n = "x" * MAX_VISUAL_TEXT, MAX_VISUAL_ITEMS
    data: dict[str, dict[str, Any]] = {
        "process": {"kind": "diagram", "what": "process", "data": {"steps": [text] * n}},
        "chart": {
            "kind": "chart",
            "what": "bars",
            "data": {"bars": [{"label": text, "value": -MAX_BAR_VALUE}] * n},
        },
        "timeline": {
            "kind": "diagram",
            "what": "timeline",
            "data": {"events": [{"date": "1", "text": text[:-1]}] * n},
        },
        "comparison": {
            "kind": "diagram",
            "what": "comparison",
            "data": {"columns": [{"heading": "h", "items": [text[:30]] * n}] * n},
        },
        "big_number": {
            "kind": "chart",
            "what": "figure",
            "data": {"figure": text, "caption": text},
        },
    }
    return data[layout]


@pytest.mark.parametrize("layout", ["process", "chart", "timeline", "comparison", "big_number"])
def test_a_user_visual_at_its_bounds_draws_and_past_them_is_refused(layout: str) -> None:
    visual = _at_most(layout)
    user = UserSlide.model_validate({"title": "T", "layout": layout, "visuals": [visual]})
    (slide,) = OfflineWriter().write_content(GenerationRequest(topic="t", slides=(user,))).slides
    image = render_slide(
        slide, topic="t", total=1, language="english", theme="classic", size=(1280, 720)
    )
    assert image.size == (1280, 720)
    # Thousands of steps failed to draw and a long timeline took seconds: refused, named.
    (field,) = [k for k in visual["data"] if isinstance(visual["data"][k], list)] or ["figure"]
    grown = json.loads(json.dumps(visual))
    if field == "figure":
        grown["data"]["figure"] += "x"
    else:
        grown["data"][field] = grown["data"][field] * 400
    with pytest.raises(ValidationError, match=f"visual 1: data.{field}"):
        GenerationRequest.model_validate(
            {"topic": "t", "slides": [{"title": "T", "visuals": [grown]}]}
        )


@pytest.mark.parametrize(
    ("slide", "loc", "message"),
    [
        ({"layout": "foo"}, "layout", f"unknown layout 'foo'; allowed: {', '.join(LAYOUTS)}"),
        (
            {"visuals": [{"kind": "diagram", "what": "process", "data": {"steps": ["a"] * 9}}]},
            "visuals",
            f"visual 1: data.steps: 9 entries; at most {MAX_VISUAL_ITEMS}",
        ),
    ],
)
async def test_the_api_refuses_a_slide_it_cannot_draw_with_422_naming_it(
    tmp_path: Path, slide: dict[str, Any], loc: str, message: str
) -> None:
    body = {"topic": "t", "slides": [{"title": "a"}, {"title": "b", **slide}]}
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        response = await app.test_client().post("/api/generate", headers=JSON, json=body)
        assert response.status_code == 422, await response.get_data()
        (item,) = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "slides", 1, loc]
    assert item["msg"] == message
