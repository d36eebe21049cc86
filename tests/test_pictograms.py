"""The pictogram matcher (`media.pictograms.match`) on the labelled set and on the cases tag
matching gets wrong, its data file, drawing OpenMoji emoji and Lucide icons, and the offline
writer's pictogram visuals (`media.writer.pictograms`)."""

from __future__ import annotations

import tomllib
from importlib import resources

import emoji
import pytest

from bench.pictograms import load_labels, score
from videogen.media import slides
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.models import Content, GenerationRequest, Slide, Visual, VisualData
from videogen.media.pictograms.emoji_glyphs import emoji_image
from videogen.media.pictograms.errors import PictogramMissingError
from videogen.media.pictograms.icons import icon_image, icon_names
from videogen.media.pictograms.match import THRESHOLD, match_pictogram
from videogen.media.writer import OfflineWriter
from videogen.media.writer.drafts import Draft
from videogen.media.writer.pictograms import PICTURED_LAYOUTS, with_pictograms

GOAL_PRECISION = 0.9
# Coverage measured when the matcher was written (0.88 overall); a drop below this means the
# matcher shows far fewer pictures than it did.
MIN_COVERAGE = 0.75


def test_precision_on_the_labelled_set_meets_the_goal() -> None:
    rows = load_labels()
    assert len(rows) >= 100
    result = score(rows)
    assert result.precision >= GOAL_PRECISION, result.wrong
    assert result.coverage >= MIN_COVERAGE


def test_precision_on_the_held_out_part_meets_the_goal() -> None:
    held = [r for r in load_labels() if r["split"] == "held"]
    assert len(held) >= 50
    assert score(held).precision >= GOAL_PRECISION


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Machine learning", "english"),  # not a washing machine
        ("Maschinelles Lernen", "german"),
        ("Apprentissage automatique", "french"),
    ],
)
def test_a_whole_phrase_wins_over_the_words_inside_it(title: str, language: str) -> None:
    found = match_pictogram(title, language)
    assert found is not None
    assert found.what == "🤖"


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("String theory", "english"),  # no thread
        ("Sagittarius A*", "english"),  # a black hole, not the zodiac sign
        ("Les tremblements de terre", "french"),  # not the globe
        ("Introduction", "english"),
        ("Key takeaways", "english"),
        ("Zusammenfassung", "german"),
        ("Studies of volcanoes and oceans", "english"),  # two pictures as likely: none
    ],
)
def test_nothing_is_shown_when_nothing_fits(title: str, language: str) -> None:
    assert match_pictogram(title, language) is None


def test_names_in_the_slides_language_come_from_the_emoji_package() -> None:
    # "Sloth" is in no curated table: the emoji package's English name matches it.
    found = match_pictogram("Sloth", "english")
    assert found is not None
    assert (found.what, found.kind) == ("🦥", "emoji")
    assert found.confidence >= THRESHOLD
    # A flag by its country's name, in the language of the slide.
    found = match_pictogram("Histoire de l'Italie", "french")
    assert found is not None
    assert found.what == "🇮🇹"


def test_the_head_noun_decides_between_two_pictures() -> None:
    found = match_pictogram("Smallpox vaccine", "english")
    assert found is not None
    assert found.what == "💉"


def test_an_icon_is_named_without_its_prefix() -> None:
    found = match_pictogram("Atomic nucleus", "english")
    assert found is not None
    assert (found.kind, found.what) == ("icon", "atom")


def test_an_unknown_language_matches_nothing() -> None:
    assert match_pictogram("Volcano", "klingon") is None


def test_every_curated_picture_can_be_drawn() -> None:
    text = resources.files("videogen.media").joinpath("data/pictograms/vocabulary.toml")
    data = tomllib.loads(text.read_text(encoding="utf-8"))
    names = icon_names()
    for language, table in data["phrases"].items():
        for phrase, what in table.items():
            if what.startswith("lucide:"):
                assert what.removeprefix("lucide:") in names, (language, phrase, what)
            else:
                assert what in emoji.EMOJI_DATA, (language, phrase, what)


def test_an_emoji_is_drawn_in_colour_filling_its_square() -> None:
    image = emoji_image("🌋", 120)
    assert image.size == (120, 120)
    assert image.mode == "RGBA"
    box = image.getbbox()
    assert box is not None
    assert box[2] - box[0] >= 100 or box[3] - box[1] >= 100
    pixels = image.get_flattened_data()
    colours = {pixel[:3] for pixel in pixels if isinstance(pixel, tuple) and pixel[3] == 255}
    assert len(colours) > 8  # colour layers, not a one-colour mask


def test_an_icon_is_stroked_in_the_colour_asked_for() -> None:
    image = icon_image("atom", 96, "#ff0000")
    assert image.size == (96, 96)
    inked = [p for p in image.get_flattened_data() if isinstance(p, tuple) and p[3] == 255]
    assert inked
    assert all(p[0] > 200 and p[1] < 60 and p[2] < 60 for p in inked)


def test_a_missing_icon_or_a_bad_colour_is_refused() -> None:
    with pytest.raises(PictogramMissingError):
        icon_image("no-such-icon", 64, "#ffffff")
    with pytest.raises(ValueError, match="rrggbb"):
        icon_image("atom", 64, "white")


def _water_cycle() -> Content:
    request = GenerationRequest(topic="Water cycle", num_slides=8, language="english")
    grounding = retrieve("Water cycle", "english", configured_sources(()), related=6)
    return OfflineWriter().write_content(request, grounding)


def test_the_offline_writer_pictures_content_slides_with_credits() -> None:
    content = _water_cycle()
    pictured = [
        (slide, visual)
        for slide in content.slides
        for visual in slide.visuals
        if visual.kind in {"emoji", "icon"}
    ]
    assert len(pictured) >= 3
    for slide, visual in pictured:
        assert slide.slide_number > 1
        assert slide.layout in PICTURED_LAYOUTS
        expected = ("OpenMoji", "CC BY-SA 4.0") if visual.kind == "emoji" else ("Lucide", "ISC")
        assert (visual.source, visual.license) == expected
        assert match_pictogram(slide.title, "english") is not None
    whats = [visual.what for _, visual in pictured]
    assert len(whats) == len(set(whats))  # each pictogram once per deck


def test_slides_that_frame_or_draw_a_diagram_get_no_pictogram() -> None:
    drafts = [
        Draft("Volcano", "", "", layout="title"),
        Draft("Lava", "- Hot", "Hot.", ("Hot",), layout="bullets"),
        Draft("Lava flows", "- Slow", "Slow.", ("Slow",), layout="bullets"),  # 🌋 again
        Draft("Eruption", "", "", layout="process"),
        Draft("Magma", "", "", layout="sources"),
    ]
    out = with_pictograms(drafts, "english")
    assert [len(d.visuals) for d in out] == [0, 1, 0, 0, 0]
    assert out[1].visuals[0].what == "🌋"


_BULLETS = (
    "Magma rises from the mantle through cracks in the crust",
    "At the surface it erupts as lava",
    "Lava flows cool into new rock",
)
_SHAPES = ((1280, 720), (720, 1280), (1080, 1080))


def _pictured_slide(
    visual: Visual | None, *, title: str = "Lava", bullets: tuple[str, ...] = _BULLETS
) -> Slide:
    return Slide(
        slide_number=2,
        title=title,
        content_text="",
        duration=4.0,
        bullets=bullets,
        visuals=(visual,) if visual is not None else (),
    )


_EMOJI = Visual(kind="emoji", what="🌋", source="OpenMoji", license="CC BY-SA 4.0")
_ICON = Visual(kind="icon", what="atom", source="Lucide", license="ISC")


@pytest.mark.parametrize("size", _SHAPES)
@pytest.mark.parametrize("visual", [_EMOJI, _ICON], ids=["emoji", "icon"])
@pytest.mark.parametrize("theme", ["classic", "midnight"])
def test_a_pictogram_is_drawn_in_its_box_beside_or_above_the_bullets(
    size: tuple[int, int], visual: Visual, theme: str
) -> None:
    slide = _pictured_slide(visual)
    layout = slides.layout_slide(slide, topic="Volcano", total=6, language="english", size=size)
    picture = layout.picture
    assert picture is not None
    assert (picture.kind, picture.what) == (visual.kind, visual.what)
    box = picture.box
    assert box.inside(layout.safe)
    assert box.right - box.left >= min(size) * 0.12  # big enough to read
    assert not layout.truncated
    for line in layout.lines:
        assert line.box.inside(layout.safe)
        assert not line.box.overlaps(box), line.text
    body = [line for line in layout.lines if line.role == "body"]
    if size[1] > size[0] * 1.2:
        assert all(line.box.top >= box.bottom for line in body)  # above the bullets
    else:
        assert all(line.box.right <= box.left for line in body)  # beside them
    image = slides.render_slide(
        slide, topic="Volcano", total=6, language="english", theme=theme, size=size
    )
    plain = slides.render_slide(
        _pictured_slide(None), topic="Volcano", total=6, language="english", theme=theme, size=size
    )
    # The pictogram's box is not background: compare with the same pixels on a slide without it
    # (whose text does not reach there: the body is narrower or lower with a picture).
    centre = ((box.left + box.right) // 2, (box.top + box.bottom) // 2)
    assert image.getpixel(centre) != plain.getpixel(centre)
    crop = image.crop((box.left, box.top, box.right, box.bottom))
    colours = crop.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # a drawing, not a flat patch


def test_a_right_to_left_slide_has_its_pictogram_on_the_left() -> None:
    slide = _pictured_slide(_EMOJI, title="الحمم", bullets=("الصهارة ترتفع من الوشاح", "تثور"))
    layout = slides.layout_slide(slide, topic="بركان", total=6, language="arabic", size=(1280, 720))
    assert layout.picture is not None
    body = [line for line in layout.lines if line.role == "body"]
    assert body
    assert all(line.box.left >= layout.picture.box.right for line in body)


def test_a_slide_whose_text_would_shrink_is_drawn_without_its_pictogram() -> None:
    long = tuple(
        f"Point {k}: evaporation, condensation and precipitation move water around the planet"
        for k in range(8)
    )
    with_picture = slides.layout_slide(
        _pictured_slide(_EMOJI, bullets=long),
        topic="Volcano",
        total=6,
        language="english",
        size=(1280, 720),
    )
    without = slides.layout_slide(
        _pictured_slide(None, bullets=long),
        topic="Volcano",
        total=6,
        language="english",
        size=(1280, 720),
    )
    assert with_picture.picture is None
    assert with_picture == without


def test_a_slide_without_a_pictogram_is_laid_out_as_before() -> None:
    plain = slides.layout_slide(
        _pictured_slide(None), topic="Volcano", total=6, language="english", size=(1280, 720)
    )
    assert plain.picture is None
    assert max(line.box.right for line in plain.lines if line.role == "body") > 1280 * 0.6


@pytest.mark.parametrize("size", _SHAPES)
def test_a_big_number_slide_draws_its_pictogram_beside_the_figure(size: tuple[int, int]) -> None:
    figure = Visual(
        kind="diagram",
        what="figure",
        data=VisualData(figure="97%", caption="of Earth's water is in the oceans"),
    )
    ocean = Visual(kind="emoji", what="🌊", source="OpenMoji", license="CC BY-SA 4.0")
    slide = Slide(
        slide_number=3,
        title="Ocean",
        content_text="",
        duration=4.0,
        bullets=("97% of Earth's water is in the oceans",),
        layout="big_number",
        visuals=(figure, ocean),
    )
    layout = slides.layout_slide(slide, topic="Water", total=8, language="english", size=size)
    assert layout.picture is not None
    assert layout.body is not None
    assert layout.picture.box.inside(layout.safe)
    assert not layout.body.overlaps(layout.picture.box)
    assert any(line.text == "97%" for line in layout.lines)
    for line in layout.lines:
        assert line.box.inside(layout.safe)
        assert not line.box.overlaps(layout.picture.box), line.text


def test_text_that_is_no_emoji_is_not_drawn_as_one() -> None:
    with pytest.raises(PictogramMissingError):
        emoji_image("hello", 64)
    # On a slide (edited content can hold any `what`) the picture is left out and the slide is
    # laid out as one without it.
    for odd in (Visual(kind="emoji", what="hello"), Visual(kind="icon", what="no-such-icon")):
        layout = slides.layout_slide(
            _pictured_slide(odd), topic="Volcano", total=6, language="english", size=(1280, 720)
        )
        plain = slides.layout_slide(
            _pictured_slide(None), topic="Volcano", total=6, language="english", size=(1280, 720)
        )
        assert layout == plain
