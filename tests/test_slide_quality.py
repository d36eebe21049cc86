"""The per-slide quality report (`media.slides.quality`): every layout at every aspect ratio in
four scripts (Latin, Devanagari, right-to-left Arabic, CJK) renders with no overflow, no tofu and
no contrast failure in the built-in themes; and each detector fires on a slide made to fail it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

import pytest

from videogen.media.brand import ThemeSpec
from videogen.media.models import ASPECT_RATIOS, THEMES, Slide
from videogen.media.slides import Box, layout_slide, render_slide_images, theme_for
from videogen.media.slides.layouts.common import lowered
from videogen.media.slides.paint import _backdrop, _colour, draw_line, slide_report
from videogen.media.slides.quality import READABLE, contrast_ratio, slide_quality

from .test_layouts import _SAMPLES, diagram_slide

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.models import Layout, SlideQuality
    from videogen.media.slides import SlideLayout

# The aspect ratios at half their 720p size: the layout scales with the short side, so the
# verdicts are those of 720p at a quarter of the pixels.
SIZES: Final = {name: (w // 2, h // 2) for name, (w, h) in ASPECT_RATIOS.items()}
SCRIPTS: Final = ["english", "hindi", "arabic", "chinese"]
LAYOUTS: Final = [
    "title", "bullets", "big_number", "comparison", "process", "cycle", "timeline", "chart",
    "quote", "summary", "sources",
]  # fmt: skip
_TEXT: Final[dict[str, dict[str, object]]] = {
    "english": {
        "bullets": ("Water evaporates from the ocean", "Clouds form as vapour cools",
                    "Rain and snow return it to the land"),
        "sources": ("Text from Wikipedia, CC BY-SA 4.0",
                    "Water cycle — https://en.wikipedia.org/wiki/Water_cycle (CC BY-SA 4.0)"),
    },
    "hindi": {
        "bullets": ("महासागर से पानी भाप बनता है", "भाप ठंडी होकर बादल बनती है",
                    "वर्षा पानी को धरती पर लौटाती है"),
        "sources": ("विकिपीडिया से पाठ, CC BY-SA 4.0",
                    "जल चक्र — https://hi.wikipedia.org/wiki/जल_चक्र (CC BY-SA 4.0)"),
    },
    "arabic": {
        "bullets": ("يتبخر الماء من المحيط", "تتكون الغيوم عندما يبرد البخار",
                    "يعيد المطر الماء إلى اليابسة"),
        "sources": ("نص من ويكيبيديا، CC BY-SA 4.0",
                    "دورة الماء — https://ar.wikipedia.org/wiki/دورة_الماء (CC BY-SA 4.0)"),
    },
    "chinese": {
        "bullets": ("海洋中的水蒸发", "水蒸气冷却形成云", "雨雪把水带回陆地"),
        "sources": ("文字来自维基百科，CC BY-SA 4.0",
                    "水循环 — https://zh.wikipedia.org/wiki/水循环 (CC BY-SA 4.0)"),
    },
}  # fmt: skip


def layout_slide_of(kind: str, language: str) -> Slide:
    """A slide of layout `kind` in `language`, built with its visuals as the writers build it."""
    if kind in {"big_number", "comparison", "process", "cycle", "timeline", "chart", "quote"}:
        return diagram_slide(kind, language)
    text = _TEXT[language]
    title = str(_SAMPLES[language]["title"])
    if kind == "title":
        return Slide(
            slide_number=1, title=title, content_text="", duration=5.0,
            bullets=(str(text["bullets"][0]),), layout="title",  # type: ignore[index]
        )  # fmt: skip
    layout: Layout = (
        "sources" if kind == "sources" else "summary" if kind == "summary" else "bullets"
    )
    bullets = text["sources"] if kind == "sources" else text["bullets"]
    assert isinstance(bullets, tuple)
    return Slide(
        slide_number=8 if kind == "sources" else 3, title=title, content_text="",
        duration=5.0, bullets=bullets, layout=layout,
    )  # fmt: skip


def report(
    slide: Slide, language: str, size: tuple[int, int], theme: str | ThemeSpec
) -> SlideQuality:
    return slide_report(slide, topic="Water", total=8, language=language, theme=theme, size=size)


@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("aspect", list(SIZES))
@pytest.mark.parametrize("kind", LAYOUTS)
def test_every_layout_at_every_aspect_in_every_script_passes(
    kind: str, aspect: str, language: str
) -> None:
    slide = layout_slide_of(kind, language)
    for theme in THEMES:
        quality = report(slide, language, SIZES[aspect], theme)
        assert quality.ok, (theme, [(i.kind, i.detail) for i in quality.issues])


# --- each detector fires when it should ----------------------------------------------------------

CLASSIC: Final = {
    "background_top": "#ffffff", "background_bottom": "#eef3fa", "accent": "#1f5fbf",
    "title": "#0f2747", "body": "#2b3a4f", "muted": "#5e6e86", "track": "#dce4f0",
}  # fmt: skip
WIDE: Final = SIZES["16:9"]


def kinds(quality: SlideQuality) -> list[str]:
    return [issue.kind for issue in quality.issues]


def bullets(*texts: str, title: str = "Water") -> Slide:
    return Slide(slide_number=3, title=title, content_text="", duration=5.0, bullets=texts)


def test_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((40, 80, 120), (40, 80, 120)) == 1.0


def test_faint_body_text_fails_contrast_and_names_its_role() -> None:
    faint = ThemeSpec.model_validate({"colors": {**CLASSIC, "body": "#e6e6e6"}})
    quality = report(bullets("Water evaporates", "Clouds form"), "english", WIDE, faint)
    assert not quality.ok and kinds(quality) == ["contrast"]
    assert quality.issues[0].detail.startswith("body text at 1.")
    # Body type on a 16:9 slide is large text in WCAG's terms: 3:1 is the bar.
    assert quality.issues[0].detail.endswith("under AA 3:1")


def test_faint_footer_text_fails_the_small_text_bar() -> None:
    faint = ThemeSpec.model_validate({"colors": {**CLASSIC, "muted": "#a0a8b4"}})
    quality = report(bullets("Water evaporates"), "english", WIDE, faint)
    assert [issue.detail[:10] for issue in quality.issues] == ["muted text"]
    assert quality.issues[0].detail.endswith("under AA 4.5:1")


def test_contrast_is_measured_on_the_background_under_the_text() -> None:
    # Dark at the top, light at the bottom: white title on the dark top reads; the white footer
    # on the light bottom does not.
    colours = {**CLASSIC, "background_top": "#000000", "background_bottom": "#ffffff"}
    spec = ThemeSpec.model_validate({"colors": {**colours, "title": "#ffffff", "muted": "#ffffff"}})
    quality = report(bullets("Water evaporates"), "english", WIDE, spec)
    details = [issue.detail for issue in quality.issues if issue.kind == "contrast"]
    assert any(d.startswith("muted text") for d in details), details
    assert not any(d.startswith("title text") for d in details), details


def test_a_character_no_font_has_is_tofu() -> None:
    quality = report(bullets("Water \U0010fffd evaporates"), "english", WIDE, "classic")
    assert kinds(quality) == ["tofu"]
    assert "U+10FFFD" in quality.issues[0].detail and "body" in quality.issues[0].detail


def test_a_rare_script_in_a_title_is_tofu_in_the_bold_face() -> None:
    # Runes: no face of the Latin chain draws them.
    quality = report(bullets("Water", title="ᚠᚢᚦᚨᚱᚲ"), "english", WIDE, "classic")
    tofu = [issue.detail for issue in quality.issues if issue.kind == "tofu"]
    assert tofu and all("title" in detail for detail in tofu)


def test_an_overlong_unbreakable_word_is_an_overflow() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    quality = report(bullets(word, "Short point"), "english", WIDE, "classic")
    assert kinds(quality) == ["overflow"]
    assert "word broken across lines" in quality.issues[0].detail


def test_a_long_url_broken_after_a_slash_is_not_an_overflow() -> None:
    url = "https://en.wikipedia.org/wiki/Water_cycle_and_the_hydrological_balance_of_the_planet"
    slide = bullets(f"Water cycle — {url}")
    layout = layout_slide(slide, topic="Water", total=8, language="english", size=SIZES["9:16"])
    lines = [line.text for line in layout.lines if line.role == "body"]
    assert len(lines) > 2 and any(line.endswith("/") for line in lines), lines
    assert report(slide, "english", SIZES["9:16"], "classic").ok


def test_text_cut_with_an_ellipsis_is_an_overflow() -> None:
    many = tuple(f"Point {k}: evaporation, condensation and precipitation" for k in range(30))
    quality = report(bullets(*many), "english", WIDE, "classic")
    assert "overflow" in kinds(quality)
    assert any("ellipsis" in issue.detail for issue in quality.issues)


def _checked(layout: SlideLayout, theme: str = "classic") -> SlideQuality:
    """The report of a layout changed by hand, painted as the painter paints it."""
    style = theme_for(theme)
    return slide_quality(
        bullets("x"),
        layout,
        style,
        _backdrop(layout, style),
        colour_of=_colour,
        draw_line=draw_line,
    )


def _drawn(size: tuple[int, int] = WIDE) -> SlideLayout:
    slide = bullets("Water evaporates from the ocean", "Clouds form")
    return layout_slide(slide, topic="Water", total=8, language="english", size=size)


def test_the_drawn_layout_itself_is_clean() -> None:
    assert _checked(_drawn()).ok


def test_type_below_the_readable_size_is_shrunk() -> None:
    layout = _drawn()
    small = round(min(WIDE) * READABLE) - 1
    lines = tuple(replace(ln, size=small) if ln.role == "body" else ln for ln in layout.lines)
    quality = _checked(replace(layout, lines=lines))
    assert kinds(quality) == ["shrunk"]
    assert quality.issues[0].detail.startswith(f"body text at {small} px")


def test_ink_leaving_the_safe_area_is_an_overflow() -> None:
    layout = _drawn()
    first = next(i for i, line in enumerate(layout.lines) if line.role == "body")
    lines = list(layout.lines)
    lines[first] = lowered(lines[first], layout.safe.bottom - lines[first].box.top - 4)
    quality = _checked(replace(layout, lines=tuple(lines)))
    assert "overflow" in kinds(quality)
    assert any("leaves the safe area" in issue.detail for issue in quality.issues)


def test_a_shape_leaving_the_body_box_is_an_overflow() -> None:
    slide = diagram_slide("process", "english")
    layout = layout_slide(slide, topic="Water", total=8, language="english", size=WIDE)
    assert layout.body is not None and _checked(layout).ok
    shape = layout.shapes[0]
    box = shape.box
    moved = replace(shape, box=Box(box.left, box.top, layout.width + 10, box.bottom))
    quality = _checked(replace(layout, shapes=(moved, *layout.shapes[1:])))
    assert [i.detail for i in quality.issues if i.kind == "overflow"] == [
        f"a {shape.kind} leaves its box: {moved.box}"
    ]


def test_the_report_comes_with_the_frames(tmp_path: Path) -> None:
    images = render_slide_images(
        bullets("Water \U0010fffd evaporates"), topic="Water", total=8, language="english",
        theme="classic", size=WIDE, out_dir=tmp_path, reveal=False,
    )  # fmt: skip
    assert kinds(images.quality) == ["tofu"] and not images.quality.ok
