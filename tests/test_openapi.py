"""`/openapi.json` is derived from the app's routes: every route is in it, every route lists the
errors its kind gives, and every error status it lists for a client mistake is one the route
really answers (each provoked here on the Quart-Trio test client)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from quart import Blueprint, Response

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.test_access import handshake_refusal
from videogen.server.access.checks import key_required
from videogen.server.api.apidoc import documented
from videogen.server.api.openapi import openapi_document, openapi_path
from videogen.server.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from quart.typing import TestClientProtocol

KEY = "s3cret"
ADMIN = {"Authorization": f"Bearer {KEY}"}
# What fills each path parameter: a name that names nothing.
UNKNOWN = {
    "generation_id": "no-such-id",
    "filename": "no-such.mp4",
    "path": "no-such-file",
    "slide_number": "1",
}
# A valid body for the routes whose body is not a generation request (a 404 must be reached).
VALID_BODIES: dict[str, dict[str, Any]] = {
    "/api/generations/{generation_id}/slides/{slide_number}": {"title": "t"},
    "/api/generations/{generation_id}/slides": {"slide": {"title": "t"}},
    "/api/generations/{generation_id}/revisions": {"edits": [{"slide_number": 1, "title": "t"}]},
}
# Statuses a client's own mistake provokes, each by the recipe in `provoke`.
PROVOKED = {400, 401, 403, 404, 413, 415, 421, 422}
MAX_UPLOAD = Settings.max_upload_bytes  # the default the spec's app has


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method.upper(), op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]


@pytest.fixture
async def spec(tmp_path: Path) -> dict[str, Any]:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        response = await app.test_client().get("/openapi.json")
        assert response.status_code == 200
        body: dict[str, Any] = await response.get_json()
        return body


async def test_every_route_of_the_app_is_described(tmp_path: Path) -> None:
    app = make_app(tmp_path, FakeMedia())
    spec = openapi_document(app, "test")
    for rule in app.url_map.iter_rules():
        item = spec["paths"][openapi_path(rule.rule)]
        for method in set(rule.methods or ()) - {"HEAD", "OPTIONS"}:
            assert method.lower() in item, (method, rule.rule)
    assert "head" in spec["paths"]["/api/video/{filename}"]  # the one HEAD the contract names
    assert spec["paths"]["/api/ws"]["get"]["x-websocket"] is True


async def test_a_new_route_appears_with_what_its_kind_answers(tmp_path: Path) -> None:
    app = make_app(tmp_path, FakeMedia())
    extra = Blueprint("extra", __name__)

    @extra.delete("/api/things/<thing_id>")
    @documented({204: {"description": "Gone"}}, not_found="Thing not found")
    async def remove_thing(thing_id: str) -> Response:
        """Remove a thing."""
        return Response(b"", status=204)

    app.register_blueprint(extra)
    op = openapi_document(app, "test")["paths"]["/api/things/{thing_id}"]["delete"]
    assert op["summary"] == "Remove a thing."
    assert set(op["responses"]) == {"204", "401", "403", "404", "421"}
    assert op["responses"]["404"]["description"] == "Thing not found"
    assert op["parameters"][0]["name"] == "thing_id"


async def test_every_route_lists_the_errors_of_its_kind(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        listed = {int(status) for status in op["responses"]}
        assert 421 in listed, (method, path)  # the Host check answers every route
        websocket = op.get("x-websocket", False)
        if key_required("GET" if websocket else method, path):
            assert 401 in listed, (method, path)
        if websocket or method in ("POST", "PUT", "PATCH", "DELETE"):
            assert 403 in listed, (method, path)
        if "{" in path and path != "/api/progress/{generation_id}":  # that one streams the 404
            assert 404 in listed, (method, path)
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            assert {400, 413, 422} <= listed, (method, path)
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
            assert {413, 422} <= listed, (method, path)
    uploads = spec["paths"]["/api/uploads"]["post"]
    assert {"201", "413", "415", "422", "429"} <= set(uploads["responses"])
    assert "file" in uploads["requestBody"]["content"]["multipart/form-data"]["schema"]["required"]
    generate = spec["paths"]["/api/generate"]["post"]["responses"]
    assert {"415", "429", "503"} <= set(generate)
    cancel = spec["paths"]["/api/cancel/{generation_id}"]["post"]
    assert {"403", "404", "409"} <= set(cancel["responses"])


def _request(path: str, method: str, op: dict[str, Any], status: int) -> dict[str, Any]:
    """How to make `method path` answer `status`: the request's path and options."""
    template = path
    for name, value in UNKNOWN.items():
        path = path.replace("{" + name + "}", value)
    headers = {} if status == 401 else dict(ADMIN)
    options: dict[str, Any] = {"headers": headers}
    as_json = {**headers, "Content-Type": "application/json"}
    multipart = "multipart/form-data" in op.get("requestBody", {}).get("content", {})
    if multipart and status in (413, 422):
        boundary = "b0undary"
        form = {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        size = MAX_UPLOAD + 1 if status == 413 else 0  # past the limit; or an empty file
        part = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        options.update(data=part + b"x" * size + f"\r\n--{boundary}--\r\n".encode(), headers=form)
    elif status == 421:
        headers["Host"] = "rebind.attacker.example"
    elif status == 403:
        headers["Origin"] = "https://attacker.example"
    elif status == 400:
        options.update(data=b'{"topic": ', headers=as_json)
    elif status == 413:
        options.update(data=b"x" * 1_000_001, headers=as_json)  # past the default body limit
    elif status == 415:
        options.update(data=b"a topic", headers={**headers, "Content-Type": "text/plain"})
    elif status == 422 and "requestBody" in op:
        options["json"] = {}
    elif status == 422 and path.startswith("/api/export/"):
        path += "?handout=2"  # checked before the generation is looked up
    elif status == 422 and path.startswith("/api/subtitles/"):
        path += "?format=ass"  # the same
    elif status == 422:
        path += "?limit=0"
    elif "requestBody" in op:  # a valid body (with a wrong key, for a sign-in's own 401)
        valid = {"topic": "t", "key": "wrong" if status == 401 else KEY}
        options["json"] = VALID_BODIES.get(template, valid)
    return {"path": path, "method": method, **options}


async def _answer(
    client: TestClientProtocol, op: dict[str, Any], status: int, **request: Any
) -> int:
    if op.get("x-websocket"):
        if status == 400:  # a plain GET: no handshake at all
            return (await client.get(request["path"], headers=request["headers"])).status_code
        return await handshake_refusal(client, headers=request["headers"])
    return (await client.open(**request)).status_code


async def test_every_listed_client_error_is_one_the_route_gives(
    tmp_path: Path, spec: dict[str, Any]
) -> None:
    media = FakeMedia(cost=0.01)
    keyed = make_app(tmp_path / "keyed", media, api_key=KEY)
    keyless = make_app(tmp_path / "keyless", media)
    async with keyed.test_app() as keyed_app, keyless.test_app() as keyless_app:
        checked = 0
        for path, method, op in operations(spec):
            for status in sorted(PROVOKED & {int(s) for s in op["responses"]}):
                # A sign-in's 404 is the answer of a server without keys.
                app = keyless_app if status == 404 and path == "/api/session" else keyed_app
                request = _request(path, method, op, status)
                got = await _answer(app.test_client(), op, status, **request)
                assert got == status, (method, path, status, request)
                checked += 1
        assert checked > 40
