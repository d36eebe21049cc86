"""The README is executable: its Quick start and usage lines, run as written on a fresh copy.

Every ```sh block of README.md is read from the README itself (so the two cannot drift) and run
under the heading it stands in: `make serve` from a copy of the tree with no `.venv` and no data,
then the HTTP API lines (curl) against it, then the command-line lines while it serves, then the
LLM writer's lines against a real model server on the port they name. A block under a heading
this test does not know fails the fast test below, so a new usage line cannot go untested.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest

from tests.processes import Child

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT: Final = Path(__file__).resolve().parents[1]
README: Final = ROOT / "README.md"
# The headings whose ```sh blocks this module runs, and how.
RUNNERS: Final = ("Quick start", "Command line", "HTTP API", "LLM writer")
# What `make serve` listens on (the Makefile's defaults, which the README shows).
BASE: Final = "http://127.0.0.1:8000"
# A fresh copy sets up its .venv from pip's cache: generous, as on a first run.
SETUP_SECONDS: Final = 900.0
# Lines run through this wrapper report each curl's status on stderr; they are still run as
# written (the function only adds a write-out).
CURL_WRAPPER: Final = (
    "curl() { command curl -w '%{stderr}HTTP %{http_code} %{method} %{url}\\n' \"$@\"; }\n"
)


@dataclass(frozen=True)
class Block:
    heading: str
    lines: list[str]  # logical lines: continuations joined, blank and comment lines dropped

    @property
    def script(self) -> str:
        return "\n".join(self.lines) + "\n"


def sh_blocks(text: str) -> list[Block]:
    """Every ```sh block of `text` with the nearest heading above it."""
    blocks: list[Block] = []
    heading = ""
    current: list[str] | None = None
    for raw in text.splitlines():
        if current is None:
            if match := re.match(r"#{1,4} (.+)", raw):
                heading = match.group(1).strip()
            elif raw.strip() == "```sh":
                current = []
            continue
        if raw.strip() == "```":
            blocks.append(Block(heading, _logical(current)))
            current = None
        else:
            current.append(raw)
    return blocks


def _logical(raw: list[str]) -> list[str]:
    lines, pending = [], ""
    for line in raw:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1].rstrip() + " "
            continue
        whole = (pending + line.strip()).strip()
        pending = ""
        if whole and not whole.startswith("#"):
            lines.append(whole)
    return lines


def blocks_under(heading: str) -> list[Block]:
    return [b for b in sh_blocks(README.read_text(encoding="utf-8")) if b.heading == heading]


def test_every_usage_block_has_a_runner_and_quick_start_is_two_commands() -> None:
    blocks = sh_blocks(README.read_text(encoding="utf-8"))
    assert {b.heading for b in blocks} == set(RUNNERS)
    (quick,) = blocks_under("Quick start")
    assert [line.split("#")[0].strip() for line in quick.lines] == ["make serve", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _fresh_copy(target: Path) -> Path:
    """The tree as a new clone has it (tracked and new files, nothing git ignores)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source, copy = ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # videogen/actors -> ../actors, as git keeps it
            copy.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, copy)
    return target


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _fresh_copy(tmp_path_factory.mktemp("fresh") / "videogen")


def _start(line: str, cwd: Path, log: Path, base: str = BASE) -> Child:
    """A long-running line (`make serve`, `videogen serve`), up once `/health` answers."""
    port = int(base.rsplit(":", 1)[1])
    assert _port_free(port), f"port {port}, which the README serves on, is taken"
    child = Child(["bash", "-c", line], log, cwd=cwd)
    child.wait_for_url(f"{base}/health", seconds=SETUP_SECONDS, what=line)
    return child


@pytest.fixture
def make_serve(fresh: Path) -> Iterator[Child]:
    (quick,) = blocks_under("Quick start")
    with _start(quick.lines[0], fresh, fresh.parent / "make-serve.log") as child:
        yield child


def _run(script: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", CURL_WRAPPER + script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _statuses(stderr: str) -> list[tuple[int, str, str]]:
    found = re.findall(r"^HTTP (\d{3}) (\S+) (\S+)$", stderr, flags=re.MULTILINE)
    return [(int(code), method, url) for code, method, url in found]


@pytest.mark.slow
@pytest.mark.timeout(SETUP_SECONDS + 600)
def test_quick_start_then_every_curl_and_cli_line(fresh: Path, make_serve: Child) -> None:
    (api,) = blocks_under("HTTP API")
    done = _run(api.script, fresh)
    assert done.returncode == 0, done.stderr[-3000:]
    statuses = _statuses(done.stderr)
    curls = [line for line in api.lines if line.startswith("curl ")]
    assert len(statuses) == len(curls), done.stderr[-3000:]
    for line, (code, method, url) in zip(curls, statuses, strict=True):
        allowed = {200, 201, 202, 206}  # 201: an upload stored
        if "/api/cancel/" in url:
            allowed.add(409)  # the README cancels a generation that has already finished
        if "--etag-compare" in line:
            allowed = {304}  # a revalidation of the copy the line before saved
        assert code in allowed, f"{method} {url} answered {code}:\n{done.stdout[-2000:]}"
    assert (fresh / "v.mp4").stat().st_size > 10_000
    assert (fresh / "tail.bin").stat().st_size == 1000
    assert '"status": "completed"' in done.stdout  # the SSE stream ran to the end

    # the command line, while the server serves the same default data dir
    (cli,) = blocks_under("Command line")
    ran = _run(cli.script, fresh)
    assert ran.returncode == 0, ran.stderr[-3000:]
    videos = re.findall(r"^video:\s+(.+)$", ran.stdout, flags=re.MULTILINE)
    generates = [line for line in cli.lines if " generate " in line]
    assert len(videos) == len(generates), ran.stdout
    assert all(Path(v).is_file() and Path(v).stat().st_size > 10_000 for v in videos)
    for name in re.findall(r"(?:-o|--output) (\S+)", cli.script):
        assert (fresh / name).stat().st_size > 10_000
    assert make_serve.process.poll() is None  # the server is unaffected


@pytest.fixture
def model_server_on_8080(tmp_path: Path) -> Iterator[str]:
    """llama-cpp-python's server where the README's LLM lines point, serving SmolLM2 as the
    model they name."""
    (block,) = blocks_under("LLM writer")
    url = re.search(r"--llm-url (\S+)", block.script)
    model = re.search(r"--llm-model (\S+)", block.script)
    assert url and model
    host_port = url.group(1).split("//")[1].split("/")[0]
    host, port = host_port.split(":")
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    from tests.test_llm_integration import smollm2_gguf

    assert _port_free(int(port)), f"port {port}, which the README's LLM lines use, is taken"
    argv = [
        *(sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf())),
        *("--model_alias", model.group(1), "--host", host, "--port", port),
        *("--n_ctx", "2048", "--verbose", "False", "--interrupt_requests", "False"),
    ]
    with Child(argv, tmp_path / "llama.log") as child:
        child.wait_for_url(f"{url.group(1)}/models", seconds=120, what="model server")
        yield url.group(1)


@pytest.mark.slow
@pytest.mark.llm
@pytest.mark.timeout(SETUP_SECONDS + 600)
def test_llm_writer_lines(fresh: Path, model_server_on_8080: str, tmp_path: Path) -> None:
    (block,) = blocks_under("LLM writer")
    for line in block.lines:
        if " serve" in line:
            with _start(line, fresh, tmp_path / "llm-serve.log"):
                options = subprocess.run(
                    ["curl", "-s", f"{BASE}/api/options"], capture_output=True, check=True
                )
                assert json.loads(options.stdout)["writer"] == "llm"
            continue
        ran = _run(line, fresh)
        assert ran.returncode == 0, ran.stderr[-3000:]
        (video,) = re.findall(r"^video:\s+(.+)$", ran.stdout, flags=re.MULTILINE)
        assert Path(video).stat().st_size > 10_000
