"""Bad input that once reached a 500, a dropped socket or an error naming no field: each is now
a 4xx that says what is wrong, or is taken and served (the project's rule: bad input gets a
clear error and loses nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import trio

from tests.test_review_routes import draft_owned, slides
from tests.test_routes import ASYNC, JSON, owner, start, wait_done

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol


async def _exports_work(client: TestClientProtocol, gid: str) -> None:
    for ext in ("pptx", "zip"):
        export = await client.get(f"/api/export/{gid}.{ext}")
        assert export.status_code == 200, (ext, export.status_code, await export.get_data())


async def test_a_topic_with_a_control_character_still_exports(
    client: TestClientProtocol,
) -> None:
    """python-pptx refuses a control character in a deck's title (XML cannot hold it)."""
    response = await client.post("/api/generate", headers=ASYNC, json={"topic": "Tides \x01 \x00"})
    assert response.status_code == 202
    gid = (await response.get_json())["generation_id"]
    await wait_done(client, gid)
    await _exports_work(client, gid)


async def test_a_slide_title_with_a_noncharacter_still_exports(
    client: TestClientProtocol,
) -> None:
    """U+FFFE and U+FFFF are not XML either, and python-pptx does not escape them."""
    gid, token = await draft_owned(client)
    edit = await client.patch(
        slides(gid, 1), headers={**JSON, **owner(token)}, json={"title": "Tides \ufffe\uffff"}
    )
    assert edit.status_code == 200
    render = await client.post(f"/api/generations/{gid}/render", headers=owner(token))
    assert render.status_code == 202
    await wait_done(client, gid)
    await _exports_work(client, gid)


async def test_a_lone_surrogate_on_the_websocket_is_an_error_and_the_session_lives(
    client: TestClientProtocol,
) -> None:
    """A lone surrogate ("\\ud800" in JSON) reached the database, which could not encode it,
    and closed the socket with all its subscriptions."""
    async with client.websocket("/api/ws") as ws:
        for message in (
            '{"type": "subscribe", "generation_id": "\\ud800"}',
            '{"type": "cancel", "generation_id": "x", "owner_token": "\\udfff"}',
        ):
            await ws.send(message)
            with trio.fail_after(5):
                reply: dict[str, Any] = await ws.receive_json()
            assert reply["type"] == "error" and "valid Unicode" in reply["detail"], reply
        await ws.send('{"type": "nope"}')  # the session still answers
        with trio.fail_after(5):
            assert (await ws.receive_json())["type"] == "error"


async def test_a_host_no_url_map_can_bind_is_a_json_400(client: TestClientProtocol) -> None:
    response = await client.get("/api/options", headers={"Host": "a" * 64})
    assert response.status_code == 400
    assert "Host" in (await response.get_json())["detail"]


async def test_too_many_form_parts_are_not_called_a_file_too_large(
    client: TestClientProtocol,
) -> None:
    fields = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nx\r\n' % i for i in range(1500)
    )
    file = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.md"\r\n'
        b"Content-Type: text/markdown\r\n\r\n# Tides\n\nThe moon pulls the sea.\r\n--b--\r\n"
    )
    body = fields + file
    response = await client.post(
        "/api/uploads",
        data=body,
        # As every browser and curl send it (the test client does not by itself).
        headers={
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(len(body)),
        },
    )
    detail = str((await response.get_json())["detail"])
    assert response.status_code == 413
    assert "too large" not in detail and "1000 parts" in detail, detail


async def test_an_unknown_subtitles_format_is_422_naming_format(client: TestClientProtocol) -> None:
    gid = await start(client)
    await wait_done(client, gid)
    response = await client.get(f"/api/subtitles/{gid}?format=ass")
    assert response.status_code == 422
    assert (await response.get_json())["detail"] == "format must be one of vtt, srt, not 'ass'"
    assert (await client.get(f"/api/subtitles/{gid}?format=srt")).status_code == 200


async def test_a_websocket_generate_without_an_object_names_request(
    client: TestClientProtocol,
) -> None:
    async with client.websocket("/api/ws") as ws:
        await ws.send_json({"type": "generate", "request": []})
        with trio.fail_after(5):
            reply = await ws.receive_json()
    assert reply == {
        "type": "error",
        "detail": "invalid request: request: must be a JSON object with at least a topic",
    }


async def test_an_export_name_with_a_slash_gets_the_exports_own_404(
    client: TestClientProtocol,
) -> None:
    export = await client.get("/api/export/a%2fb.pptx")
    assert export.status_code == 404
    assert (await export.get_json())["detail"] == "Export not found: a/b.pptx"


async def test_a_utf16_text_file_is_read_as_text_not_refused_as_music(
    client: TestClientProtocol,
) -> None:
    """Its byte-order mark (FF FE) was taken for an MP3 frame sync: 422 "not usable as music"."""
    text = "Tides\n\nThe moon pulls the sea twice a day.\n".encode("utf-16")
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + text + b"\r\n--b--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    response = await client.post("/api/uploads", data=body, headers=headers)
    assert response.status_code == 201, await response.get_data()
    assert (await response.get_json())["title"] == "Tides"


async def test_a_multipart_body_that_cannot_be_read_is_not_just_no_file(
    client: TestClientProtocol,
) -> None:
    """A part header that is not UTF-8: Quart's parser reads no part at all, silently."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="notes\xff.md"\r\n'
        b"Content-Type: text/markdown\r\n\r\n# Tides\n\nThe moon.\n\r\n--b--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    response = await client.post("/api/uploads", data=body, headers=headers)
    assert response.status_code == 422
    (item,) = (await response.get_json())["detail"]
    assert item["loc"] == ["body", "file"] and "could not be read" in item["msg"], item
