"""Uploads and URL sources end to end: the store (atomic, nothing half-written), preparing a
request's sources at the edge, `POST /api/uploads` and the sources of `POST /api/generate` and
the WebSocket on the Quart-Trio test client, and URLs fetched from a real loopback server."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import trio

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.loopback import TEXT, serving
from tests.pdfs import encrypted_pdf, image_only_pdf, text_pdf
from tests.test_faults import Mount
from videogen.actors.adapters.fetch import AllowAlso, Fetcher
from videogen.actors.adapters.sources import (
    ONLINE_OFF,
    TEXT_ORIGIN,
    load_documents,
    prepare_sources,
)
from videogen.actors.adapters.uploads import UploadStore
from videogen.actors.errors import SourceRejected, UploadNotFound
from videogen.media.knowledge.errors import DocumentError
from videogen.media.models import GenerationRequest
from videogen.server.state import STATE_KEY, AppState

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    from quart.typing import TestAppProtocol, TestClientProtocol

    from tests.loopback import Loopback

MARKDOWN = (
    b"# Volcanoes\n\nMagma rises through the crust.\n\n## Lava\n\nLava is magma above ground.\n"
)
ASYNC = {"Prefer": "respond-async"}


def _files(store: UploadStore) -> list[str]:
    return sorted(p.name for p in store.root.iterdir()) if store.root.exists() else []


# --- the store --------------------------------------------------------------------------------


async def test_saved_upload_loads_back_as_the_same_document(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    info = await store.save("C:\\fakepath\\volcanoes.md", MARKDOWN, "text/markdown")
    assert len(info.upload_id) == 16 and info.upload_id.isalnum() and info.upload_id.islower()
    assert (info.filename, info.bytes, info.title) == ("volcanoes.md", len(MARKDOWN), "Volcanoes")
    assert _files(store) == [f"{info.upload_id}.json"]
    document = await store.load(info.upload_id)
    assert document.title == "Volcanoes"
    assert document.origin == "volcanoes.md"  # the name, never a path
    assert document.license == "provided by the user"
    assert [s.heading for s in document.sections] == [None, "Lava"]
    assert document.text == "Magma rises through the crust.\nLava is magma above ground."


async def test_a_document_that_does_not_parse_leaves_nothing(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(DocumentError, match="encrypted"):
        await store.save("s.pdf", encrypted_pdf([["x"]], user_password="pw"), "application/pdf")
    assert _files(store) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Mount]:
    mount = Mount(tmp_path / "small", "256k")
    yield mount
    mount.unmount()


async def test_a_full_disk_leaves_no_half_written_upload(small_disk: Mount) -> None:
    store = UploadStore(small_disk.path / "uploads")
    big = ("Lava flows. " * 40_000).encode()  # about 480 KB of JSON: more than the disk
    with pytest.raises(OSError, match="No space left"):
        await store.save("lava.txt", big, "text/plain")
    assert _files(store) == []
    info = await store.save("small.md", MARKDOWN, "text/markdown")  # and the store still works
    assert _files(store) == [f"{info.upload_id}.json"]


async def test_sweep_removes_what_a_crashed_write_left(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    assert store.sweep_temporary() == 0  # no folder yet
    info = await store.save("v.md", MARKDOWN, None)
    (store.root / f".{info.upload_id}x.json.0a1b2c3d.tmp").write_bytes(b'{"version": 1, "doc')
    assert store.sweep_temporary() == 1
    assert _files(store) == [f"{info.upload_id}.json"]


@pytest.mark.parametrize("upload_id", ["nosuchupload0000", "../../etc/passwd", "A" * 20, ""])
async def test_unknown_and_malformed_ids_are_not_found(tmp_path: Path, upload_id: str) -> None:
    with pytest.raises(UploadNotFound):
        await UploadStore(tmp_path / "uploads").load(upload_id)


async def test_a_damaged_upload_file_is_not_found(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    info = await store.save("v.md", MARKDOWN, None)
    store.path(info.upload_id).write_text('{"version": 1, "document": {"title": 3')
    with pytest.raises(UploadNotFound):
        await store.load(info.upload_id)


# --- sources at the edge, and read back -------------------------------------------------------


@pytest.fixture
def server() -> Iterator[Loopback]:
    with serving() as loopback:
        yield loopback


def _request(*sources: dict[str, Any]) -> GenerationRequest:
    return GenerationRequest.model_validate({"topic": "Rivers", "sources": list(sources)})


async def test_url_sources_are_fetched_and_stored_as_uploads(
    tmp_path: Path, server: Loopback
) -> None:
    store = UploadStore(tmp_path / "uploads")
    fetcher = Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]))
    text = {"type": "text", "text": "Rivers *carry* sediment.", "title": "Mine"}
    request = _request(text, {"type": "url", "url": server.url("/text")})
    prepared = await prepare_sources(request, store, fetcher)
    kinds = [s.type for s in prepared.sources]
    assert kinds == ["text", "upload"]
    assert prepared.topic == request.topic
    documents = await load_documents(prepared, store)
    assert [d.title for d in documents] == ["Mine", TEXT]  # a page without headings: its first line
    assert documents[0].origin == TEXT_ORIGIN
    assert documents[0].text == "Rivers carry sediment."
    assert documents[1].origin == server.url("/text")  # the page credits its URL
    assert documents[1].text == TEXT


async def test_url_sources_need_online(tmp_path: Path) -> None:
    request = _request(
        {"type": "text", "text": "x"}, {"type": "url", "url": "https://example.org/"}
    )
    with pytest.raises(SourceRejected) as refused:
        await prepare_sources(request, UploadStore(tmp_path), None)
    assert refused.value.field == ("sources", 1, "url")
    assert refused.value.message == ONLINE_OFF


async def test_a_fetched_page_that_is_no_document_is_refused_and_not_stored(
    tmp_path: Path, server: Loopback
) -> None:
    store = UploadStore(tmp_path / "uploads")
    fetcher = Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]))
    request = _request({"type": "url", "url": server.url("/binary.txt")})
    with pytest.raises(SourceRejected) as refused:
        await prepare_sources(request, store, fetcher)
    assert refused.value.field == ("sources", 0, "url")
    assert "cannot be read: not text" in refused.value.message
    assert _files(store) == []


async def test_url_sources_are_fetched_side_by_side(tmp_path: Path, server: Loopback) -> None:
    quick = Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]), timeout=0.4)
    request = _request(*[{"type": "url", "url": server.url("/slow")} for _ in range(4)])
    started = trio.current_time()
    with pytest.raises(SourceRejected) as refused:
        await prepare_sources(request, UploadStore(tmp_path / "uploads"), quick)
    elapsed = trio.current_time() - started
    assert refused.value.field == ("sources", 0, "url")  # the first in request order
    assert "took longer than 0.4 s" in refused.value.message
    assert elapsed < 1.2, f"{elapsed:.2f} s: fetched one after the other (4 x 0.4 s)"


async def test_an_unknown_upload_is_refused_at_its_field(tmp_path: Path) -> None:
    request = _request({"type": "upload", "upload_id": "nosuchupload0000"})
    with pytest.raises(SourceRejected) as refused:
        await prepare_sources(request, UploadStore(tmp_path), None)
    assert refused.value.field == ("sources", 0, "upload_id")


# --- POST /api/uploads ------------------------------------------------------------------------


def _state(test_app: TestAppProtocol) -> AppState:
    state = test_app.app.extensions[STATE_KEY]  # type: ignore[attr-defined]
    assert isinstance(state, AppState)
    return state


def _form(*parts: tuple[str, str, bytes, str]) -> tuple[bytes, dict[str, str]]:
    """A multipart body of (field, filename, data, type) parts, and its headers."""
    boundary = "videogen-test-boundary"
    body = b""
    for name, filename, data, kind in parts:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


async def _upload(
    client: TestClientProtocol, *parts: tuple[str, str, bytes, str], **kw: Any
) -> Any:
    body, headers = _form(*parts)
    return await client.post("/api/uploads", data=body, headers={**headers, **kw})


async def test_upload_answers_201_with_its_id_and_a_generation_uses_it(
    client: TestClientProtocol, test_app: TestAppProtocol
) -> None:
    response = await _upload(client, ("file", "volcanoes.md", MARKDOWN, "text/markdown"))
    assert response.status_code == 201
    body = await response.get_json()
    assert set(body) == {"upload_id", "filename", "bytes", "title", "kind", "seconds"}
    assert body["kind"] == "document" and body["seconds"] is None
    assert body["filename"] == "volcanoes.md" and body["bytes"] == len(MARKDOWN)
    assert body["title"] == "Volcanoes"
    source = {"type": "upload", "upload_id": body["upload_id"]}
    started = await client.post(
        "/api/generate", json={"topic": "Volcanoes", "sources": [source]}, headers=ASYNC
    )
    assert started.status_code == 202
    gid = (await started.get_json())["generation_id"]
    record = await _state(test_app).require_registry().record(gid)
    assert record.request["sources"] == [source]


async def test_a_pdf_upload_is_read(client: TestClientProtocol) -> None:
    pdf = text_pdf([["Magma is molten rock."], ["Lava is magma that reached the surface."]])
    response = await _upload(client, ("file", "notes.pdf", pdf, "application/pdf"))
    assert response.status_code == 201
    assert (await response.get_json())["title"] == "Magma is molten rock."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (encrypted_pdf([["x"]], user_password="pw"), "the PDF is encrypted: it needs a password"),
        (image_only_pdf(), "the PDF has no text layer"),
        (text_pdf([["Truncated."]])[:200], "the PDF is corrupt or truncated"),
        (b"\x00\x01\x02\x03binary", "not text"),
        (b"", "the file is empty"),
    ],
    ids=["encrypted", "image-only", "truncated", "binary", "empty"],
)
async def test_unreadable_uploads_are_422_naming_file_and_leave_nothing(
    client: TestClientProtocol, test_app: TestAppProtocol, data: bytes, message: str
) -> None:
    response = await _upload(client, ("file", "upload", data, "application/octet-stream"))
    assert response.status_code == 422
    [item] = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "file"]
    assert item["msg"].startswith(message)
    assert _files(_state(test_app).uploads) == []


@pytest.mark.parametrize(
    "parts",
    [
        (),
        (("file", "a.md", MARKDOWN, "text/markdown"), ("file", "b.md", MARKDOWN, "text/markdown")),
        (("document", "a.md", MARKDOWN, "text/markdown"),),
    ],
    ids=["no-file", "two-files", "wrong-field"],
)
async def test_exactly_one_file_in_the_field_file(
    client: TestClientProtocol, parts: tuple[tuple[str, str, bytes, str], ...]
) -> None:
    response = await _upload(client, *parts)
    assert response.status_code == 422
    [item] = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "file"]
    assert "exactly one file" in item["msg"]


async def test_an_upload_that_is_not_multipart_is_415(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/uploads", data=MARKDOWN, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


@pytest.fixture
async def small_limits(tmp_path: Path) -> AsyncIterator[TestAppProtocol]:
    app = make_app(tmp_path, FakeMedia(cost=0.01), max_upload_bytes=2000, max_body_bytes=1000)
    async with app.test_app() as test_app:
        yield test_app


async def test_too_big_uploads_are_413_naming_the_limit(small_limits: TestAppProtocol) -> None:
    client = small_limits.test_client()
    # A file past the upload limit in a body the envelope still admits: the route's own check.
    response = await _upload(client, ("file", "big.md", b"a" * 2001, "text/markdown"))
    assert response.status_code == 413
    assert (await response.get_json())["detail"] == "The file is too large (limit 2000 bytes)"
    # A body past even the envelope: Quart refuses it before it is stored.
    response = await _upload(client, ("file", "big.md", b"a" * 100_000, "text/markdown"))
    assert response.status_code == 413
    assert (await response.get_json())["detail"] == "File too large (limit 2000 bytes)"
    # At the limit it is taken: the upload route's body may be larger than a JSON body.
    response = await _upload(client, ("file", "ok.md", b"# A\n\n" + b"a" * 1990, "text/markdown"))
    assert response.status_code == 201
    assert _files(_state(small_limits).uploads) == [
        f"{(await response.get_json())['upload_id']}.json"
    ]


async def test_json_routes_keep_their_own_smaller_limit(small_limits: TestAppProtocol) -> None:
    body = json.dumps({"topic": "t", "source_text": "a" * 1500}).encode()
    response = await small_limits.test_client().post(
        "/api/generate", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert (await response.get_json())["detail"] == "Request body too large (limit 1000 bytes)"


async def test_uploads_follow_the_access_rules_of_generate(tmp_path: Path) -> None:
    keyed = make_app(tmp_path, FakeMedia(cost=0.01), api_key="k3y", rate_limit=2)
    async with keyed.test_app() as test_app:
        client = test_app.test_client()
        part = ("file", "v.md", MARKDOWN, "text/markdown")
        assert (await _upload(client, part)).status_code == 401
        key = {"Authorization": "Bearer k3y"}
        foreign = await _upload(client, part, **key, Origin="https://attacker.example")
        assert foreign.status_code == 403
        assert (await _upload(client, part, **key)).status_code == 201
        assert (await _upload(client, part, **key)).status_code == 201
        limited = await _upload(client, part, **key)
        assert limited.status_code == 429


# --- sources in POST /api/generate and the WebSocket ------------------------------------------


async def test_a_url_source_without_online_is_422_at_its_field(client: TestClientProtocol) -> None:
    sources = [{"type": "text", "text": "x"}, {"type": "url", "url": "https://example.org/a"}]
    response = await client.post(
        "/api/generate", json={"topic": "t", "sources": sources}, headers=ASYNC
    )
    assert response.status_code == 422
    assert (await response.get_json())["detail"] == [
        {"loc": ["body", "sources", 1, "url"], "msg": ONLINE_OFF, "type": "online_off"}
    ]


async def test_an_unknown_upload_is_422_at_its_field(client: TestClientProtocol) -> None:
    source = {"type": "upload", "upload_id": "nosuchupload0000"}
    response = await client.post(
        "/api/generate", json={"topic": "t", "sources": [source]}, headers=ASYNC
    )
    assert response.status_code == 422
    [item] = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "sources", 0, "upload_id"]


@pytest.fixture
async def online(tmp_path: Path, server: Loopback) -> AsyncIterator[TestAppProtocol]:
    """An app with `--online` whose fetcher may reach the test's loopback server (only)."""
    app = make_app(tmp_path, FakeMedia(cost=0.01), online=True)
    async with app.test_app() as test_app:
        state = _state(test_app)
        assert state.fetcher is not None  # --online made one
        state.fetcher = Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]))
        yield test_app


async def test_online_url_sources_are_stored_before_the_generation_is_admitted(
    online: TestAppProtocol, server: Loopback
) -> None:
    client = online.test_client()
    source = {"type": "url", "url": server.url("/notes.md")}
    response = await client.post(
        "/api/generate", json={"topic": "Rivers", "sources": [source]}, headers=ASYNC
    )
    assert response.status_code == 202
    gid = (await response.get_json())["generation_id"]
    state = _state(online)
    [stored] = (await state.require_registry().record(gid)).request["sources"]
    assert stored["type"] == "upload"
    document = await state.uploads.load(stored["upload_id"])
    assert document.title == "Rivers" and document.origin == server.url("/notes.md")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/redirect?to=http://169.254.169.254/latest/meta-data/", "internal address"),
        ("/image.png", "not text"),
    ],
)
async def test_online_url_refusals_are_422_and_store_nothing(
    online: TestAppProtocol, server: Loopback, path: str, message: str
) -> None:
    source = {"type": "url", "url": server.url(path)}
    response = await online.test_client().post(
        "/api/generate", json={"topic": "t", "sources": [source]}, headers=ASYNC
    )
    assert response.status_code == 422
    [item] = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "sources", 0, "url"]
    assert message in item["msg"]
    assert _files(_state(online).uploads) == []


async def test_websocket_generate_refuses_a_url_source_without_online(
    client: TestClientProtocol,
) -> None:
    request = {"topic": "t", "sources": [{"type": "url", "url": "https://example.org/"}]}
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "generate", "request": request})
        with trio.fail_after(5):
            answer = await ws.receive_json()
    assert answer == {"type": "error", "detail": f"invalid request: sources.0.url: {ONLINE_OFF}"}


async def test_the_app_has_no_fetcher_without_online(test_app: TestAppProtocol) -> None:
    assert _state(test_app).fetcher is None


# --- pictures ---------------------------------------------------------------------------------


def _png(colour: tuple[int, int, int] = (10, 160, 90)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, "PNG")
    return buffer.getvalue()


async def test_a_png_upload_is_stored_as_a_picture(client: TestClientProtocol) -> None:
    response = await _upload(client, ("file", "lava_flow.png", _png(), "image/png"))
    assert response.status_code == 201
    body = await response.get_json()
    assert (body["filename"], body["title"]) == ("lava_flow.png", "lava_flow.png")


@pytest.mark.parametrize(
    ("filename", "data", "kind", "message"),
    [
        ("x.png", b"hello, not a picture", "image/png", "not a usable picture: not a PNG"),
        ("x.png", _png()[:70], "image/png", "not a usable picture: the picture does not decode"),
        ("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", "not a usable picture"),
    ],
    ids=["not-png", "truncated", "gif"],
)
async def test_a_bad_picture_upload_is_422_naming_file(
    client: TestClientProtocol,
    test_app: TestAppProtocol,
    filename: str,
    data: bytes,
    kind: str,
    message: str,
) -> None:
    response = await _upload(client, ("file", filename, data, kind))
    assert response.status_code == 422
    [item] = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "file"]
    assert item["msg"].startswith(message)
    assert _files(_state(test_app).uploads) == []


async def test_an_uploaded_picture_used_as_a_source_ends_on_a_slide(tmp_path: Path) -> None:
    from PIL import Image

    from videogen.actors.adapters.knowledge import Knowledge
    from videogen.media import slides
    from videogen.media.knowledge.catalog import configured_sources
    from videogen.media.pictures import save_pictures
    from videogen.media.writer.offline import OfflineWriter
    from videogen.media.writer.pictures import deck_pictures

    store = UploadStore(tmp_path / "uploads")
    info = await store.save("lava_flow.png", _png(), "image/png")
    request = GenerationRequest(
        topic="Water cycle",
        num_slides=4,
        sources=({"type": "upload", "upload_id": info.upload_id},),  # type: ignore[arg-type]
    )
    knowledge = Knowledge(configured_sources(()), store)
    grounding = await knowledge.ground(request)
    content = OfflineWriter().write_content(request, grounding)
    (slide,) = [s for s in content.slides if s.layout == "image"]
    (visual,) = slide.visuals
    assert (visual.what, visual.source, visual.license) == (
        "lava flow",
        "lava_flow.png",
        "provided by the user",
    )
    # The deck's text is the encyclopedia's; the picture is credited as the user's.
    assert content.grounded
    assert content.sources[-1].origin == "lava_flow.png"
    assert "Pictures: lava_flow.png, provided by the user" in content.slides[-1].bullets
    save_pictures(deck_pictures(content, grounding), tmp_path / "work")
    (frame,) = slides.render_slide_images(
        slide,
        topic=request.topic,
        total=content.total_slides,
        language="english",
        theme="classic",
        size=(1280, 720),
        out_dir=tmp_path / "work",
        reveal=False,
    ).frames
    with Image.open(frame) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or ()}
    assert (10, 160, 90) in colours
