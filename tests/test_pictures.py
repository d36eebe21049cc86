"""Pictures from sources: a ZIM article's picture on the slide of its section, drawn with its
caption and credited; documents' inline pictures; the checks every picture passes."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from tests.zims import Page, write_zim
from videogen.media import slides
from videogen.media.knowledge.documents.html import read_html
from videogen.media.knowledge.documents.text import read_text_document
from videogen.media.knowledge.model import Found, Grounding, SourceRef
from videogen.media.knowledge.sources.zim import ZimSource
from videogen.media.models import GenerationRequest, Slide
from videogen.media.pictures import PictureError, checked, picture_name, save_pictures
from videogen.media.slides.geometry import Box
from videogen.media.slides.layout import layout_slide
from videogen.media.slides.layouts.image import fitted
from videogen.media.visuals import Visual, VisualData
from videogen.media.writer.offline import OfflineWriter
from videogen.media.writer.picture_credits import credit_lines, credit_visuals
from videogen.media.writer.pictures import deck_pictures

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.models import Layout

RED = (200, 30, 40)


def png(size: tuple[int, int] = (80, 40), colour: tuple[int, int, int] = RED) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


VOLCANO_HTML = (
    "<html><head><title>Volcano</title></head><body><h1>Volcano</h1>"
    "<p>A volcano is an opening in the crust of a planet. Hot magma rises from the mantle "
    "below it. Most volcanoes sit on the edges of tectonic plates.</p>"
    "<h2>Eruptions</h2><p>Explosive eruptions throw ash high into the sky. Effusive eruptions "
    "pour out slow rivers of lava. Some eruptions last for many years.</p>"
    "<h2>Kinds of volcano</h2><p>Shield volcanoes have gentle slopes of runny lava. "
    "Stratovolcanoes are steep cones of ash and lava. Cinder cones are the smallest kind.</p>"
    '<figure><img src="../I/cone.png" alt="a cone"><figcaption>A stratovolcano in Chile'
    "</figcaption></figure></body></html>"
)


@pytest.fixture(scope="module")
def volcano_zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zim") / "volcanoes.zim"
    return write_zim(
        path,
        [Page("Volcano", VOLCANO_HTML)],
        metadata={"License": "CC BY-SA 4.0", "Language": "eng"},
        images={"I/cone.png": ("image/png", png())},
    )


def zim_grounding(zim: Path) -> Grounding:
    document = ZimSource.open(zim).article("Volcano", "english")
    assert document is not None
    ref = SourceRef("s1", document.title, document.origin, document.license)
    return Grounding((Found(ref, document, 1.0, main=True),), ("volcanoes.zim",))


def test_a_zim_articles_picture_is_read_with_its_section_and_caption(volcano_zim: Path) -> None:
    (picture,) = zim_grounding(volcano_zim).found[0].document.pictures
    assert (picture.section, picture.caption, picture.alt) == (
        "Kinds of volcano",
        "A stratovolcano in Chile",
        "a cone",
    )
    assert picture.data == png()


def test_the_picture_goes_on_the_slide_of_its_section_with_caption_and_credit(
    volcano_zim: Path, tmp_path: Path
) -> None:
    grounding = zim_grounding(volcano_zim)
    request = GenerationRequest(topic="Volcano", num_slides=4)
    content = OfflineWriter().write_content(request, grounding)
    (slide,) = [s for s in content.slides if s.layout == "image"]
    assert slide.title == "Kinds of volcano"
    (visual,) = slide.visuals
    assert (visual.kind, visual.what, visual.source, visual.license) == (
        "image",
        "A stratovolcano in Chile",
        "Volcano",
        "CC BY-SA 4.0",
    )
    # The content names the picture by its bytes, never by a path.
    assert visual.data.picture == picture_name(png(), checked(png()))
    assert "/" not in visual.data.picture
    sources = content.slides[-1]
    assert sources.layout == "sources"
    assert "Pictures: Volcano, CC BY-SA 4.0" in sources.bullets
    # The script is planned from the same (credited) deck: no slide is narrated anew.
    script = OfflineWriter().write_script(request, content, grounding)
    assert "Pictures:" not in " ".join(s.narration_text for s in script.slide_scripts)

    # The renderer reads the picture from the work directory the writer stage wrote it to.
    assert save_pictures(deck_pictures(content, grounding), tmp_path) == 1
    (frame,) = slides.render_slide_images(
        slide,
        topic="Volcano",
        total=content.total_slides,
        language="english",
        theme="classic",
        size=(1280, 720),
        out_dir=tmp_path,
        reveal=False,
    ).frames
    layout = layout_slide(
        slide, topic="Volcano", total=content.total_slides, language="english", size=(1280, 720)
    )
    (shape,) = [s for s in layout.shapes if s.kind == "picture"]
    box = shape.box
    # Fitted without distortion: the box keeps the picture's 2:1.
    assert abs((box.right - box.left) / (box.bottom - box.top) - 2.0) < 0.05
    with Image.open(frame) as image:
        centre = image.convert("RGB").getpixel(
            ((box.left + box.right) // 2, (box.top + box.bottom) // 2)
        )
    assert centre == RED
    assert any("stratovolcano" in line.text for line in layout.lines)
    assert not layout.truncated


def test_without_the_picture_file_the_slide_still_draws(volcano_zim: Path, tmp_path: Path) -> None:
    grounding = zim_grounding(volcano_zim)
    content = OfflineWriter().write_content(
        GenerationRequest(topic="Volcano", num_slides=4), grounding
    )
    (slide,) = [s for s in content.slides if s.layout == "image"]
    image = slides.render_slide(
        slide, topic="Volcano", total=4, language="english", theme="classic", size=(1280, 720)
    )
    assert RED not in {colour for _, colour in image.getcolors(1 << 20) or ()}


def made(
    number: int,
    title: str,
    bullets: tuple[str, ...],
    visuals: tuple[Visual, ...],
    layout: Layout = "bullets",
) -> Slide:
    body = "\n".join(f"- {b}" for b in bullets) or title
    return Slide(
        slide_number=number,
        title=title,
        content_text=body,
        duration=5.0,
        bullets=bullets,
        layout=layout,
        visuals=visuals,
    )


def test_credits_one_line_per_source_and_licence_on_the_last_slide_without_sources() -> None:
    emoji = Visual(kind="emoji", what="volcano", source="OpenMoji", license="CC BY-SA 4.0")
    icon = Visual(kind="icon", what="flame", source="Lucide", license="ISC")
    photo = Visual(
        kind="image",
        what="A cone",
        data=VisualData(picture="x", caption="A cone"),
        source="Volcano",
        license="CC BY-SA 4.0",
    )
    deck = [
        made(1, "Volcanoes", (), (emoji,), layout="title"),
        made(2, "Lava", ("a", "b"), (emoji, icon)),
        made(3, "Cones", ("c",), (photo,)),
    ]
    assert credit_lines(deck) == [
        "Pictograms: OpenMoji, CC BY-SA 4.0",
        "Pictograms: Lucide, ISC",
        "Pictures: Volcano, CC BY-SA 4.0",
    ]
    # Without a Sources slide the deck is unchanged: each slide credits its picture in its
    # footer (tested with the drawing, test_a_pictured_slide_credits_it_in_its_footer).
    assert credit_visuals(deck) == deck
    # With a Sources slide, the credits go there and the last content slide keeps its bullets.
    sources = made(
        4, "Sources", ("Volcano — volcanoes.zim/Volcano (CC BY-SA 4.0)",), (), layout="sources"
    )
    with_sources = credit_visuals([*deck, sources])
    assert with_sources[2] == deck[2]
    assert with_sources[3].bullets == (*sources.bullets, *credit_lines(deck))
    assert credit_visuals(with_sources) == with_sources  # once only


def test_a_pictured_slide_credits_it_in_its_footer() -> None:
    from videogen.media.slides.layout import layout_slide

    emoji = Visual(kind="emoji", what="🌋", source="OpenMoji", license="CC BY-SA 4.0")
    pictured = made(2, "Lava", ("Lava is molten rock", "It cools into basalt"), (emoji,))
    plain = made(2, "Lava", ("Lava is molten rock", "It cools into basalt"), ())
    texts = {
        name: [line.text for line in layout_slide(
            slide, topic="Volcanoes", total=3, language="english", size=(1280, 720)
        ).lines]
        for name, slide in (("pictured", pictured), ("plain", plain))
    }  # fmt: skip
    assert "OpenMoji, CC BY-SA 4.0" in texts["pictured"]
    assert "Volcanoes" not in texts["pictured"]
    assert "Volcanoes" in texts["plain"]


def test_no_credits_leave_the_deck_as_it_was() -> None:
    deck = [made(1, "A", ("b",), (Visual(kind="emoji", what="rock"),))]
    assert credit_visuals(deck) == deck


def test_documents_keep_inline_pictures_and_captions() -> None:
    data = base64.b64encode(png()).decode()
    html = (
        "<h1>Notes</h1><p>Some words about rocks here.</p><h2>Rocks</h2><p>Rocks are hard.</p>"
        f'<figure><img src="data:image/png;base64,{data}" alt="a rock">'
        "<figcaption>Granite</figcaption></figure>"
    )
    (picture,) = read_html(html, origin="notes.html", license="provided by the user").pictures
    assert (picture.section, picture.caption, picture.data) == ("Rocks", "Granite", png())
    markdown = (
        f"# Notes\n\nAbout rocks.\n\n## Rocks\n\nHard.\n\n![a rock](data:image/png;base64,{data})\n"
    )
    (picture,) = read_text_document(
        markdown, title=None, origin="rocks.md", license="provided by the user"
    ).pictures
    assert (picture.section, picture.alt, picture.data) == ("Rocks", "a rock", png())
    broken = read_html(
        '<p>Text here.</p><img src="data:image/png;base64,AAAA" alt="x">',
        origin="x.html",
        license="l",
    )
    table = read_html(
        '<p>Text here.</p><img src="a.png" alt="x"><figure><table><tr><td>1</td></tr></table>'
        "<figcaption>Table 1</figcaption></figure>",
        origin="x.html",
        license="l",
    )
    assert table.pictures[0].caption == ""  # a table's caption is not the picture's
    assert broken.pictures == ()  # a broken inline picture is not kept (nor its address)


def test_checked_refuses_what_is_not_a_png_jpeg_or_webp() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    for bad, why in ((b"", "empty"), (b"not an image", "not a PNG"), (buffer.getvalue(), "GIF")):
        with pytest.raises(PictureError, match=why):
            checked(bad)
    with pytest.raises(PictureError, match="decode"):
        checked(png()[:60])
    assert checked(png()).format == "PNG"


def test_fitted_keeps_the_proportions() -> None:
    assert fitted(100, 50, Box(0, 0, 400, 400)) == Box(0, 100, 400, 300)
    assert fitted(50, 100, Box(0, 0, 400, 100)) == Box(175, 0, 225, 100)


async def test_the_writer_stage_writes_the_decks_pictures_where_the_slides_stage_reads_them(
    volcano_zim: Path, tmp_path: Path
) -> None:
    from typing import Any, cast

    from videogen.actors.stages.base import StageDeps
    from videogen.actors.stages.writer import write
    from videogen.media.pictures import PICTURES_DIR

    grounding = zim_grounding(volcano_zim)
    request = GenerationRequest(topic="Volcano", num_slides=4)

    class Media:
        """The two calls the writer stage makes, answered by the real offline writer."""

        writer_name = "offline"

        async def ground(self, request: GenerationRequest) -> Grounding:
            return grounding

        async def write_content(
            self, request: GenerationRequest, *, grounding: Grounding, progress: object
        ) -> object:
            return OfflineWriter().write_content(request, grounding)

    async def report(*args: object, **kwargs: object) -> None:
        return None

    deps = StageDeps(
        stage="writer",
        generation_id="g1",
        request=request,
        workdir=tmp_path,
        artifacts=cast("Any", None),
        media=cast("Any", Media()),
        report=report,
        node=cast("Any", None),
        budget=10.0,
    )
    drafted = await write(request, deps)
    (name,) = [
        v.data.picture for s in drafted.content.slides for v in s.visuals if v.kind == "image"
    ]
    assert (tmp_path / PICTURES_DIR / name).read_bytes() == png()


def jpeg(colour: tuple[int, int, int] = (20, 90, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), colour).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_a_pdfs_captioned_picture_is_kept_and_an_uncaptioned_one_is_not() -> None:
    import time

    from tests.pdfs import text_pdf
    from videogen.media.knowledge.documents.pdf import read_pdf

    pdf = text_pdf(
        [
            [("Lava", 18), "Lava is molten rock that reached the surface of the land."],
            [("Flows", 18), "Lava flows move slowly downhill.", "Figure 1: A lava flow at night"],
        ],
        jpegs={0: jpeg((200, 0, 0)), 1: jpeg()},
    )
    started = time.perf_counter()
    document = read_pdf(pdf, filename="lava.pdf", origin="lava.pdf", license="provided by the user")
    elapsed = time.perf_counter() - started
    (picture,) = document.pictures  # page 1's image has no caption: left out
    assert (picture.caption, picture.section, picture.src) == (
        "A lava flow at night",
        "Flows",
        "page 2",
    )
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.size == (64, 32)
    assert elapsed < 1.0  # measured: about 10 ms for this file


def test_a_zim_picture_that_does_not_decode_is_not_shown(tmp_path: Path) -> None:
    zim = write_zim(
        tmp_path / "broken.zim",
        [Page("Volcano", VOLCANO_HTML)],
        metadata={"License": "CC BY-SA 4.0", "Language": "eng"},
        images={"I/cone.png": ("image/png", png((400, 300))[:80])},  # its header, no body
    )
    grounding = zim_grounding(zim)
    content = OfflineWriter().write_content(
        GenerationRequest(topic="Volcano", num_slides=4), grounding
    )
    assert all(slide.layout != "image" for slide in content.slides)
    assert not any("Pictures:" in bullet for slide in content.slides for bullet in slide.bullets)
