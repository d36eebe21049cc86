"""Brand kits (themes as data files, a request's own theme, logo, footer, title styles) and the
frame size at each resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from videogen.media.brand import (
    BUILTIN_THEMES,
    THEME_DIR,
    ThemeError,
    ThemeSpec,
    load_theme_dir,
    load_theme_file,
)
from videogen.media.models import (
    ASPECT_RATIOS,
    RESOLUTIONS,
    THEMES,
    GenerationRequest,
    Slide,
    frame_size,
)
from videogen.media.slides import render_slide
from videogen.media.slides.brand import brand_layout, logo_box
from videogen.media.slides.layout import layout_slide
from videogen.media.slides.themes import THEME_STYLES, theme_for

if TYPE_CHECKING:
    from pathlib import Path

    from quart.typing import TestClientProtocol

ASYNC = {"Content-Type": "application/json", "Prefer": "respond-async"}

# Today's four themes as they were written in code before they became files; since the quality
# report, the muted text of classic, ocean and sunset and sunset's accent meet WCAG AA (4.5:1 for
# the footer, 3:1 for the accent headings on their panels).
BEFORE = {
    "classic": (
        (255, 255, 255),
        (238, 243, 250),
        (31, 95, 191),
        (15, 39, 71),
        (43, 58, 79),
        (94, 110, 134),
        (220, 228, 240),
    ),
    "midnight": (
        (15, 23, 42),
        (30, 41, 59),
        (56, 189, 248),
        (248, 250, 252),
        (203, 213, 225),
        (148, 163, 184),
        (51, 65, 85),
    ),
    "ocean": (
        (4, 59, 80),
        (9, 104, 128),
        (94, 234, 212),
        (255, 255, 255),
        (224, 242, 241),
        (198, 224, 230),
        (14, 90, 112),
    ),
    "sunset": (
        (255, 246, 236),
        (255, 226, 204),
        (201, 78, 42),
        (61, 31, 20),
        (90, 58, 46),
        (130, 94, 81),
        (246, 210, 188),
    ),
}

COLORS = {
    "background_top": "#ffffff",
    "background_bottom": "#eef3fa",
    "accent": "#1f5fbf",
    "title": "#0f2747",
    "body": "#2b3a4f",
    "muted": "#5e6e86",
    "track": "#dce4f0",
}

SIZE = (1280, 720)


def slide(number: int, title: str = "Evaporation") -> Slide:
    return Slide(
        slide_number=number,
        title=title,
        content_text="Water warms. Vapour rises.",
        bullets=("Water warms in the sun", "Vapour rises into the air"),
        duration=5.0,
    )


def spec(**parts: Any) -> ThemeSpec:
    return ThemeSpec.model_validate({"colors": COLORS, **parts})


def write_theme(folder: Path, body: str) -> Path:
    path = folder / "brand.toml"
    path.write_text(body, encoding="utf-8")
    return path


def colour_block() -> str:
    return "[colors]\n" + "".join(f'{k} = "{v}"\n' for k, v in COLORS.items())


# -- resolution ---------------------------------------------------------------------------------

SIZES = {
    ("16:9", "720p"): (1280, 720),
    ("16:9", "1080p"): (1920, 1080),
    ("16:9", "2160p"): (3840, 2160),
    ("9:16", "720p"): (720, 1280),
    ("9:16", "1080p"): (1080, 1920),
    ("9:16", "2160p"): (2160, 3840),
    # 1:1 has always been 1080²: 720p keeps it, so today's square videos do not change.
    ("1:1", "720p"): (1080, 1080),
    ("1:1", "1080p"): (1080, 1080),
    ("1:1", "2160p"): (2160, 2160),
}


@pytest.mark.parametrize(("aspect", "resolution"), list(SIZES))
def test_frame_size_for_every_aspect_and_resolution(aspect: str, resolution: str) -> None:
    req = GenerationRequest(topic="t", aspect_ratio=aspect, resolution=resolution)  # type: ignore[arg-type]
    assert req.size == frame_size(aspect, resolution) == SIZES[aspect, resolution]


def test_every_aspect_and_resolution_is_covered_and_720p_is_the_default() -> None:
    assert set(SIZES) == {(a, r) for a in ASPECT_RATIOS for r in RESOLUTIONS}
    assert GenerationRequest(topic="t").size == (1280, 720)


@pytest.mark.parametrize("resolution", ["1080p", "2160p"])
def test_slides_scale_with_the_frame(resolution: str) -> None:
    """Margins, type and the layout's proportions follow the short side."""
    small = layout_slide(slide(2), topic="T", total=3, language="english", size=SIZE)
    big_size = frame_size("16:9", resolution)
    big = layout_slide(slide(2), topic="T", total=3, language="english", size=big_size)
    k = big_size[1] / SIZE[1]
    assert big.safe.left == round(small.safe.left * k)
    assert len(big.lines) == len(small.lines)
    for a, b in zip(small.lines, big.lines, strict=True):
        assert a.text == b.text
        assert abs(b.size - a.size * k) <= k + 1
        assert abs(b.box.top - a.box.top * k) <= 3 * k


async def test_options_list_resolutions(client: TestClientProtocol) -> None:
    options = await (await client.get("/api/options")).get_json()
    assert options["resolutions"] == ["720p", "1080p", "2160p"]
    assert options["themes"] == ["classic", "midnight", "ocean", "sunset"]


async def test_unknown_resolution_is_422_naming_it(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/generate", headers=ASYNC, json={"topic": "t", "resolution": "480p"}
    )
    assert response.status_code == 422
    detail = (await response.get_json())["detail"]
    assert [d["loc"] for d in detail] == [["body", "resolution"]]
    assert "1080p" in detail[0]["msg"]


# -- theme files --------------------------------------------------------------------------------


def test_builtin_theme_files_equal_todays_themes() -> None:
    assert THEMES == ("classic", "midnight", "ocean", "sunset")
    assert sorted(p.stem for p in THEME_DIR.glob("*.toml")) == list(THEMES)
    for name, colours in BEFORE.items():
        style = THEME_STYLES[name]
        got = (
            style.background_top,
            style.background_bottom,
            style.accent,
            style.title,
            style.body,
            style.muted,
            style.track,
        )
        assert (style.name, got) == (name, colours)
        assert style.title_bold and style.title_style == "centered"
        assert style.logo is None and not style.footer_text


def test_a_request_draws_its_named_theme_or_its_own() -> None:
    assert theme_for(GenerationRequest(topic="t", theme="ocean").style) == THEME_STYLES["ocean"]
    own = GenerationRequest(topic="t", theme_spec={"colors": {**COLORS, "accent": "#ff0000"}})  # type: ignore[arg-type]
    assert theme_for(own.style).accent == (255, 0, 0)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (colour_block().replace('"#1f5fbf"', '"blue"'), "colors.accent"),
        (colour_block().replace('track = "#dce4f0"\n', ""), "colors.track"),
        (colour_block() + 'sparkle = "#ffffff"\n', "colors.sparkle"),
        (colour_block() + '[title]\nstyle = "diagonal"\n', "title.style"),
        (colour_block() + '[title]\nweight = "heavy"\n', "title.weight"),
        (colour_block() + "[title]\nscale = 2.0\n", "title.scale"),
        (colour_block() + "[footer]\ntext = '" + "x" * 81 + "'\n", "footer.text"),
        ('name = "x"\n', "colors"),
        ("colors = [", "not valid TOML"),
    ],
)
def test_an_invalid_theme_file_names_the_key(tmp_path: Path, body: str, named: str) -> None:
    path = write_theme(tmp_path, body)
    with pytest.raises(ThemeError, match=rf"{path}.*{named}"):
        load_theme_file(path)


def test_a_theme_folder_holds_files_named_for_their_themes(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text('name = "b"\n' + colour_block(), encoding="utf-8")
    (tmp_path / "a.toml").write_text('name = "a"\n' + colour_block(), encoding="utf-8")
    assert list(load_theme_dir(tmp_path)) == ["a", "b"]
    (tmp_path / "c.toml").write_text('name = "other"\n' + colour_block(), encoding="utf-8")
    with pytest.raises(ThemeError, match=r"c\.toml: name: 'other'"):
        load_theme_dir(tmp_path)
    with pytest.raises(ThemeError, match="no theme files"):
        load_theme_dir(tmp_path / "empty")


def test_a_logo_that_is_not_a_png_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"GIF89a not a png")
    path = write_theme(tmp_path, 'logo = "logo.png"\n' + colour_block())
    with pytest.raises(ThemeError, match=r"logo: .* not a PNG"):
        load_theme_file(path)
    path = write_theme(tmp_path, 'logo = "missing.png"\n' + colour_block())
    with pytest.raises(ThemeError, match="logo: cannot read"):
        load_theme_file(path)


@pytest.mark.parametrize(
    ("theme_spec", "loc"),
    [
        ({"colors": {**COLORS, "accent": "blue"}}, ["body", "theme_spec", "colors", "accent"]),
        ({"colors": {**COLORS, "glow": "#000000"}}, ["body", "theme_spec", "colors", "glow"]),
        ({"colors": COLORS, "title": {"style": "x"}}, ["body", "theme_spec", "title", "style"]),
        ({}, ["body", "theme_spec", "colors"]),
        # A client may not make the server read a path.
        ({"colors": COLORS, "logo": "/etc/passwd"}, ["body", "theme_spec"]),
    ],
)
async def test_an_invalid_theme_spec_is_422_naming_the_key(
    client: TestClientProtocol, theme_spec: dict[str, Any], loc: list[str]
) -> None:
    response = await client.post(
        "/api/generate", headers=ASYNC, json={"topic": "t", "theme_spec": theme_spec}
    )
    assert response.status_code == 422
    detail = (await response.get_json())["detail"]
    assert [d["loc"] for d in detail] == [loc]


async def test_a_valid_theme_spec_is_accepted(client: TestClientProtocol) -> None:
    body = {"topic": "t", "theme_spec": {"colors": COLORS, "footer": {"text": "ACME"}}}
    response = await client.post("/api/generate", headers=ASYNC, json=body)
    assert response.status_code == 202


# -- what a brand kit draws ---------------------------------------------------------------------


def pixels(image: Image.Image) -> np.ndarray[Any, Any]:
    return np.asarray(image.convert("RGB")).astype(np.int16)


def draw(number: int, theme: str | ThemeSpec, topic: str = "Tides", lang: str = "english") -> Any:
    return pixels(
        render_slide(slide(number), topic=topic, total=3, language=lang, theme=theme, size=SIZE)
    )


def test_the_builtin_specs_draw_as_the_names_do() -> None:
    for name in THEMES:
        assert np.array_equal(draw(2, name), draw(2, BUILTIN_THEMES[name]))


@pytest.mark.parametrize("lang", ["english", "arabic"])
def test_a_logo_is_drawn_in_the_top_margin_of_every_slide(tmp_path: Path, lang: str) -> None:
    Image.new("RGB", (200, 100), (255, 0, 0)).save(tmp_path / "logo.png")
    themed = load_theme_file(write_theme(tmp_path, 'logo = "logo.png"\n' + colour_block()))
    assert themed.logo == (tmp_path / "logo.png").resolve()
    for number in (1, 2):
        plain, branded = draw(number, "classic", lang=lang), draw(number, themed, lang=lang)
        layout = layout_slide(slide(number), topic="Tides", total=3, language=lang, size=SIZE)
        box = logo_box(layout, (72, 36), rtl=lang == "arabic")  # 5 % of 720 high, 2:1
        assert box.bottom <= layout.safe.top  # the margin: never over text
        inner = branded[box.top + 2 : box.bottom - 2, box.left + 2 : box.right - 2]
        assert (np.abs(inner - (255, 0, 0)).max(axis=2) <= 2).all()
        # Nothing else changed.
        outside = np.ones(plain.shape[:2], bool)
        outside[box.top : box.bottom, box.left : box.right] = False
        assert np.array_equal(plain[outside], branded[outside])


def test_under_a_band_the_logo_shrinks_to_stay_in_the_margin(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), (255, 0, 0)).save(tmp_path / "logo.png")
    body = 'logo = "logo.png"\n' + colour_block() + '[title]\nstyle = "band"\n'
    image = draw(1, load_theme_file(write_theme(tmp_path, body)))
    red = np.argwhere(np.abs(image - (255, 0, 0)).max(axis=2) <= 2)
    band = round(720 * 0.035)
    layout = layout_slide(slide(1), topic="Tides", total=3, language="english", size=SIZE)
    assert len(red) > 300
    assert band < red[:, 0].min() and red[:, 0].max() < layout.safe.top
    assert (image[:band, :] == (31, 95, 191)).all()  # the band is whole


def test_footer_text_replaces_or_joins_the_topic() -> None:
    replaced = spec(footer={"text": "ACME Learning", "mode": "replace"})
    joined = spec(footer={"text": "ACME Learning"})
    assert np.array_equal(draw(2, replaced), draw(2, "classic", topic="ACME Learning"))
    assert np.array_equal(draw(2, joined), draw(2, "classic", topic="ACME Learning · Tides"))
    assert not np.array_equal(draw(2, joined), draw(2, "classic"))
    # The title slide shows the topic, not the footer.
    assert np.array_equal(draw(1, replaced), draw(1, "classic"))


def test_title_styles_and_weight() -> None:
    left = spec(title={"style": "left"})
    layout = layout_slide(slide(1), topic="Tides", total=3, language="english", size=SIZE)
    moved = brand_layout(layout, theme_for(left))
    assert all(line.box.left == layout.safe.left for line in moved.lines)
    assert moved.rules[0].left == layout.safe.left
    assert not np.array_equal(draw(1, left), draw(1, "classic"))

    band = draw(1, spec(title={"style": "band"}))
    accent = (31, 95, 191)
    assert (band[0] == accent).all() and (band[-1] == accent).all()
    assert not (band[SIZE[1] // 2, 0] == accent).all()  # no side band

    regular = brand_layout(
        layout_slide(slide(2), topic="Tides", total=3, language="english", size=SIZE),
        theme_for(spec(title={"weight": "regular"})),
    )
    titles = [line for line in regular.lines if line.role == "title"]
    assert titles and not any(line.bold for line in titles)
    assert all(line.box.inside(regular.safe) for line in regular.lines)


@pytest.mark.parametrize("number", [1, 2])
def test_title_scale_scales_the_title_type(number: int) -> None:
    def title_size(scale: float) -> int:
        style = theme_for(spec(title={"scale": scale}))
        layout = layout_slide(
            slide(number, "Tides"),
            topic="Sea",
            total=3,
            language="english",
            size=SIZE,
            title_scale=style.title_scale,
        )
        sizes = {line.size for line in layout.lines if line.role == "title"}
        assert len(sizes) == 1 and all(line.box.inside(layout.safe) for line in layout.lines)
        return sizes.pop()

    base = title_size(1.0)
    assert abs(title_size(1.25) - base * 1.25) <= 1
    assert abs(title_size(0.8) - base * 0.8) <= 1
    assert not np.array_equal(draw(number, spec(title={"scale": 1.25})), draw(number, "classic"))


def test_a_client_logo_is_refused_but_a_theme_file_may_name_one(tmp_path: Path) -> None:
    Image.new("RGB", (10, 10)).save(tmp_path / "logo.png")
    themed = load_theme_file(write_theme(tmp_path, 'logo = "logo.png"\n' + colour_block()))
    data = {"topic": "t", "theme_spec": themed.model_dump()}
    with pytest.raises(ValidationError, match="theme file"):
        GenerationRequest.model_validate(data)
    req = GenerationRequest.model_validate(data, context={"theme_file": True})
    assert req.style.logo == themed.logo
