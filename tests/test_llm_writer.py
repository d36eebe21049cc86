"""The LLM writer against a protocol-level fake of an OpenAI-compatible server.

The fake is an `httpx.MockTransport` with an async handler: it answers `GET /models` and
`POST /chat/completions` (streamed as SSE `data:` chunks of about a token each), and can be
told to reject JSON schemas, send invalid JSON, fail with a 5xx or hang. Time is virtual
(`autojump_clock`) wherever backoff or deadlines are involved.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, request
from videogen.actors.adapters.store import Store
from videogen.actors.llm.client import LLMConfig, LLMError
from videogen.actors.llm.writer import LLMWriter
from videogen.actors.runtime.registry import run_registry
from videogen.cli.main import build_parser
from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.llm_layouts import layout_fields
from videogen.media.writer import OfflineWriter
from videogen.server.app import create_app
from videogen.server.health import HealthChecks
from videogen.server.settings import Settings, settings_from_args

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from videogen.actors.adapters.writers import ContentWriter, Progress
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.registry import Registry
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, GenerationRequest, Script

URL = "http://llm.test/v1"


# --- the fake server -----------------------------------------------------------------------------


def _deck(count: int) -> str:
    slides = [{"title": f"Part {n}", "bullets": [f"idea {n}a", f"idea {n}b"]} for n in range(count)]
    return json.dumps({"slides": slides})


def _narration(words: int) -> str:
    sentence = "Water moves between the sea, the sky and the land."  # ten words
    return json.dumps({"narration": " ".join([sentence] * max(1, words // 10))})


@dataclass
class FakeOpenAI:
    """Answers like an OpenAI-compatible server; `faults` are used up one per chat request."""

    faults: list[str] = field(default_factory=list)
    reject_schema: bool = False
    reject_extension: bool = False
    reject_status: int = 400
    deck_size: int | None = None
    models_status: int = 200
    stream: bool = True
    bodies: list[dict[str, Any]] = field(default_factory=list)
    headers: list[httpx.Headers] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    model_lists: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    async def handle(self, req: httpx.Request) -> httpx.Response:
        await trio.lowlevel.checkpoint()
        if req.url.path == "/v1/models":
            self.model_lists += 1
            if self.models_status != 200:
                return httpx.Response(self.models_status, json={"error": {"message": "down"}})
            return httpx.Response(200, json={"object": "list", "data": [{"id": "fake-model"}]})
        assert req.method == "POST" and req.url.path == "/v1/chat/completions"
        body = json.loads(await req.aread())
        self.bodies.append(body)
        self.headers.append(req.headers)
        self.times.append(trio.current_time())
        fmt = body["response_format"]
        if (self.reject_schema and fmt["type"] == "json_schema") or (
            self.reject_extension and "schema" in fmt and fmt["type"] == "json_object"
        ):
            error = {"message": "response_format: Input should be 'text' or 'json_object'"}
            return httpx.Response(self.reject_status, json={"error": error})
        fault = self.faults.pop(0) if self.faults else None
        if fault == "hang":
            await trio.sleep(math.inf)
        if fault == "500":
            return httpx.Response(503, json={"error": {"message": "the model is loading"}})
        if fault == "401":
            return httpx.Response(401, json={"error": {"message": "bad key"}})
        if fault == "stream-error":
            failed = {"error": {"message": "context window exceeded"}}
            content = f"data: {json.dumps(failed)}\n\n".encode()
            return httpx.Response(
                200, headers={"content-type": "text/event-stream"}, content=content
            )
        text = '{"slides": [{"title": "Par' if fault == "invalid" else self.answer(body)
        if not self.stream:
            message = {"role": "assistant", "content": text}
            return httpx.Response(200, json={"choices": [{"index": 0, "message": message}]})
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=self._sse(text)
        )

    def answer(self, body: dict[str, Any]) -> str:
        prompt = body["messages"][-1]["content"]
        if "narration" in prompt:
            match = re.search(r"about (\d+) words", prompt)
            return _narration(int(match.group(1)) if match else 20)
        match = re.search(r"a (\d+)-slide presentation", prompt)
        assert match is not None
        return _deck(self.deck_size if self.deck_size is not None else int(match.group(1)))

    @staticmethod
    async def _sse(text: str) -> AsyncIterator[bytes]:
        for piece in re.findall(r".{1,3}", text, re.DOTALL):  # about a token each
            chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
            yield f"data: {json.dumps(chunk)}\n\n".encode()
        yield b"data: [DONE]\n\n"


class InlineOffline:
    """The offline writer on the Trio thread: a worker thread would let `autojump_clock` jump
    to the next deadline while it runs."""

    name = "offline"

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        await trio.lowlevel.checkpoint()
        return OfflineWriter().write_content(request, grounding)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        await trio.lowlevel.checkpoint()
        return OfflineWriter().write_script(request, content, grounding)

    def health_check(self) -> None:
        return None


def writer_on(server: FakeOpenAI, **config: Any) -> LLMWriter:
    config = {"url": URL, **config}
    return LLMWriter(LLMConfig(**config), transport=server.transport(), offline=InlineOffline())


@dataclass
class Reports:
    """A progress sink that keeps what it was told."""

    seen: list[tuple[float, str]] = field(default_factory=list)

    async def __call__(self, fraction: float, note: str) -> None:
        await trio.lowlevel.checkpoint()
        self.seen.append((fraction, note))


# --- requests and shapes -------------------------------------------------------------------------


async def test_asks_for_schema_constrained_streamed_json() -> None:
    server = FakeOpenAI()
    writer = writer_on(server, model="tiny", api_key="k3y")
    req = request("Volcanoes", num_slides=4, tone="casual", language="french")
    await writer.write_content(req)
    body = server.bodies[0]
    assert body["model"] == "tiny" and body["stream"] is True
    assert server.headers[0]["authorization"] == "Bearer k3y"
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "slides" and fmt["json_schema"]["strict"] is True
    slides = fmt["json_schema"]["schema"]["properties"]["slides"]
    assert slides["minItems"] == slides["maxItems"] == 4
    # strict mode: every property required, the layout and its data too (media.llm_layouts)
    assert set(slides["items"]["required"]) == {
        "title",
        "bullets",
        *layout_fields(bounded=False)[0],
    }
    assert "layout" in slides["items"]["required"]
    prompt = " ".join(m["content"] for m in body["messages"])
    assert "Volcanoes" in prompt and "French" in prompt and "casual" in prompt
    assert 0 < body["max_tokens"] <= 1000
    assert server.model_lists == 0  # the model was named: no need to list them


async def test_model_defaults_to_the_first_listed_and_notes_go_into_the_prompt() -> None:
    server = FakeOpenAI()
    writer = writer_on(server)
    await writer.write_content(request(source_text="# Clouds\nClouds form when air cools."))
    assert server.bodies[0]["model"] == "fake-model"
    assert "Clouds form when air cools." in server.bodies[0]["messages"][-1]["content"]
    await writer.write_content(request())
    assert server.model_lists == 1  # remembered


async def test_output_has_the_contracts_shapes() -> None:
    server = FakeOpenAI()
    writer = writer_on(server)
    req = request(num_slides=3, speech_rate=150)
    content = await writer.write_content(req)
    assert content.total_slides == 3 and [s.slide_number for s in content.slides] == [1, 2, 3]
    first = content.slides[0]
    assert first.title == "Part 0" and first.bullets == ("idea 0a", "idea 0b")
    assert first.content_text == "- idea 0a\n- idea 0b"
    assert first.needs_image is False and first.needs_animation is True and first.duration > 0
    script = await writer.write_script(req, content)
    assert [s.slide_number for s in script.slide_scripts] == [1, 2, 3]
    assert all(s.narration_text.startswith("Water moves") for s in script.slide_scripts)
    assert script.language == "english" and script.topic == req.topic
    ends = [s.end_time for s in script.slide_scripts]
    assert ends == sorted(ends) and script.total_duration == ends[-1]
    assert script.slide_scripts[1].start_time == script.slide_scripts[0].end_time
    # the model is told each slide's word budget: its duration at the request's rate
    narrations = [
        b for b in server.bodies if b["response_format"]["json_schema"]["name"] != "slides"
    ]
    assert len(narrations) == 3
    budget = round(content.slides[1].duration * 150 / 60)
    assert any(f"about {budget} words" in b["messages"][-1]["content"] for b in narrations)
    assert json.loads(content.model_dump_json())["slides"][0]["needs_image"] is False


@pytest.mark.parametrize(("written", "count"), [(5, 3), (1, 3)])
async def test_exactly_num_slides_are_kept(written: int, count: int) -> None:
    server = FakeOpenAI(deck_size=written)
    content = await writer_on(server).write_content(request(num_slides=count))
    assert content.total_slides == count == len(content.slides)
    assert [s.slide_number for s in content.slides] == list(range(1, count + 1))
    assert content.slides[0].title == "Part 0"


async def test_a_long_narration_is_cut_to_its_budget() -> None:
    server = FakeOpenAI()
    writer = writer_on(server)
    req = request(num_slides=1)
    content = await writer.write_content(req)
    server.answer = lambda body: _narration(400)  # type: ignore[method-assign]
    script = await writer.write_script(req, content)
    words = len(script.slide_scripts[0].narration_text.split())
    assert 0 < words <= 1.5 * content.slides[0].duration * req.rate / 60


async def test_the_users_own_slides_never_reach_the_model() -> None:
    server = FakeOpenAI()
    writer = writer_on(server)
    req = request(slides=[{"title": "Mine", "content_text": "- a\n- b", "narration": "Hi."}])
    content = await writer.write_content(req)
    script = await writer.write_script(req, content)
    assert content.slides[0].title == "Mine" and script.slide_scripts[0].narration_text == "Hi."
    assert server.bodies == []


async def test_narration_requests_run_in_parallel_within_the_bound() -> None:
    in_flight = peak = 0
    server = FakeOpenAI()
    plain = server.handle

    async def handle(req: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await trio.sleep(0.01)
            return await plain(req)
        finally:
            in_flight -= 1

    writer = LLMWriter(LLMConfig(url=URL, parallel=2), transport=httpx.MockTransport(handle))
    req = request(num_slides=5)
    content = await writer.write_content(req)
    await writer.write_script(req, content)
    assert peak == 2


# --- schema fallback, retries, deadlines ---------------------------------------------------------


def _formats(bodies: list[dict[str, Any]]) -> list[str]:
    kinds = [b["response_format"]["type"] for b in bodies]
    return [
        k + ("+schema" if "schema" in b["response_format"] else "")
        for k, b in zip(kinds, bodies, strict=True)
    ]


async def test_a_4xx_for_the_schema_falls_back_to_json_mode() -> None:
    server = FakeOpenAI(reject_schema=True, reject_extension=True)
    writer = writer_on(server)
    req = request(num_slides=2)
    content = await writer.write_content(req)
    assert content.total_slides == 2
    assert _formats(server.bodies) == ["json_schema", "json_object+schema", "json_object"]
    await writer.write_script(req, content)
    # remembered: the narration is asked for in JSON mode straight away
    assert _formats(server.bodies[3:]) == ["json_object"] * 2
    assert writer.formats.name == "json_object"


async def test_a_500_about_the_format_steps_down_to_the_schema_extension() -> None:
    # llama-cpp-python's server: 500 for `json_schema`, and a grammar from `json_object.schema`
    server = FakeOpenAI(reject_schema=True, reject_status=500)
    writer = writer_on(server)
    content = await writer.write_content(request(num_slides=2))
    assert content.total_slides == 2
    assert _formats(server.bodies) == ["json_schema", "json_object+schema"]
    bounded = server.bodies[1]["response_format"]["schema"]
    title = bounded["properties"]["slides"]["items"]["properties"]["title"]
    assert title["maxLength"] > 0  # strings are bounded for a grammar
    strict = server.bodies[0]["response_format"]["json_schema"]["schema"]
    assert "maxLength" not in json.dumps(strict)  # strict mode's subset only


async def test_invalid_json_is_asked_again(autojump_clock: trio.testing.MockClock) -> None:
    server = FakeOpenAI(faults=["invalid"])
    content = await writer_on(server).write_content(request())
    assert content.total_slides == 3 and len(server.bodies) == 2


async def test_invalid_json_every_time_is_a_clear_error(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["invalid"] * 3)
    with pytest.raises(LLMError) as caught:
        await writer_on(server).write_content(request())
    message = str(caught.value)
    assert message.startswith("the model returned invalid JSON 3 times: ")
    assert "Traceback" not in message and "/" not in message.removeprefix(URL)


async def test_server_errors_are_retried_with_backoff(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["500", "500"])
    content = await writer_on(server, backoff=1.0).write_content(request())
    assert content.total_slides == 3
    gaps = [round(b - a, 3) for a, b in zip(server.times, server.times[1:], strict=False)]
    assert gaps == [1.0, 2.0]


async def test_server_errors_every_time_name_the_server(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["500"] * 3)
    with pytest.raises(LLMError, match=r"at http://llm\.test/v1 failed 3 times; last: HTTP 503"):
        await writer_on(server).write_content(request())


async def test_an_error_inside_the_stream_is_retried(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["stream-error", "stream-error", "stream-error"])
    with pytest.raises(LLMError) as caught:
        await writer_on(server).write_content(request())
    assert str(caught.value) == (
        f"the model server at {URL} failed 3 times; "
        "last: the stream ended with an error: context window exceeded"
    )


async def test_a_refused_key_is_not_retried() -> None:
    server = FakeOpenAI(faults=["401"])
    with pytest.raises(LLMError, match="refused the request: HTTP 401: bad key"):
        await writer_on(server).write_content(request())
    assert len(server.bodies) == 1


async def test_a_hung_request_is_retried(autojump_clock: trio.testing.MockClock) -> None:
    server = FakeOpenAI(faults=["hang"])
    content = await writer_on(server, attempt_timeout=5, timeout=60).write_content(request())
    assert content.total_slides == 3
    assert server.times[1] - server.times[0] == pytest.approx(6.0)  # 5 s, then 1 s backoff


async def test_a_slow_answer_that_keeps_coming_is_not_cut(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def slow(req: httpx.Request) -> httpx.Response:
        body = json.loads(await req.aread())

        async def chunks() -> AsyncIterator[bytes]:
            async for chunk in FakeOpenAI._sse(FakeOpenAI().answer(body)):
                await trio.sleep(2)  # 2 s a token: far past 5 s in all, never 5 s of silence
                yield chunk

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks())

    config = LLMConfig(url=URL, model="m", attempt_timeout=5, timeout=3600)
    writer = LLMWriter(config, transport=httpx.MockTransport(slow))
    start = trio.current_time()
    content = await writer.write_content(request(num_slides=1))
    assert content.total_slides == 1 and trio.current_time() - start > 5


async def test_hung_requests_every_time_name_the_silence(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["hang"] * 3)
    with pytest.raises(LLMError) as caught:
        await writer_on(server, attempt_timeout=5, timeout=60).write_content(request())
    assert str(caught.value) == f"the model server at {URL} sent nothing for 5 s, 3 times"


async def test_the_total_deadline_ends_the_call_with_a_clear_error(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["hang"] * 10)
    writer = writer_on(server, timeout=20, attempt_timeout=30)
    start = trio.current_time()
    with pytest.raises(LLMError) as caught:
        await writer.write_content(request())
    assert trio.current_time() - start == pytest.approx(20)
    assert str(caught.value) == f"the model server at {URL} did not answer within 20 s"


async def test_an_unreachable_server_is_a_clear_error(
    autojump_clock: trio.testing.MockClock,
) -> None:
    def refuse(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    writer = LLMWriter(LLMConfig(url=URL, model="m"), transport=httpx.MockTransport(refuse))
    with pytest.raises(LLMError) as caught:
        await writer.write_content(request())
    assert str(caught.value) == (
        f"cannot reach the model server at {URL} (3 tries): [Errno 111] Connection refused"
    )


async def test_fallback_writes_offline_and_says_so(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["500"] * 3)
    writer = writer_on(server, fallback=True)
    reports = Reports()
    req = request(num_slides=4)
    content = await writer.write_content(req, progress=reports)
    assert content.total_slides == 4 and content.slides[0].title == req.topic  # offline deck
    note = reports.seen[-1][1]
    assert note.startswith(f"The model server at {URL} failed 3 times; last: HTTP 503")
    assert note.endswith("; the offline writer writes the slides instead")


async def test_a_fallback_deck_is_narrated_offline_without_asking_again(
    autojump_clock: trio.testing.MockClock,
) -> None:
    server = FakeOpenAI(faults=["hang"] * 10)
    writer = writer_on(server, fallback=True, timeout=30)
    req = request(num_slides=3)
    content = await writer.write_content(req)
    asked = len(server.bodies)
    start = trio.current_time()
    script = await writer.write_script(req, content)
    assert len(server.bodies) == asked and trio.current_time() == start
    assert script == OfflineWriter().write_script(req, content)


async def test_a_whole_json_answer_is_taken_when_the_server_does_not_stream() -> None:
    server = FakeOpenAI(stream=False)
    content = await writer_on(server).write_content(request())
    assert content.total_slides == 3


async def test_streamed_tokens_are_reported() -> None:
    server = FakeOpenAI()
    writer = writer_on(server)
    reports = Reports()
    req = request(num_slides=6)
    content = await writer.write_content(req, progress=reports)
    fractions = [f for f, _ in reports.seen]
    assert len(fractions) >= 2 and fractions == sorted(fractions) and fractions[-1] <= 1
    assert reports.seen[0][1] == "Writing the slides with the llm writer… (16 tokens)"
    reports.seen.clear()
    await writer.write_script(req, content, progress=reports)
    assert reports.seen and "narration with the llm writer" in reports.seen[-1][1]


async def test_check_says_whether_the_server_answers() -> None:
    assert await writer_on(FakeOpenAI()).check() == "ok"
    down = await writer_on(FakeOpenAI(models_status=503)).check()
    assert down == "failed: HTTP 503: down"


# --- through the runtime: progress events and the generation's end -------------------------------


@dataclass
class WriterMedia(FakeMedia):
    """Fake media, except that a real `ContentWriter` writes."""

    writer: ContentWriter | None = None

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        assert self.writer is not None
        return await self.writer.write_content(request, grounding=grounding, progress=progress)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        assert self.writer is not None
        return await self.writer.write_script(
            request, content, grounding=grounding, progress=progress
        )


@pytest.fixture
def fake_media() -> WriterMedia:
    return WriterMedia(cost=0.1, writer_name="llm")


async def events_of(registry: Registry, gid: str) -> list[ProgressEvent]:
    with await registry.subscribe(gid) as events:
        return [e async for e in events]


async def test_streaming_advances_the_writer_stages(
    registry: Registry, fake_media: WriterMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.writer = writer_on(FakeOpenAI())
    gen = await registry.submit(request(num_slides=8))
    events = await events_of(registry, gen.id)
    assert events[-1].status == "completed"
    content = [e for e in events if e.status == "generating_content"]
    scripts = [e for e in events if e.status == "generating_scripts"]
    assert content[0].message == "📝 Generating presentation content (llm writer)..."
    assert len({e.progress for e in content}) > 2 and 10 < content[-1].progress <= 19
    assert "llm writer" in content[-1].message and "tokens" in content[-1].message
    assert len({e.progress for e in scripts}) > 2 and 20 < scripts[-1].progress <= 29


async def test_a_failing_model_ends_the_generation_with_a_clear_error(
    registry: Registry, fake_media: WriterMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.writer = writer_on(FakeOpenAI(faults=["hang"] * 10), timeout=45)
    gen = await registry.submit(request())
    events = await events_of(registry, gen.id)
    assert events[-1].status == "error"
    assert events[-1].message == (
        f"❌ Error: writer failed: the model server at {URL} did not answer within 45 s"
    )


async def test_fallback_completes_the_generation_and_says_so(
    registry: Registry, fake_media: WriterMedia, autojump_clock: trio.testing.MockClock
) -> None:
    fake_media.writer = writer_on(FakeOpenAI(faults=["invalid"] * 3), fallback=True)
    gen = await registry.submit(request())
    events = await events_of(registry, gen.id)
    assert events[-1].status == "completed"
    notes = [e.message for e in events if "offline writer" in e.message]
    assert len(notes) == 1
    assert notes[0].startswith("📝 The model returned invalid JSON 3 times: no JSON object in ")
    assert notes[0].endswith("; the offline writer writes the slides instead")


# --- configuration, /api/options and /health -----------------------------------------------------


def test_llm_flags_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path)])
    assert settings_from_args(args).llm is None  # the offline writer by default
    flags = ["--llm-url", URL, "--llm-model", "m", "--llm-timeout", "12.5", "--llm-fallback"]
    args = build_parser().parse_args(["serve", *flags, "--llm-parallel", "1"])
    llm = settings_from_args(args).llm
    assert llm == LLMConfig(url=URL, model="m", timeout=12.5, fallback=True, parallel=1)
    monkeypatch.setenv("VIDEOGEN_LLM_URL", URL)
    monkeypatch.setenv("VIDEOGEN_LLM_API_KEY", "secret")
    monkeypatch.setenv("VIDEOGEN_LLM_TIMEOUT", "30")
    args = build_parser().parse_args(["generate", "a topic"])
    assert (args.llm_url, args.llm_api_key, args.llm_timeout) == (URL, "secret", 30.0)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["generate", "x", "--llm-timeout", "0"])


def _app(tmp_path: Path, writer: LLMWriter) -> Any:
    settings = Settings(data_dir=tmp_path, rate_limit=0, llm=writer.config)

    async def runtime(*, task_status: trio.TaskStatus[Any]) -> None:
        store = await Store.open(tmp_path / "videogen.db")
        try:
            await run_registry(store, FakeMedia(), settings.registry, task_status=task_status)
        finally:
            with trio.CancelScope(shield=True):
                await store.aclose()

    return create_app(settings, writer=writer, runtime=runtime)


@pytest.mark.parametrize(
    ("models_status", "fallback", "code", "check"),
    [
        (200, False, 200, "ok"),
        (503, False, 503, "failed: HTTP 503: down"),
        (503, True, 200, "failed: HTTP 503: down"),
    ],
)
async def test_options_and_health_name_the_llm_writer(
    tmp_path: Path, models_status: int, fallback: bool, code: int, check: str
) -> None:
    server = FakeOpenAI(models_status=models_status)
    async with _app(tmp_path, writer_on(server, fallback=fallback)).test_app() as app:
        client = app.test_client()
        options = await (await client.get("/api/options")).get_json()
        assert options["writer"] == "llm"
        response = await client.get("/health")
        assert response.status_code == code
        assert (await response.get_json())["checks"]["llm"] == check
        await client.get("/health")
        assert server.model_lists == 1  # cached


async def test_a_hung_model_server_does_not_hang_health(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def hang(req: httpx.Request) -> httpx.Response:
        await trio.sleep(math.inf)
        raise AssertionError

    writer = LLMWriter(LLMConfig(url=URL), transport=httpx.MockTransport(hang))
    start = trio.current_time()
    assert await HealthChecks().writer(writer.health_check()) == "failed: no answer within 5 s"
    assert trio.current_time() - start == pytest.approx(5)
