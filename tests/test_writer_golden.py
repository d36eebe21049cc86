"""The offline writer's output is pinned: every language and tone, against a golden file.

`tests/data/writer_golden.json` was captured from the writer before its phrase tables moved from
Python into data files; any change to the wording, the deck plan or the timing shows up here as
the (case, language, tone) that changed. Regenerate it only for an intended change of output.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from videogen.media.languages import LANGUAGES
from videogen.media.models import TONES, GenerationRequest, UserSlide
from videogen.media.phrases import PHRASES
from videogen.media.writer import OfflineWriter

GOLDEN = Path(__file__).parent / "data" / "writer_golden.json"

_NOTES = """# Volcanoes

A volcano is an opening in the crust. Magma rises from below and erupts as lava.

## Kinds

- Shield volcanoes have gentle slopes
- Stratovolcanoes are steep and explosive

Eruptions

Ash clouds can ground flights for days. Lava flows reshape the land around them.
"""

# Each case covers different phrase keys: the longest topic deck uses every section, closer look
# and lens; the notes deck uses the introduction title and the summary.
CASES: dict[str, dict[str, object]] = {
    "topic-30": {"topic": "Photosynthesis", "num_slides": 30},
    "topic-5": {"topic": "the water cycle", "num_slides": 5},
    "topic-3": {"topic": "iPhone", "num_slides": 3},
    "topic-1": {"topic": "Jazz", "num_slides": 1},
    "notes-8": {"topic": "Volcanoes", "num_slides": 8, "source_text": _NOTES},
    "user-2": {
        "topic": "Tea",
        "slides": [
            UserSlide(title="Tea", content_text="- Green\n- Black"),
            UserSlide(title="Brewing", narration="Steep it for three minutes."),
        ],
    },
}


def digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def case_digest(case: str, language: str, tone: str) -> str:
    """The SHA-256 of the writer's content and script for one case, language and tone."""
    request = GenerationRequest(language=language, tone=tone, **CASES[case])  # type: ignore[arg-type]
    writer = OfflineWriter()
    content = writer.write_content(request)
    script = writer.write_script(request, content)
    return digest({"content": content.model_dump(mode="json"), "script": script.model_dump()})


def golden() -> dict[str, str]:
    """Every digest the golden file holds, keyed "case/language/tone", plus the whole table."""
    found = {
        f"{case}/{language}/{tone}": case_digest(case, language, tone)
        for case in CASES
        for language in LANGUAGES
        for tone in TONES
    }
    found["phrases"] = digest(phrases_as_dict())
    return found


def phrases_as_dict() -> dict[str, dict[str, dict[str, str]]]:
    return {
        language: {tone: dict(table) for tone, table in tones.items()}
        for language, tones in PHRASES.items()
    }


EXPECTED: dict[str, str] = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_writer_output_matches_golden(case: str) -> None:
    changed = [
        f"{language}/{tone}"
        for language in LANGUAGES
        for tone in TONES
        if case_digest(case, language, tone) != EXPECTED[f"{case}/{language}/{tone}"]
    ]
    assert not changed, f"{case}: output changed for {changed}"


def test_phrase_tables_match_golden() -> None:
    assert digest(phrases_as_dict()) == EXPECTED["phrases"]


def test_golden_covers_every_language_and_tone() -> None:
    assert set(EXPECTED) == {
        f"{case}/{language}/{tone}" for case in CASES for language in LANGUAGES for tone in TONES
    } | {"phrases"}
