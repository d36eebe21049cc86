"""The HTTP edge after issue 10: errors raised and mapped once, the registry's read methods, the
one object that names a generation's files, health checks per app, facts kept in one place, the
CORS methods the app really serves and the fonts looked up once."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import pytest
import trio

import videogen
from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.test_routes import start, wait_done
from videogen.actors.adapters.writers import ThreadedWriter
from videogen.actors.errors import ArtifactNotFound, GenerationNotFound, VideoNotFound
from videogen.actors.llm.client import LLMConfig
from videogen.actors.llm.writer import LLMWriter
from videogen.actors.runtime.artifacts import Artifacts
from videogen.actors.runtime.ownership import SYSTEM
from videogen.cli.main import build_parser
from videogen.media import fonts
from videogen.media.models import REQUEST_LIMITS, TONES, Tone
from videogen.media.writer import OfflineWriter
from videogen.server.access.ratelimit import RateLimited, RateLimiter
from videogen.server.settings import default_data_dir

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol

    from videogen.actors.runtime.registry import Registry


def registry_of(app: Any) -> Registry:
    registry: Registry = app.app.extensions["videogen"].require_registry()
    return registry


# -- one object names a generation's files -------------------------------------------------------


def test_artifacts_name_every_file_of_a_generation(tmp_path: Path) -> None:
    files = Artifacts(tmp_path / "generations", "topic-abcdefgh")
    folder = tmp_path / "generations" / "topic-abcdefgh"
    assert files.directory == folder
    assert files.work == folder / "work"
    assert files.video == folder / "topic-abcdefgh.mp4"
    assert (files.vtt, files.srt) == (folder / "topic-abcdefgh.vtt", folder / "topic-abcdefgh.srt")
    assert files.content_json == folder / "content.json"
    assert files.script_json == folder / "script.json"


async def test_a_finished_generation_leaves_its_files_where_artifacts_says(
    tmp_path: Path,
) -> None:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        client = app.test_client()
        gid = await start(client, "Where files go", num_slides=2)
        await wait_done(client, gid)
        files = registry_of(app).config.artifacts(gid)
        for path in (files.video, files.vtt, files.srt, files.content_json, files.script_json):
            assert path.is_file(), path
        assert not files.work.exists()  # scratch removed


# -- the registry answers what routes ask; errors carry the client's words ----------------------


async def test_registry_reads_raise_not_found_with_the_contract_detail(tmp_path: Path) -> None:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        client = app.test_client()
        registry = registry_of(app)
        gid = await start(client, "Registry reads", num_slides=2)
        await wait_done(client, gid)
        assert (await registry.content(gid))["slides"]
        assert (await registry.script(gid))["total_duration"] > 0
        assert (await registry.subtitles(gid)).startswith("WEBVTT")
        video = await registry.video(f"{gid}.mp4")
        assert video.key == f"{gid}/{gid}.mp4" and video.info.size > 0
        page, following = await registry.page(limit=1, before=None, user=None, client=None)
        assert [r.id for r in page] == [gid] and following is None
        for read, detail in (
            (registry.content, "Content not found"),
            (registry.script, "Script not found"),
            (registry.subtitles, "Subtitles not found"),
        ):
            with pytest.raises(ArtifactNotFound) as missing:
                await read("nobody", caller=SYSTEM)
            assert str(missing.value) == detail
        for name in ("nobody.mp4", f"../{gid}.mp4", f"{gid}.srt", ".hidden.mp4"):
            with pytest.raises(VideoNotFound) as missing_video:
                await registry.video(name)
            assert str(missing_video.value) == f"Video not found: {name}"
        with pytest.raises(GenerationNotFound) as unknown:
            await registry.record("nobody")
        assert (str(unknown.value), unknown.value.key) == ("Generation ID not found", "nobody")


async def test_a_missing_srt_sidecar_is_404_not_a_500(tmp_path: Path) -> None:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        client = app.test_client()
        gid = await start(client, "Lost sidecar", num_slides=2)
        await wait_done(client, gid)
        ok = await client.get(f"/api/subtitles/{gid}?format=srt")
        assert ok.status_code == 200
        assert ok.headers["Content-Type"].startswith("application/x-subrip")
        registry_of(app).config.artifacts(gid).srt.unlink()
        gone = await client.get(f"/api/subtitles/{gid}?format=srt")
        assert gone.status_code == 404
        assert await gone.get_json() == {"detail": "Subtitles not found"}


def test_the_rate_limiter_raises_what_the_edge_answers() -> None:
    limiter = RateLimiter(1)
    limiter.take("a")
    with pytest.raises(RateLimited) as limited:
        limiter.take("a", refusal="Too many sign-in attempts: slow down")
    assert str(limited.value) == "Too many sign-in attempts: slow down"
    assert limited.value.retry_after >= 1


async def test_a_wrong_sign_in_key_is_401_with_www_authenticate(tmp_path: Path) -> None:
    async with make_app(tmp_path, FakeMedia(), api_key="s3cret").test_app() as app:
        response = await app.test_client().post("/api/session", json={"key": "wrong"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert await response.get_json() == {"detail": "Not authenticated"}


# -- health: the writer says what to check, each app keeps its own answers ----------------------


def test_writers_say_what_health_checks() -> None:
    assert ThreadedWriter(OfflineWriter()).health_check() is None
    strict = LLMWriter(LLMConfig(url="http://127.0.0.1:9/v1")).health_check()
    assert (strict.name, strict.essential) == ("llm", True)
    lenient = LLMWriter(LLMConfig(url="http://127.0.0.1:9/v1", fallback=True)).health_check()
    assert not lenient.essential


async def test_health_and_openapi_carry_the_package_version(client: TestClientProtocol) -> None:
    health = await (await client.get("/health")).get_json()
    spec = await (await client.get("/openapi.json")).get_json()
    assert health["version"] == spec["info"]["version"] == videogen.__version__
    assert videogen.__version__ == importlib.metadata.version("videogen")


# -- one place for each fact ---------------------------------------------------------------------


async def test_options_show_the_limits_the_models_hold(tmp_path: Path) -> None:
    async with make_app(tmp_path, FakeMedia(), max_running=3, max_queued=7).test_app() as app:
        options = await (await app.test_client().get("/api/options")).get_json()
    assert options["limits"] == {
        **REQUEST_LIMITS,
        "max_running": 3,
        "max_queued": 7,
        "upload_bytes": 20_000_000,
    }
    assert options["tones"] == list(TONES) == list(get_args(Tone))
    assert options["subtitles"] == ["sidecar", "burned", "none"]


def test_cli_help_and_defaults_come_from_the_models_and_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    slides = REQUEST_LIMITS["num_slides"]
    args = build_parser().parse_args(["generate", "a topic"])
    assert args.slides == slides["default"]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["generate", "--help"])
    assert f"({slides['min']}-{slides['max']})" in capsys.readouterr().out
    monkeypatch.setenv("VIDEOGEN_DATA_DIR", "/srv/videos")
    assert default_data_dir() == Path("/srv/videos")
    assert build_parser().parse_args(["serve"]).data_dir == Path("/srv/videos")
    monkeypatch.delenv("VIDEOGEN_DATA_DIR")
    assert default_data_dir() == Path("data")


# -- CORS and fonts ------------------------------------------------------------------------------


async def test_a_preflight_allows_only_methods_some_route_serves(
    client: TestClientProtocol,
) -> None:
    response = await client.options(
        "/api/generate",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    allowed = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"}  # PATCH: a draft


async def test_options_never_look_at_font_files_per_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked: list[str] = []
    real = fonts.font_file

    def counting(language: str, *, bold: bool = False) -> Any:
        looked.append(language)
        return real(language, bold=bold)

    monkeypatch.setattr(fonts, "font_file", counting)
    async with make_app(tmp_path, FakeMedia()).test_app() as app:
        at_startup = len(looked)
        assert at_startup > 0
        client = app.test_client()
        for _ in range(3):
            options = await (await client.get("/api/options")).get_json()
        assert len(looked) == at_startup  # nothing per request
        shown = {lang["name"]: lang["font_available"] for lang in options["languages"]}
        assert shown == await trio.to_thread.run_sync(fonts.installed_fonts)


@pytest.fixture
async def client(tmp_path: Path) -> Any:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        yield app.test_client()
