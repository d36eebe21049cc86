"""`videogen generate` with knowledge: the issue's "done when", run as a user runs it.

With no flags a known topic is written from the shipped encyclopedia and credits Wikipedia on
its last slide; `--source` takes a PDF or a Markdown file, `--zim` a ZIM file that `videogen
make-zim` wrote from a folder of Markdown; bad sources and ZIM files exit 2 with one line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

VIDEOGEN = str(Path(sys.executable).with_name("videogen"))
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VIDEOGEN, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def generate(data: Path, *args: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    done = run("generate", *args, "--data-dir", str(data))
    assert done.returncode == 0, done.stderr[-2000:]
    printed = dict(line.split(":", 1) for line in done.stdout.splitlines())
    content = json.loads(Path(printed["content"].strip()).read_text(encoding="utf-8"))
    script = json.loads(Path(printed["script"].strip()).read_text(encoding="utf-8"))
    assert Path(printed["video"].strip()).stat().st_size > 10_000
    return content, script


def spoken(script: dict) -> str:  # type: ignore[type-arg]
    return " ".join(s["narration_text"] for s in script["slide_scripts"]).casefold()


def test_a_known_topic_with_no_flags_talks_facts_and_cites_wikipedia(tmp_path: Path) -> None:
    content, script = generate(tmp_path / "data", "The water cycle")
    assert content["grounded"] is True
    said = spoken(script)
    for term in ("evaporation", "condensation", "precipitation"):
        assert term in said, term
    last = content["slides"][-1]
    assert last["layout"] == "sources"
    assert any("Wikipedia" in b and "CC BY-SA 4.0" in b for b in last["bullets"])
    assert content["sources"][0]["origin"] == "https://en.wikipedia.org/wiki/Water_cycle"
    assert content["faithfulness"]["sentences"] > 0
    assert content["faithfulness"]["unsupported"] == 0
    assert not any(s["title"].startswith("What is") for s in content["slides"])


def test_an_unknown_topic_says_so_and_falls_back(tmp_path: Path) -> None:
    content, _ = generate(tmp_path / "data", "Qzxv blorp", "--slides", "3")
    assert content["grounded"] is False and content["sources"] == []


@pytest.mark.parametrize(
    ("source", "topic", "words"),
    [
        ("composting.pdf", "Home composting", ("compost", "browns", "microbes")),
        ("onboarding.md", "Team onboarding", ("buddy", "laptop", "reviewed")),
    ],
)
def test_a_pdf_or_markdown_source_becomes_the_deck(
    tmp_path: Path, source: str, topic: str, words: tuple[str, ...]
) -> None:
    content, script = generate(tmp_path / "data", topic, "--source", str(EXAMPLES / source))
    assert content["grounded"] is True
    assert [s["origin"] for s in content["sources"]] == [source]
    assert content["sources"][0]["license"] == "provided by the user"
    said = spoken(script)
    assert all(word in said for word in words), said
    assert content["slides"][-1]["layout"] == "sources"


def test_make_zim_then_generate_from_it(tmp_path: Path) -> None:
    zim = tmp_path / "bread.zim"
    made = run("make-zim", str(EXAMPLES / "bread"), str(zim), "--title", "Bread notes")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"{zim}: 3 articles"  # libzim's chatter goes to stderr
    content, script = generate(tmp_path / "data", "Sourdough starter", "--zim", str(zim))
    assert content["grounded"] is True
    assert content["sources"][0]["origin"] == "bread.zim/Sourdough_starter"
    assert "flour and water" in spoken(script)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "missing.pdf"], "--source missing.pdf: no such file"),
        (["--source", "https://example.com/a"], "need the server to run with --online"),
        (["--zim", "missing.zim"], "--zim missing.zim"),
        (["--knowledge", "maybe"], "knowledge"),
    ],
)
def test_bad_sources_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = run("generate", "Tea", *args, "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not (tmp_path / "data" / "generations").exists()


def test_a_binary_source_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    binary = tmp_path / "noise.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    done = run("generate", "Tea", "--source", str(binary), "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 2 and "not text" in done.stderr, done.stderr
    assert list((tmp_path / "data" / "uploads").glob("*")) == []
