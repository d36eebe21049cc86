"""Exports: the PPTX, the PDF and the ZIP bundle, read back; and `/api/export/` over HTTP.

The media tests draw decks written by the offline writer (plus diagram slides) and read the
files back with python-pptx, pypdf and zipfile. The route tests run the app on its real
registry and store, on fake media whose content and script come from the real offline writer,
so the exports are drawn from a real deck (only speech and the encode are fake: the "video"
is bytes, which is all the ZIP needs).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import trio
from pptx import Presentation
from pypdf import PdfReader

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.test_layouts import diagram_slide
from tests.test_routes import owner, read_stream, sse_events, start_owned, wait_done
from videogen.actors.adapters import exports as export_adapter
from videogen.cli.main import export_list, main
from videogen.media.exports import plan_bundle, write_pdf, write_pptx
from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.models import Content, GenerationRequest, Script
from videogen.media.writer.offline import OfflineWriter

if TYPE_CHECKING:
    from pathlib import Path

    from quart.typing import TestClientProtocol

    from videogen.actors.adapters.writers import Progress
    from videogen.media.knowledge.model import Grounding

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def deck(slides: int = 5, **fields: Any) -> tuple[Content, Script, GenerationRequest]:
    """An offline deck whose third slide is a process diagram (a picture body)."""
    request = GenerationRequest.model_validate(
        {"topic": "Photosynthesis", "num_slides": slides, **fields}
    )
    writer = OfflineWriter()
    content = writer.write_content(request)
    diagram = diagram_slide("process", "english").model_copy(update={"slide_number": 3})
    changed = tuple(diagram if s.slide_number == 3 else s for s in content.slides)
    content = content.model_copy(update={"slides": changed})
    return content, writer.write_script(request, content), request


def _words(text: str) -> str:
    return " ".join(text.split())


# -- PPTX ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ratio", "expected"), [("16:9", 16 / 9), ("9:16", 9 / 16), ("1:1", 1.0)])
def test_pptx_has_a_slide_per_slide_titles_notes_and_the_videos_aspect(
    tmp_path: Path, ratio: str, expected: float
) -> None:
    content, script, request = deck(aspect_ratio=ratio)
    path = write_pptx(content, script, request, tmp_path / "deck.pptx")
    shown = Presentation(str(path))
    assert shown.slide_width is not None and shown.slide_height is not None
    assert shown.slide_width / shown.slide_height == pytest.approx(expected, rel=1e-3)
    assert min(shown.slide_width, shown.slide_height) == 6_858_000  # 7.5 in
    assert len(shown.slides) == len(content.slides)
    narration = {s.slide_number: s.narration_text for s in script.slide_scripts}
    for page, slide in zip(shown.slides, content.slides, strict=True):
        assert page.shapes.title is not None, slide.slide_number
        assert _words(page.shapes.title.text_frame.text) == _words(slide.title)
        notes = page.notes_slide.notes_text_frame
        assert notes is not None and notes.text == narration[slide.slide_number]
    assert not list(tmp_path.glob("*.part"))  # written aside, then renamed


def test_pptx_text_slides_are_editable_and_diagrams_are_pictures(tmp_path: Path) -> None:
    content, script, request = deck()
    shown = Presentation(str(write_pptx(content, script, request, tmp_path / "d.pptx")))
    bullets_page, diagram_page = shown.slides[1], shown.slides[2]
    texts = [s.text_frame.text for s in bullets_page.shapes if s.has_text_frame]
    body = content.slides[1].bullets
    assert body and all(any(_words(b) in _words(t) for t in texts) for b in body)
    bulleted = bullets_page.shapes[2].text_frame.paragraphs[0]._p.pPr
    assert bulleted is not None and bulleted.find(f"{{{bulleted.nsmap['a']}}}buChar") is not None
    # The diagram's step labels are in its picture, not text boxes; the title is still text.
    steps = content.slides[2].visuals[0].data.steps
    diagram_texts = " ".join(s.text_frame.text for s in diagram_page.shapes if s.has_text_frame)
    assert not any(step in diagram_texts for step in steps)
    pictures = [s for s in diagram_page.shapes if s.shape_type == 13]
    assert len(pictures) == 1 and pictures[0].width == shown.slide_width


def test_pptx_converts_with_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-impress")
    content, script, request = deck()
    path = write_pptx(content, script, request, tmp_path / "deck.pptx")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},  # its profile, not the user's
    )
    assert len(PdfReader(tmp_path / "deck.pdf").pages) == len(content.slides)


# -- PDF -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "resolution", "points"),
    [("16:9", "720p", (960, 540)), ("9:16", "1080p", (540, 960)), ("1:1", "720p", (540, 540))],
)
def test_pdf_has_a_page_per_slide_sized_from_the_frame(
    tmp_path: Path, ratio: str, resolution: str, points: tuple[int, int]
) -> None:
    content, script, request = deck(aspect_ratio=ratio, resolution=resolution)
    reader = PdfReader(write_pdf(content, script, request, tmp_path / "deck.pdf"))
    assert len(reader.pages) == len(content.slides)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(points)


def test_pdf_handout_adds_a_narration_page_after_each_slide(tmp_path: Path) -> None:
    content, script, request = deck(slides=3)
    reader = PdfReader(write_pdf(content, script, request, tmp_path / "h.pdf", handout=True))
    assert len(reader.pages) == 2 * len(content.slides)


# -- the ZIP's plan --------------------------------------------------------------------------


def _assemble(bundle: Any, start: int = 0, length: int | None = None) -> bytes:
    out = bytearray()
    for part in bundle.spans(start, bundle.size - start if length is None else length):
        if isinstance(part, bytes):
            out += part
        else:
            with part.path.open("rb") as f:
                f.seek(part.offset)
                out += f.read(part.length)
    return bytes(out)


def test_bundle_is_a_valid_stored_zip_and_any_range_of_it_is_its_bytes(tmp_path: Path) -> None:
    files = {"video.mp4": os.urandom(300_000), "a.json": b'{"x": 1}', "empty.vtt": b""}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    bundle = plan_bundle([(name, tmp_path / name) for name in files])
    whole = _assemble(bundle)
    assert len(whole) == bundle.size
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        assert archive.testzip() is None  # every member's CRC checks
        assert archive.namelist() == list(files)
        for info in archive.infolist():
            assert zlib.crc32(files[info.filename]) == info.CRC
            assert archive.read(info) == files[info.filename]
    for start, length in ((0, 10), (25, 300_000), (bundle.size - 7, 7), (40, 1)):
        assert _assemble(bundle, start, length) == whole[start : start + length]
    assert plan_bundle([(name, tmp_path / name) for name in files]).etag == bundle.etag


def test_bundle_refuses_repeated_names(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"a")
    with pytest.raises(ValueError, match="repeat"):
        plan_bundle([("a", tmp_path / "a"), ("a", tmp_path / "a")])


# -- /api/export/ ----------------------------------------------------------------------------


class OfflineDeckMedia(FakeMedia):
    """Fake speech and encoding, but the real offline writer's content and script."""

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        await self._work("write_content")
        return OfflineWriter().write_content(request)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        await self._work("write_script")
        return OfflineWriter().write_script(request, content)


@pytest.fixture
def media() -> FakeMedia:
    return OfflineDeckMedia(cost=0.01)


async def finished(client: TestClientProtocol, **fields: Any) -> tuple[str, str]:
    gid, token = await start_owned(client, "Photosynthesis", num_slides=4, **fields)
    events = await wait_done(client, gid)
    assert any(e["status"] == "completed" for e in events), events[-2:]
    return gid, token


async def test_pptx_route_serves_the_deck_with_narration_as_notes(
    client: TestClientProtocol,
) -> None:
    gid, _ = await finished(client)
    response = await client.get(f"/api/export/{gid}.pptx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == PPTX_TYPE
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert f'filename="{gid}.pptx"' in response.headers["Content-Disposition"]
    shown = Presentation(io.BytesIO(await response.get_data(as_text=False)))
    script = await (await client.get(f"/api/script/{gid}")).get_json()
    narration = [part["narration_text"] for part in script["slide_scripts"]]
    assert len(shown.slides) == 4
    frames = [page.notes_slide.notes_text_frame for page in shown.slides]
    notes = [frame.text if frame is not None else None for frame in frames]
    assert notes == narration


async def test_a_topic_in_another_script_is_a_valid_download_name(
    client: TestClientProtocol,
) -> None:
    gid, _ = await start_owned(client, "जल चक्र", num_slides=2, language="hindi")
    assert any(e["status"] == "completed" for e in await wait_done(client, gid))
    response = await client.get(f"/api/export/{gid}.pptx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote(gid + '.pptx', safe='')}" in disposition
    assert len(Presentation(io.BytesIO(await response.get_data(as_text=False))).slides) == 2


async def test_exports_answer_head_range_and_keep_their_etag(
    client: TestClientProtocol, tmp_path: Path
) -> None:
    gid, _ = await finished(client)
    for suffix in ("pptx", "pdf", "zip"):
        path = f"/api/export/{gid}.{suffix}"
        head = await client.head(path)
        assert head.status_code == 200
        assert head.headers["Accept-Ranges"] == "bytes"
        assert await head.get_data() == b""  # (Content-Length on HEAD: the test client drops it)
        whole = await client.get(path)
        body = await whole.get_data()
        size = int(whole.headers["Content-Length"])
        assert len(body) == size and whole.headers["ETag"] == head.headers["ETag"]
        part = await client.get(path, headers={"Range": "bytes=10-99"})
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 10-99/{size}"
        assert await part.get_data() == body[10:100]
        stale = await client.get(path, headers={"Range": "bytes=0-9", "If-Range": '"nope"'})
        assert stale.status_code == 200
        beyond = await client.get(path, headers={"Range": f"bytes={size}-"})
        assert beyond.status_code == 416
    folder = tmp_path / "generations" / gid
    assert (folder / f"{gid}.pptx").is_file() and (folder / f"{gid}.pdf").is_file()  # cached


async def test_pdf_route_has_a_page_per_slide_and_handout_pages_on_request(
    client: TestClientProtocol,
) -> None:
    gid, _ = await finished(client)
    plain = PdfReader(
        io.BytesIO(await (await client.get(f"/api/export/{gid}.pdf")).get_data(as_text=False))
    )
    assert len(plain.pages) == 4
    handout = await client.get(f"/api/export/{gid}.pdf?handout=1")
    assert len(PdfReader(io.BytesIO(await handout.get_data(as_text=False))).pages) == 8
    bad = await client.get(f"/api/export/{gid}.pdf?handout=yes")
    assert bad.status_code == 422
    assert "0, 1" in (await bad.get_json())["detail"]


async def test_zip_holds_every_file_with_its_checksum(
    client: TestClientProtocol, tmp_path: Path
) -> None:
    gid, _ = await finished(client)
    response = await client.get(f"/api/export/{gid}.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    folder = tmp_path / "generations" / gid
    with zipfile.ZipFile(io.BytesIO(await response.get_data(as_text=False))) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == f"{gid}.mp4"
        assert {
            f"{gid}.vtt",
            "chapters.vtt",
            "content.json",
            "script.json",
            f"{gid}.pptx",
            f"{gid}.pdf",
        } <= set(names)
        # The chapters track is stored under a plain name; on disk it sits beside the video.
        on_disk = {"chapters.vtt": f"{gid}.chapters.vtt"}
        for info in archive.infolist():
            data = (folder / on_disk.get(info.filename, info.filename)).read_bytes()
            assert zlib.crc32(data) == info.CRC and archive.read(info) == data


async def test_concurrent_first_requests_draw_the_export_once(
    client: TestClientProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    gid, _ = await finished(client)
    drawn: list[str] = []
    real = export_adapter._make

    def counting(document: Any, record: Any, path: Path) -> Path:
        drawn.append(document)
        return real(document, record, path)

    monkeypatch.setattr(export_adapter, "_make", counting)
    bodies: list[bytes] = []

    async def fetch() -> None:
        bodies.append(await (await client.get(f"/api/export/{gid}.pptx")).get_data(as_text=False))

    async with trio.open_nursery() as nursery:
        for _ in range(3):
            nursery.start_soon(fetch)
    assert drawn == ["pptx"]
    assert len(set(bodies)) == 1


async def test_exports_of_unknown_or_unfinished_generations_are_404_like_the_video(
    tmp_path: Path,
) -> None:
    media = OfflineDeckMedia(cost=0.01, block_at="encode")
    async with make_app(tmp_path, media).test_app() as app:
        client = app.test_client()
        gid, token = await start_owned(client, "Photosynthesis", num_slides=3)
        await media.reached.wait()
        for name in (f"{gid}.pptx", f"{gid}.pdf", f"{gid}.zip", "nope.pptx", f"{gid}.doc"):
            response = await client.get(f"/api/export/{name}")
            assert response.status_code == 404, name
            if name.endswith(("pptx", "pdf", "zip")):
                assert await response.get_json() == {"detail": f"Export not found: {name}"}
        video = await client.get(f"/api/video/{gid}.mp4")
        assert video.status_code == 404
        await client.post(f"/api/cancel/{gid}", headers=owner(token))


async def test_another_users_exports_are_404(tmp_path: Path) -> None:
    users = (("alice", "alice-key"), ("bob", "bob-key"))
    media = OfflineDeckMedia(cost=0.01)
    async with make_app(tmp_path, media, api_key="adm", api_keys=users).test_app() as app:
        client = app.test_client()
        alice = {"Authorization": "Bearer alice-key"}
        bob = {"Authorization": "Bearer bob-key"}
        gid, _ = await start_owned(client, "Photosynthesis", headers=alice, num_slides=3)
        events = await wait_done_as(client, gid, alice)
        assert any(e["status"] == "completed" for e in events)
        for suffix in ("pptx", "pdf", "zip"):
            theirs = await client.get(f"/api/export/{gid}.{suffix}", headers=bob)
            assert theirs.status_code == 404
            mine = await client.head(f"/api/export/{gid}.{suffix}", headers=alice)
            assert mine.status_code == 200


async def wait_done_as(
    client: TestClientProtocol, gid: str, headers: dict[str, str]
) -> list[dict[str, Any]]:
    return [e for _, e in sse_events(await read_stream(client, f"/api/progress/{gid}", headers))]


# -- the CLI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["docx", "pptx,odp", ",", "PDF,zip"])
def test_a_bad_export_value_exits_2_naming_the_allowed_ones(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["generate", "Topic", "--export", value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "allowed values are pptx, pdf" in err[0]


def test_export_values_are_read_case_and_space_insensitively() -> None:
    assert export_list(" PPTX , pdf,pptx") == ("pptx", "pdf")
