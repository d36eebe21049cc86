"""Phrase data files: every language's file is complete, and a broken one is named precisely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from videogen.media import phrases as phrase_data
from videogen.media.languages import LANGUAGES
from videogen.media.models import TONES
from videogen.media.phrases import (
    NARRATION_KEYS,
    PHRASES,
    REQUIRED_KEYS,
    PhraseDataError,
    phrases_path,
    read_phrase_file,
)

ROOT = Path(__file__).resolve().parent.parent


def variant(tmp_path: Path, language: str, old: str, new: str) -> Path:
    """A copy of `language`'s file with `old` replaced by `new` (which must be there)."""
    text = phrases_path(language).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{language}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_every_language_has_a_complete_file() -> None:
    assert list(PHRASES) == list(LANGUAGES)
    for language in LANGUAGES:
        tables = read_phrase_file(phrases_path(language))
        assert set(tables) == set(TONES)
        for table in tables.values():
            assert set(table) == REQUIRED_KEYS


def test_no_file_without_a_language() -> None:
    files = {path.stem for path in phrases_path("english").parent.glob("*.toml")}
    assert files == set(LANGUAGES)


def test_a_copy_of_a_file_reads_the_same(tmp_path: Path) -> None:
    path = variant(tmp_path, "french", "[phrases]", "[phrases]")
    assert read_phrase_file(path) == PHRASES["french"]


def test_enthusiastic_tone_is_derived_from_exclamations() -> None:
    french = PHRASES["french"]
    assert french["formal"]["welcome"].endswith("{topic}.")
    assert french["enthusiastic"]["welcome"].endswith("{topic} !")
    assert french["enthusiastic"]["what_title"] == french["formal"]["what_title"]
    assert PHRASES["chinese"]["enthusiastic"]["welcome"].endswith("！")


@pytest.mark.parametrize(
    ("language", "old", "new", "message"),
    [
        ("french", "lens_4 = ", "lens_5 = ", "[phrases] has unknown key 'lens_5'"),
        ("french", "lens_4 = ", "# lens_4 = ", "tone formal has no 'lens_4' in [phrases]"),
        ("english", "[tones.casual]", "[tones.grumpy]", "[tones] has unknown key 'grumpy'"),
        ("english", '[tones.casual]\nwelcome = "', "[tones.casual]\n#", "tone casual has no"),
        ("english", "[tones.casual]", "[tones.casual]\nsubtitle = 'x'", "unknown key 'subtitle'"),
        ("french", "[exclamations]", "[exclamation]", "[file] has unknown key 'exclamation'"),
        ("french", "au thème suivant : {topic}", "{topc}", "welcome has placeholder {topc}"),
        ("french", "Voici le plan", "{point} Voici", "overview_say has placeholder {point}"),
        ("french", "près : {point}", "près", "closer_say must name its {point}"),
        ("french", '"." = " !"', '"?" = " !"', "ends in '.', which [exclamations] does not list"),
        ("french", '"." = " !"', '".." = " !"', "[exclamations] key '..' is not one character"),
        ("french", '[exclamations]\n"." = " !"', "", "[exclamations] is missing"),
        ("french", 'lens_4 = "', "lens_4 = 4 #", "[phrases] lens_4 must be a string"),
        ("french", "lens_4 = ", "lens_4 == ", "cannot read the phrases of french"),
    ],
)
def test_a_broken_file_is_named_with_its_key(
    tmp_path: Path, language: str, old: str, new: str, message: str
) -> None:
    path = variant(tmp_path, language, old, new)
    with pytest.raises(PhraseDataError) as raised:
        read_phrase_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "klingon.toml"
    with pytest.raises(PhraseDataError, match=r"klingon\.toml: cannot read the phrases of klingon"):
        read_phrase_file(path)


def test_tones_change_only_narration() -> None:
    for tables in PHRASES.values():
        for key in REQUIRED_KEYS - NARRATION_KEYS:
            assert len({table[key] for table in tables.values()}) == 1, key


def test_importing_reads_no_file_and_use_reads_one_language() -> None:
    """The tables are read on first use, one language at a time, and only once."""
    code = (
        "import videogen.media.writer, videogen.media.phrases as p\n"
        "assert p._tables.cache_info().currsize == 0\n"
        "p.phrases('german', 'casual'); p.phrases('german', 'formal')\n"
        "info = p._tables.cache_info()\n"
        "assert (info.currsize, info.misses) == (1, 1), info\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert phrase_data.phrases("english", "formal") is PHRASES["english"]["formal"]
