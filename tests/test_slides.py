"""Slide rendering: every language draws without tofu, nothing leaves the canvas, frames reveal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageChops

from videogen.media import fonts, slides
from videogen.media.fonts import FontFile, FontMissingError, ScriptFonts
from videogen.media.languages import LANGUAGES
from videogen.media.models import ASPECT_RATIOS, THEMES, Slide

if TYPE_CHECKING:
    from videogen.media.slides import SlideLayout

SIZES = list(ASPECT_RATIOS.values())
BAND = 8  # px along every edge that text must never reach

# A title and two bullets per language, in its own script.
SAMPLES: dict[str, tuple[str, str, str]] = {
    "english": ("The Water Cycle", "Water evaporates from the sea", "Clouds bring rain to land"),
    "hindi": ("जल चक्र", "समुद्र का पानी भाप बनता है", "बादल बारिश लाते हैं"),
    "kannada": ("ಜಲ ಚಕ್ರ", "ಸಮುದ್ರದ ನೀರು ಆವಿಯಾಗುತ್ತದೆ", "ಮೋಡಗಳು ಮಳೆ ತರುತ್ತವೆ"),
    "telugu": ("జల చక్రం", "సముద్రపు నీరు ఆవిరి అవుతుంది", "మేఘాలు వర్షం తెస్తాయి"),
    "tamil": ("நீர் சுழற்சி", "கடல் நீர் ஆவியாகிறது", "மேகங்கள் மழை தருகின்றன"),
    "bengali": ("জলচক্র", "সমুদ্রের জল বাষ্প হয়", "মেঘ বৃষ্টি নিয়ে আসে"),
    "gujarati": ("જળ ચક્ર", "દરિયાનું પાણી વરાળ બને છે", "વાદળો વરસાદ લાવે છે"),
    "malayalam": ("ജലചക്രം", "കടൽവെള്ളം നീരാവിയാകുന്നു", "മേഘങ്ങൾ മഴ കൊണ്ടുവരുന്നു"),
    "marathi": ("जलचक्र", "समुद्राचे पाणी वाफ होते", "ढग पाऊस आणतात"),
    "odia": ("ଜଳଚକ୍ର", "ସମୁଦ୍ର ଜଳ ବାଷ୍ପ ହୁଏ", "ମେଘ ବର୍ଷା ଆଣେ"),
    "punjabi": ("ਜਲ ਚੱਕਰ", "ਸਮੁੰਦਰ ਦਾ ਪਾਣੀ ਭਾਫ਼ ਬਣਦਾ ਹੈ", "ਬੱਦਲ ਮੀਂਹ ਲਿਆਉਂਦੇ ਹਨ"),
    "spanish": ("El ciclo del agua", "El agua del mar se evapora", "Las nubes traen la lluvia"),
    "french": ("Le cycle de l’eau", "L’eau de mer s’évapore", "Les nuages apportent la pluie"),
    "german": ("Der Wasserkreislauf", "Meerwasser verdunstet", "Wolken bringen Regen übers Land"),
    "portuguese": ("O ciclo da água", "A água do mar evapora", "As nuvens trazem a chuva"),
    "russian": ("Круговорот воды", "Морская вода испаряется", "Облака приносят дождь"),
    "chinese": ("水循环", "海水受热蒸发", "云带来降雨"),
    "japanese": ("水の循環", "海の水が蒸発します", "雲が雨を降らせます"),
    "arabic": ("دورة الماء", "يتبخر ماء البحر", "تجلب الغيوم المطر"),
}

LONG_TITLE = ("A remarkably long slide title that keeps going " * 5)[:200]
LONG_BULLETS = tuple(
    f"Point {k}: evaporation, condensation and precipitation move water around the planet"
    for k in range(12)
)
# Long text in scripts with their own wrapping rules: unspaced Chinese, right-to-left Arabic.
LONG_TEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    "english": (LONG_TITLE, LONG_BULLETS),
    "hindi": (
        "जल चक्र पृथ्वी पर पानी की निरंतर यात्रा है " * 5,
        tuple(f"बिंदु {k}: वाष्पीकरण, संघनन और वर्षा से पानी धरती पर घूमता है" for k in range(12)),
    ),
    "chinese": (
        "水循环是地球上的水在海洋、大气和陆地之间不断运动的过程" * 4,
        tuple(f"第{k}点：蒸发、凝结和降水使水在地球上不停地循环流动" for k in range(12)),
    ),
    "arabic": (
        "دورة الماء هي الحركة المستمرة للماء بين المحيطات والهواء واليابسة " * 3,
        tuple(f"النقطة {k}: التبخر والتكثف والهطول تحرك الماء حول الكوكب" for k in range(12)),
    ),
}


def make_slide(number: int, title: str, bullets: tuple[str, ...] = (), content: str = "") -> Slide:
    return Slide(
        slide_number=number, title=title, content_text=content, duration=4.0, bullets=bullets
    )


def render(slide: Slide, language: str = "english", **options: object) -> Image.Image:
    settings: dict[str, object] = {
        "topic": "Water",
        "total": 6,
        "language": language,
        "theme": "classic",
        "size": (1280, 720),
    }
    settings.update(options)
    return slides.render_slide(slide, **settings)  # type: ignore[arg-type]


def lay_out(
    slide: Slide, language: str = "english", size: tuple[int, int] = (1280, 720), topic: str = ""
) -> SlideLayout:
    return slides.layout_slide(slide, topic=topic, total=3, language=language, size=size)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def assert_inside_canvas(layout: SlideLayout) -> None:
    canvas = slides.Box(0, 0, layout.width, layout.height)
    assert layout.safe.inside(canvas)
    boxes = [line.box for line in layout.lines] + [marker.box for marker in layout.markers]
    for box in boxes + list(layout.rules):
        assert box.inside(layout.safe), (box, layout.safe)
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1 :]), box


# --- fonts ------------------------------------------------------------------------------------


def test_every_language_has_a_sample() -> None:
    assert set(SAMPLES) == set(LANGUAGES)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_language_renders_without_missing_glyphs(language: str) -> None:
    title, first, second = SAMPLES[language]
    # The script's own font covers its sample (no help from the Latin fallback).
    assert fonts.missing_glyphs(title + first + second, language, fallback=False) == set()
    assert fonts.font_available(language)
    for number in (1, 2):
        image = render(make_slide(number, title, (first, second)), language, topic=title)
        assert image.size == (1280, 720)
        assert image.mode == "RGB"


def test_missing_glyphs_reports_uncovered_characters() -> None:
    missing = fonts.missing_glyphs("जल चक्र", "english")
    # Consonants are reported; the virama (a combining mark) and the space are not.
    assert missing == {"ज", "ल", "च", "क", "र"}
    assert fonts.missing_glyphs("water", "hindi", fallback=False) == set("water")


def test_latin_fallback_covers_english_words_in_indic_text() -> None:
    text = "पानी (water) का चक्र"
    assert fonts.missing_glyphs(text, "hindi") == set()
    runs = fonts.font_runs(text, "hindi")
    assert "".join(piece for piece, _ in runs) == text
    assert ("water", 1) in runs


def test_arabic_fallback_keeps_a_latin_phrase_in_one_run() -> None:
    runs = fonts.font_runs("دورة الماء DNA and RNA نعم", "arabic")
    assert ("DNA and RNA", 1) in runs


def test_font_missing_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = FontFile(Path("/nonexistent/NotoSansDevanagari-Regular.ttf"))
    monkeypatch.setitem(
        fonts.FONT_FILES,
        "devanagari",
        ScriptFonts("Devanagari", "fonts-noto-core", ((nowhere, nowhere),)),
    )
    with pytest.raises(FontMissingError, match=r"hindi .*Devanagari.*fonts-noto-core"):
        fonts.font_for("hindi", size=20)
    assert not fonts.font_available("hindi")
    with pytest.raises(FontMissingError, match="fonts-noto-core"):
        render(make_slide(2, "जल चक्र", ("भाप",)), "hindi")


def test_font_missing_cjk_names_the_cjk_package(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = FontFile(Path("/nonexistent/NotoSansCJK-Regular.ttc"), 2)
    monkeypatch.setitem(
        fonts.FONT_FILES,
        "han-sc",
        ScriptFonts("Simplified Chinese", "fonts-noto-cjk", ((nowhere, nowhere),)),
    )
    with pytest.raises(FontMissingError, match="fonts-noto-cjk"):
        fonts.font_for("chinese", bold=True, size=20)


def test_font_for_picks_the_regional_cjk_face() -> None:
    assert fonts.font_for("chinese", size=20).getname()[0] == "Noto Sans CJK SC"
    assert fonts.font_for("japanese", bold=True, size=20).getname() == ("Noto Sans CJK JP", "Bold")
    assert fonts.font_for("english", size=20) is fonts.font_for("english", size=20)


def test_unknown_language_or_theme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        fonts.font_for("klingon", size=20)
    with pytest.raises(ValueError, match="unknown theme"):
        render(make_slide(2, "Title"), theme="neon")
    assert not fonts.font_available("klingon")


# --- layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", list(LONG_TEXT))
@pytest.mark.parametrize("number", [1, 2])
def test_long_text_stays_inside_the_canvas(
    size: tuple[int, int], language: str, number: int
) -> None:
    title, bullets = LONG_TEXT[language]
    slide = make_slide(number, title, bullets)
    options = {"size": size, "topic": title}
    layout = slides.layout_slide(slide, topic=title, total=6, language=language, size=size)
    assert_inside_canvas(layout)
    # Pixels too: against the same slide without text, only the inside may change.
    image = render(slide, language, **options)
    blank = render(make_slide(number, ""), language, size=size, topic="")
    changed = ImageChops.difference(image, blank).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    width, height = size
    assert (left, top) >= (BAND, BAND)
    assert right <= width - BAND
    assert bottom <= height - BAND


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("number", [1, 2])
def test_long_text_shrinks_but_is_not_cut(size: tuple[int, int], number: int) -> None:
    bullets = tuple(f"Point {k}: water evaporates, condenses and falls" for k in range(12))
    short = lay_out(make_slide(number, "Water", ("Rain",)), size=size)
    long = lay_out(make_slide(number, LONG_TITLE, bullets), size=size)
    assert not long.truncated
    assert_inside_canvas(long)
    for role in ("title", "body" if number > 1 else "muted"):
        assert max(x.size for x in long.lines if x.role == role) < max(
            x.size for x in short.lines if x.role == role
        )
    # Every word is on the slide: wrapping only moved words between lines.
    drawn = [x.text for x in long.lines if x.role in ("title", "body") or x.item is not None]
    assert " ".join(drawn).split() == " ".join((LONG_TITLE, *bullets)).split()


def test_absurd_text_is_truncated_with_an_ellipsis_inside_the_canvas() -> None:
    bullets = tuple("word " * 120 for _ in range(30))
    layout = lay_out(make_slide(2, "Title", bullets))
    assert layout.truncated
    assert_inside_canvas(layout)
    body = [line for line in layout.lines if line.role == "body"]
    assert body[-1].text.endswith("…")


def test_chinese_wraps_per_character_and_keeps_punctuation_off_line_starts() -> None:
    text = "水循环是地球上的水在海洋、大气和陆地之间不断运动的过程。" * 3
    layout = lay_out(make_slide(2, "水循环", (text,)), "chinese", (720, 1280))
    body = [line.text for line in layout.lines if line.role == "body"]
    assert len(body) > 1
    assert "".join(body) == text
    assert not any(line[0] in "、。，" for line in body)
    assert_inside_canvas(layout)


def test_a_word_longer_than_the_line_is_broken() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
    layout = lay_out(make_slide(2, word, (word,)), size=(720, 1280))
    title = [line.text for line in layout.lines if line.role == "title"]
    assert len(title) > 1
    assert "".join(title) == word
    assert_inside_canvas(layout)


def test_arabic_is_right_aligned_and_english_left_aligned() -> None:
    title, first, second = SAMPLES["arabic"]
    arabic = lay_out(make_slide(2, title, (first, second)), "arabic")
    english = lay_out(make_slide(2, "Title", ("One", "Two")))
    arabic_title = next(line for line in arabic.lines if line.role == "title")
    english_title = next(line for line in english.lines if line.role == "title")
    assert arabic_title.rtl
    assert arabic_title.box.right == arabic.safe.right
    assert english_title.box.left == english.safe.left
    # Bullet dots sit on the side the text starts from.
    assert all(m.box.left > arabic.width // 2 for m in arabic.markers)
    assert all(m.box.right < english.width // 2 for m in english.markers)


def test_body_items_from_bullets_or_content_text() -> None:
    content = "- first point\n• second point\n\nA closing paragraph.\n*  third"
    items = slides.body_items(make_slide(2, "T", content=content))
    assert items == (
        slides.BodyItem("first point", True),
        slides.BodyItem("second point", True),
        slides.BodyItem("A closing paragraph.", False),
        slides.BodyItem("third", True),
    )
    from_bullets = slides.body_items(make_slide(2, "T", ("  a  b ", "", "- c"), "ignored"))
    assert from_bullets == (slides.BodyItem("a b", True), slides.BodyItem("c", True))


def test_footer_and_progress() -> None:
    layout = lay_out(make_slide(2, "Title", ("One",)), topic="Water")
    footer = {line.text for line in layout.lines if line.role == "muted"}
    assert footer == {"2 / 3", "Water"}
    assert layout.progress == pytest.approx(2 / 3)
    image = render(make_slide(3, "Title", ("One",)))
    accent = slides.theme_for("classic").accent
    assert image.getpixel((10, 719)) == accent
    assert image.getpixel((1270, 719)) != accent
    title_slide = lay_out(make_slide(1, "Title"), topic="Water")
    assert title_slide.progress is None


# --- painting ---------------------------------------------------------------------------------


def test_reveal_writes_one_frame_per_bullet(tmp_path: Path) -> None:
    slide = make_slide(2, "Water", ("Evaporation", "Condensation", "Precipitation"))
    images = slides.render_slide_images(
        slide,
        topic="Water",
        total=4,
        language="english",
        theme="ocean",
        size=(1280, 720),
        out_dir=tmp_path / "frames",
        reveal=True,
    )
    assert images.slide_number == 2
    assert [p.name for p in images.frames] == [f"slide_02_{j:02d}.png" for j in range(3)]
    data = [p.read_bytes() for p in images.frames]
    assert len(set(data)) == 3
    # Frame j is exactly the slide with bullets 0..j shown.
    for j, path in enumerate(images.frames):
        expected = render(slide, theme="ocean", total=4, visible_bullets=j + 1)
        with Image.open(path) as frame:
            assert ImageChops.difference(frame.convert("RGB"), expected).getbbox() is None


def test_no_reveal_or_single_bullet_gives_one_frame(tmp_path: Path) -> None:
    options = {"topic": "Water", "total": 4, "language": "english", "theme": "classic"}
    many = make_slide(2, "Water", ("One", "Two", "Three"))
    one = make_slide(3, "Water", ("Only",))
    plain = slides.render_slide_images(
        many,
        size=(720, 1280),
        out_dir=tmp_path,
        reveal=False,
        **options,  # type: ignore[arg-type]
    )
    single = slides.render_slide_images(
        one,
        size=(720, 1280),
        out_dir=tmp_path,
        reveal=True,
        **options,  # type: ignore[arg-type]
    )
    assert [p.name for p in plain.frames] == ["slide_02_00.png"]
    assert [p.name for p in single.frames] == ["slide_03_00.png"]
    with Image.open(plain.frames[0]) as frame:
        assert frame.size == (720, 1280)


def test_visible_bullets_hides_later_items() -> None:
    slide = make_slide(2, "Water", ("One", "Two"))
    assert png_bytes(render(slide, visible_bullets=0)) != png_bytes(
        render(slide, visible_bullets=1)
    )
    assert png_bytes(render(slide, visible_bullets=2)) == png_bytes(render(slide))
    assert png_bytes(render(slide, visible_bullets=9)) == png_bytes(render(slide))
    with pytest.raises(ValueError, match="negative"):
        render(slide, visible_bullets=-1)


def test_title_slide_differs_from_content_slide() -> None:
    bullets = ("Evaporation", "Rain")
    title = render(make_slide(1, "The Water Cycle", bullets))
    content = render(make_slide(2, "The Water Cycle", bullets))
    assert ImageChops.difference(title, content).getbbox() is not None


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    title, first, second = SAMPLES["hindi"]
    slide = make_slide(2, title, (first, second))
    assert png_bytes(render(slide, "hindi")) == png_bytes(render(slide, "hindi"))
    runs = [
        slides.render_slide_images(
            slide,
            topic="जल",
            total=3,
            language="hindi",
            theme="sunset",
            size=(1080, 1080),
            out_dir=tmp_path / str(attempt),
            reveal=True,
        )
        for attempt in range(2)
    ]
    first_bytes = [p.read_bytes() for p in runs[0].frames]
    assert first_bytes == [p.read_bytes() for p in runs[1].frames]


_RENDER_IN_CHILD = """
import sys
from videogen.media import slides
from videogen.media.models import Slide
body = "- يتبخر ماء البحر (sea)"
slide = Slide(slide_number=2, title="دورة الماء", content_text=body, duration=1)
image = slides.render_slide(
    slide, topic="ماء", total=3, language="arabic", theme="midnight", size=(720, 1280)
)
image.save(sys.stdout.buffer, format="PNG", compress_level=1)
"""


def test_rendering_is_deterministic_across_processes() -> None:
    """A fresh process (cold caches, another hash seed) draws the very same bytes."""
    slide = make_slide(2, "دورة الماء", content="- يتبخر ماء البحر (sea)")
    here = render(slide, "arabic", topic="ماء", total=3, theme="midnight", size=(720, 1280))
    root = Path(fonts.__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", _RENDER_IN_CHILD], cwd=root, env=env, capture_output=True, check=True
    )
    assert child.stdout == png_bytes(here)


@pytest.mark.parametrize("size", SIZES)
def test_every_theme_renders_differently(size: tuple[int, int]) -> None:
    slide = make_slide(2, "Water", ("One", "Two"))
    rendered = {png_bytes(render(slide, theme=theme, size=size)) for theme in THEMES}
    assert len(rendered) == len(THEMES)
    assert set(slides.THEME_STYLES) == set(THEMES)
