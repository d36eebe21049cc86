"""Slide pictures are pinned: a few slides' pixels, against digests in a golden file.

`tests/data/slides_golden.json` was captured before `media/slides.py` was split into modules;
it holds the SHA-256 of each image's raw RGB pixels (not of the PNG, so the encoder's settings do
not matter). Title and content slides, every theme, the three shapes, left-to-right and
right-to-left, spaced and unspaced scripts, text long enough to shrink and truncate, bullet
reveals and a burned-in caption. Regenerate it only for an intended change of the pictures.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from videogen.media import slides
from videogen.media.models import Slide

if TYPE_CHECKING:
    from collections.abc import Callable

GOLDEN = Path(__file__).parent / "data" / "slides_golden.json"

_LONG_BULLETS = tuple(
    f"Point {k}: evaporation, condensation and precipitation move water around the planet"
    for k in range(12)
)


def _slide(number: int, title: str, content: str = "", bullets: tuple[str, ...] = ()) -> Slide:
    return Slide(
        slide_number=number, title=title, content_text=content, duration=4.0, bullets=bullets
    )


def _render(
    slide: Slide,
    language: str,
    theme: str,
    size: tuple[int, int],
    visible: int | None = None,
    topic: str = "Water",
) -> Callable[[], Image.Image]:
    return lambda: slides.render_slide(
        slide,
        topic=topic,
        total=6,
        language=language,
        theme=theme,
        size=size,
        visible_bullets=visible,
    )


def _caption(text: str, language: str) -> Callable[[], Image.Image]:
    def draw() -> Image.Image:
        base = _render(_slide(2, "Water", bullets=("One", "Two")), "english", "classic", WIDE)()
        return slides.draw_caption(base, text, language=language)

    return draw


WIDE, TALL, SQUARE = (1280, 720), (720, 1280), (1080, 1080)
CASES: dict[str, Callable[[], Image.Image]] = {
    "title-english-classic": _render(
        _slide(1, "The Water Cycle", "How water moves"), "english", "classic", WIDE
    ),
    "title-arabic-midnight": _render(
        _slide(1, "دورة الماء", "كيف يتحرك الماء"), "arabic", "midnight", TALL
    ),
    "content-english-bullets": _render(
        _slide(
            2,
            "Why it matters",
            bullets=("Rain feeds rivers", "Clouds cool the land", "Seas store heat"),
        ),
        "english",
        "classic",
        WIDE,
    ),
    "content-english-reveal-1": _render(
        _slide(3, "Steps", bullets=("Evaporation", "Condensation", "Precipitation")),
        "english",
        "ocean",
        SQUARE,
        visible=1,
    ),
    "content-english-long": _render(
        _slide(4, "A remarkably long slide title that keeps going " * 4, bullets=_LONG_BULLETS),
        "english",
        "sunset",
        TALL,
    ),
    "content-hindi-paragraph": _render(
        _slide(2, "जल चक्र", "समुद्र का पानी भाप बनता है और बादल बारिश लाते हैं।"),
        "hindi",
        "classic",
        WIDE,
    ),
    "content-chinese-long": _render(
        _slide(
            5,
            "水循环是地球上的水在海洋、大气和陆地之间不断运动的过程" * 2,
            "- 海水受热蒸发\n- 云带来降雨",
        ),
        "chinese",
        "midnight",
        SQUARE,
    ),
    "content-arabic-mixed": _render(
        _slide(2, "دورة الماء", "- يتبخر ماء البحر (sea)\n- تجلب الغيوم المطر"),
        "arabic",
        "ocean",
        WIDE,
        topic="ماء",
    ),
    "content-tamil": _render(
        _slide(6, "நீர் சுழற்சி", bullets=("கடல் நீர் ஆவியாகிறது", "மேகங்கள் மழை தருகின்றன")),
        "tamil",
        "sunset",
        TALL,
    ),
    "caption-english": _caption(
        "Water evaporates from the sea and falls again as rain. " * 3, "english"
    ),
    "caption-arabic": _caption("يتبخر ماء البحر ثم يعود مطرا", "arabic"),
    "caption-japanese": _caption(
        "海の水が蒸発して雲になり、雨になって地上に戻ります。", "japanese"
    ),
}


def pixels_digest(image: Image.Image) -> str:
    """The SHA-256 of the image's mode, size and raw pixels."""
    header = f"{image.mode}:{image.width}x{image.height}:".encode()
    return hashlib.sha256(header + image.tobytes()).hexdigest()


EXPECTED: dict[str, str] = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_slide_pixels_match_golden(case: str) -> None:
    assert pixels_digest(CASES[case]()) == EXPECTED[case]


def test_revealed_frames_match_golden(tmp_path: Path) -> None:
    slide = _slide(2, "Steps", bullets=("Evaporation", "Condensation", "Precipitation"))
    frames = slides.render_slide_images(
        slide,
        topic="Water",
        total=4,
        language="english",
        theme="midnight",
        size=WIDE,
        out_dir=tmp_path,
        reveal=True,
    )
    digests = []
    for path in frames.frames:
        with Image.open(path) as image:
            digests.append(pixels_digest(image.convert("RGB")))
    assert digests == [EXPECTED[f"frames-{j}"] for j in range(3)]


def test_golden_covers_every_case() -> None:
    assert set(EXPECTED) == set(CASES) | {f"frames-{j}" for j in range(3)}
    assert len(set(EXPECTED.values())) == len(EXPECTED)
