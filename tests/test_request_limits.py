"""One small request must not be a huge job, and a voice must exist: 422 naming the field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import ValidationError

from tests.apps import make_app
from tests.fakes import FakeMedia
from tests.test_routes import JSON
from videogen.media.models import MAX_NARRATION_CHARS, MAX_VIDEO_SECONDS, GenerationRequest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from quart.typing import TestClientProtocol

# The request: one slide, 3,990 characters of narration, read at 80 words per minute.
LONG_NARRATION = ("Volcanoes erupt when magma rises " * 121)[:3990]


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClientProtocol]:
    async with make_app(tmp_path, FakeMedia(cost=0.01)).test_app() as app:
        yield app.test_client()


async def refused(client: TestClientProtocol, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/generate", headers=JSON, json={"topic": "Big", **body})
    assert response.status_code == 422, await response.get_data()
    detail = (await response.get_json())["detail"]
    assert len(detail) == 1
    item: dict[str, Any] = detail[0]
    return item


async def test_total_video_length_is_capped_naming_slides_and_the_limit(
    client: TestClientProtocol,
) -> None:
    slides = [{"title": f"Part {n}", "narration": LONG_NARRATION} for n in range(2)]
    item = await refused(client, {"slides": slides, "speech_rate": 80})
    assert item["loc"] == ["body", "slides"]
    assert f"at most {MAX_VIDEO_SECONDS} s of video per request" in item["msg"]
    assert "at 80 words per minute" in item["msg"]
    # The same slides read fast enough fit.
    fast = await client.post(
        "/api/generate",
        headers={**JSON, "Prefer": "respond-async"},
        json={"topic": "Big", "slides": slides, "speech_rate": 400},
    )
    assert fast.status_code == 202


async def test_total_narration_is_capped_naming_slides_and_the_limit(
    client: TestClientProtocol,
) -> None:
    slides = [{"title": f"S{n}", "narration": "x" * 3999} for n in range(4)]
    item = await refused(client, {"slides": slides, "speech_rate": 400})
    assert item["loc"] == ["body", "slides"]
    assert item["msg"] == (
        f"the slides' narration is {4 * 3999} characters; at most {MAX_NARRATION_CHARS} per request"
    )


async def test_an_unknown_voice_is_422_naming_voice_and_the_allowed_values(
    client: TestClientProtocol,
) -> None:
    item = await refused(client, {"voice": "no-such-voice"})
    assert item["loc"] == ["body", "voice"]
    assert item["msg"].startswith("unknown voice 'no-such-voice'; allowed: ")
    assert "gmw/en-us" in item["msg"] and "inc/hi" in item["msg"]


@pytest.mark.parametrize("voice", ["gmw/en-gb-x-rp", "en-gb", "Hindi", "INC/HI"])
def test_known_voices_by_id_last_part_language_or_name(voice: str) -> None:
    assert GenerationRequest.model_validate({"topic": "t", "voice": voice}).voice == voice


def test_the_limits_hold_in_the_model_the_cli_builds_too() -> None:
    with pytest.raises(ValidationError) as failed:
        GenerationRequest.model_validate(
            {"topic": "t", "slides": [{"title": "a", "narration": LONG_NARRATION}] * 3}
        )
    assert failed.value.errors()[0]["loc"] == ("slides",)


async def test_options_list_the_limits(client: TestClientProtocol) -> None:
    limits = (await (await client.get("/api/options")).get_json())["limits"]
    assert limits["narration_chars"] == MAX_NARRATION_CHARS
    assert limits["video_seconds"] == MAX_VIDEO_SECONDS
    assert limits["speech_rate"] == {"min": 80, "max": 400}
    assert limits["source_text_chars"] == 50_000


def test_cli_unknown_voice_exits_2_naming_voice(tmp_path: Path) -> None:
    videogen = str(Path(sys.executable).with_name("videogen"))
    done = subprocess.run(
        [videogen, "generate", "Topic", "--voice", "no-such-voice", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("videogen: invalid request: voice: unknown voice 'no-such-voice'")
    assert not any(tmp_path.iterdir())  # refused before the data dir was touched
