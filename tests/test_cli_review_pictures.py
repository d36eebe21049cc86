"""A review file carries its deck's source pictures: `generate --review` writes them in a folder
beside the file and lists them on their slides; `render FILE` reads them back (relative to the
file) and the picture is in the video's frame. A missing or broken picture file is one line
naming the slide and the file; a picture file replaced by another is drawn as the new one."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from tests.test_pictures import RED, png
from videogen.cli.main import main
from videogen.cli.review_file import read_review
from videogen.media import compose
from videogen.media.models import Content, Script
from videogen.media.pictures import checked, picture_name
from videogen.media.slides.layout import layout_slide

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.models import Slide

BLUE = (30, 40, 200)


def _html(picture: bytes) -> str:
    data = base64.b64encode(picture).decode()
    return (
        "<html><head><title>Volcano</title></head><body><h1>Volcano</h1>"
        "<p>A volcano is an opening in the crust of a planet. Hot magma rises from the mantle "
        "below it. Most volcanoes sit on the edges of tectonic plates.</p>"
        "<h2>Eruptions</h2><p>Explosive eruptions throw ash high into the sky. Effusive "
        "eruptions pour out slow rivers of lava. Some eruptions last for many years.</p>"
        "<h2>Kinds of volcano</h2><p>Shield volcanoes have gentle slopes of runny lava. "
        "Stratovolcanoes are steep cones of ash and lava. Cinder cones are the smallest kind.</p>"
        f'<figure><img src="data:image/png;base64,{data}" alt="a cone">'
        "<figcaption>A stratovolcano in Chile</figcaption></figure></body></html>"
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`generate --review` of an HTML source with an inline picture, in both forms."""
    here = tmp_path_factory.mktemp("pictured")
    source = here / "volcano.html"
    source.write_text(_html(png((160, 80))), encoding="utf-8")
    for name in ("volcano.md", "volcano.json"):
        args = ["generate", "Volcano", "--source", str(source), "--slides", "4", "--review"]
        argv = [*args, "--review-file", str(here / name), "--data-dir", str(here / "data")]
        assert main(argv) == 0
    return here


def test_the_review_file_lists_the_picture_it_writes_beside_itself(folder: Path) -> None:
    picture = png((160, 80))
    name = picture_name(picture, checked(picture))
    for stem, suffix in (("volcano", ".md"), ("volcano", ".json")):
        written = sorted((folder / f"{stem}.pictures").iterdir())
        assert [p.read_bytes() for p in written] == [picture]
        text = (folder / f"{stem}{suffix}").read_text(encoding="utf-8")
        assert name in text and f'"volcano.pictures/{written[0].name}"' in text
        reviewed = read_review(folder / f"{stem}{suffix}")
        assert reviewed.pictures == (folder / "volcano.pictures" / written[0].name,)
        slides = reviewed.request.slides or ()
        shown = [v.data.picture for s in slides for v in s.visuals or () if v.kind == "image"]
        assert shown == [name]


def _frame_at(video: Path, seconds: float, out: Path) -> Image.Image:
    """The first frame of `video` at or after `seconds`."""
    seek = ["-ss", f"{seconds:.3f}", "-i", str(video)]
    subprocess.run(
        [compose.ffmpeg_exe(), "-v", "error", *seek, "-frames:v", "1", "-y", str(out)],
        check=True,
        timeout=60,
    )
    with Image.open(out) as image:
        return image.convert("RGB")


def _centre_of_picture(slide: Slide, total: int) -> tuple[int, int]:
    layout = layout_slide(slide, topic="Volcano", total=total, language="english", size=(1280, 720))
    (shape,) = [s for s in layout.shapes if s.kind == "picture"]
    return (shape.box.left + shape.box.right) // 2, (shape.box.top + shape.box.bottom) // 2


def _close(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 30 for a, b in zip(pixel, colour, strict=False))


def test_render_draws_the_picture_from_the_folder_beside_the_file(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The file and its folder moved together elsewhere: paths are relative to the file.
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "volcano.md").write_text((folder / "volcano.md").read_text(encoding="utf-8"))
    (moved / "volcano.pictures").mkdir()
    for picture in (folder / "volcano.pictures").iterdir():
        (moved / "volcano.pictures" / picture.name).write_bytes(picture.read_bytes())
    capsys.readouterr()
    video = tmp_path / "volcano.mp4"
    argv = ["render", str(moved / "volcano.md"), "-o", str(video)]
    assert main([*argv, "--data-dir", str(tmp_path / "data")]) == 0
    printed = capsys.readouterr().out
    paths = dict(re.findall(r"^(\w+):\s+(.+)$", printed, flags=re.MULTILINE))
    content = Content.model_validate_json((tmp_path / paths["content"]).read_text())
    script = Script.model_validate_json((tmp_path / paths["script"]).read_text())
    (slide,) = [s for s in content.slides if s.layout == "image"]
    timing = next(s for s in script.slide_scripts if s.slide_number == slide.slide_number)
    # The video holds each frame until the next (one frame per step of a slide): the first
    # frame at or after the slide's start is its own.
    frame = _frame_at(video, max(0.0, timing.start_time - 0.05), tmp_path / "frame.png")
    assert frame.size == (1280, 720)
    centre = frame.getpixel(_centre_of_picture(slide, content.total_slides))
    assert isinstance(centre, tuple) and _close(centre, RED), centre


def test_a_replaced_picture_is_drawn_as_the_new_one(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "volcano.md"
    copy.write_text((folder / "volcano.md").read_text(encoding="utf-8"))
    (tmp_path / "volcano.pictures").mkdir()
    (original,) = (folder / "volcano.pictures").iterdir()
    blue = png((90, 90), BLUE)
    (tmp_path / "volcano.pictures" / original.name).write_bytes(blue)
    request = read_review(copy).request
    (visual,) = [v for s in request.slides or () for v in s.visuals or () if v.kind == "image"]
    assert visual.data.picture == picture_name(blue, checked(blue))
    assert (visual.data.width, visual.data.height) == (90, 90)


@pytest.mark.parametrize("form", [".md", ".json"])
def test_a_missing_or_broken_picture_names_the_slide_and_the_file(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    copy = tmp_path / f"volcano{form}"
    text = (folder / f"volcano{form}").read_text(encoding="utf-8")
    copy.write_text(text)
    (original,) = (folder / "volcano.pictures").iterdir()
    number = int(re.findall(r"slide-(\d+)", original.name)[0])
    capsys.readouterr()
    assert main(["render", str(copy), "-o", str(tmp_path / "x.mp4")]) == 2
    said = capsys.readouterr().err.strip()
    assert f"slide {number}: picture volcano.pictures/{original.name}: cannot read it" in said
    assert "Traceback" not in said and said.count("\n") == 0, said
    (tmp_path / "volcano.pictures").mkdir()
    (tmp_path / "volcano.pictures" / original.name).write_bytes(b"not a picture")
    assert main(["render", str(copy), "-o", str(tmp_path / "x.mp4")]) == 2
    said = capsys.readouterr().err.strip()
    assert f"slide {number}: picture volcano.pictures/{original.name}: not a PNG" in said, said
    if form == ".md":
        assert re.match(rf"videogen: volcano\.md:\d+: slide {number}: ", said), said


def test_a_listing_naming_no_visual_is_refused(folder: Path, tmp_path: Path) -> None:
    document = json.loads((folder / "volcano.json").read_text(encoding="utf-8"))
    (slide,) = [s for s in document["content"]["slides"] if "pictures" in s]
    slide["pictures"] = {"0" * 64 + ".png": "volcano.pictures/x.png"}
    (tmp_path / "volcano.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Exception, match="none of the slide's image visuals"):
        read_review(tmp_path / "volcano.json")
