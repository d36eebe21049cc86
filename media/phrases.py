"""The fixed wording of the offline writer: one data file per language, read once and checked.

Each language in `LANGUAGES` has `media/data/phrases/<language>.toml`, shipped as package data.
Its templates map a key to text; `{topic}` is replaced by the request's topic as the user typed it
(never translated), and `closer_say` also takes `{point}`, one bullet of the deck. Templates are
written so the topic can stand in the nominative, unchanged: after a colon, in apposition ("the
topic X"), or where the grammar of the language leaves the noun alone. A file holds:

- `[phrases]`: the templates of every tone (all of `REQUIRED_KEYS`, or all but the spoken
  `NARRATION_KEYS` when every tone has its own);
- `[tones.<tone>]`, optional: spoken keys worded for that tone, replacing those of `[phrases]`;
- `[exclamations]`, needed when there is no `[tones.enthusiastic]`: the final full stops of the
  language's narrations and the exclamation marks that replace them in the enthusiastic tone.

A tone without a table of its own speaks `[phrases]` (the enthusiastic tone with its exclamation
marks). English words every tone its own way; the other languages share one neutral variant.
`PHRASES[language][tone]` is always a complete table. A file is read the first time its language
is asked for, and checked then: a missing or broken file raises `PhraseDataError` naming the file
and the key, a packaging bug rather than a bad request.

TOML rather than JSON: the notes on each language's grammar stay as comments beside its text,
a changed phrase is a one-line diff, and `tomllib` is in the standard library. Reading one file
takes about a millisecond, paid once per process and language.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from videogen.media.languages import LANGUAGES
from videogen.media.models import TONES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "GENERAL_KEYS",
    "NARRATION_KEYS",
    "PHRASES",
    "REQUIRED_KEYS",
    "SECTIONS",
    "SECTION_PRIORITY",
    "PhraseDataError",
    "phrases",
    "phrases_path",
    "read_phrase_file",
    "section_key",
]

# The middle of a generated deck, in the order a presentation tells them.
SECTIONS: Final[tuple[str, ...]] = (
    "what",
    "history",
    "why",
    "how",
    "ideas",
    "examples",
    "myths",
    "challenges",
    "start",
    "future",
)
# Which sections a short deck keeps first; the deck still shows them in `SECTIONS` order.
SECTION_PRIORITY: Final[tuple[str, ...]] = (
    "what",
    "why",
    "how",
    "ideas",
    "examples",
    "challenges",
    "myths",
    "history",
    "start",
    "future",
)
# Per section: its title, three bullets, and one narration.
_SECTION_FIELDS: Final[tuple[str, ...]] = ("title", "1", "2", "3", "say")

GENERAL_KEYS: Final[tuple[str, ...]] = (
    "subtitle",
    "welcome",
    "overview_title",
    "overview_say",
    "summary_title",
    "summary_1",
    "summary_2",
    "summary_3",
    "summary_say",
    "intro_title",
    "closer_say",
    "lens_1",
    "lens_2",
    "lens_3",
    "lens_4",
    # The grounded deck (`media.writer.grounded_deck`): its Sources slide and its connectives.
    "sources_title",
    "sources_say",
    "sources_wikipedia",
    "sources_say_wikipedia",
    "connective_also",
    "connective_addition",
)


def section_key(section: str, field: str) -> str:
    """The table key of one field of a section, e.g. `section_key("why", "say") == "why_say"`."""
    return f"{section}_{field}"


REQUIRED_KEYS: Final[frozenset[str]] = frozenset(GENERAL_KEYS) | {
    section_key(section, field) for section in SECTIONS for field in _SECTION_FIELDS
}
# The spoken keys: these are what tone changes.
NARRATION_KEYS: Final[frozenset[str]] = frozenset(
    {"welcome", "overview_say", "summary_say", "closer_say"}
    | {section_key(section, "say") for section in SECTIONS}
)

_DATA_DIR: Final = Path(__file__).parent / "data" / "phrases"
_FILE_TABLES: Final = frozenset({"phrases", "tones", "exclamations"})
_PLACEHOLDER: Final = re.compile(r"\{([^{}]*)\}")
# The only placeholders a template may hold; `{point}` only in the one key that is given a point.
_PLACEHOLDERS: Final = frozenset({"topic"})
_POINT_KEY: Final = "closer_say"
# A narration ending in a question stays a question in the enthusiastic tone.
_QUESTION_MARKS: Final = frozenset("?？؟")

Table = Mapping[str, str]


class PhraseDataError(Exception):
    """A phrase file is missing, unreadable or incomplete; the message names the file and key."""


def phrases_path(language: str) -> Path:
    """Where the phrase file of `language` lives (whether or not it exists)."""
    return _DATA_DIR / f"{language}.toml"


def _strings(value: object, path: Path, table: str) -> dict[str, str]:
    """`value` as a table of strings; PhraseDataError naming `table` otherwise."""
    if not isinstance(value, dict):
        raise PhraseDataError(f"{path}: [{table}] is missing or is not a table")
    for key, text in value.items():
        if not isinstance(text, str):
            raise PhraseDataError(f"{path}: [{table}] {key} must be a string")
    return value


def _check_keys(keys: Iterable[str], allowed: frozenset[str], path: Path, table: str) -> None:
    unknown = sorted(set(keys) - allowed)
    if unknown:
        raise PhraseDataError(f"{path}: [{table}] has unknown key {unknown[0]!r}")


def _check_template(key: str, text: str, path: Path, table: str) -> None:
    """A template holds only the placeholders its key is given, and `closer_say` its point."""
    names = set(_PLACEHOLDER.findall(text))
    allowed = _PLACEHOLDERS | {"point"} if key == _POINT_KEY else _PLACEHOLDERS
    unknown = sorted(names - allowed)
    if unknown:
        raise PhraseDataError(
            f"{path}: [{table}] {key} has placeholder {{{unknown[0]}}}; "
            f"allowed: {', '.join(f'{{{name}}}' for name in sorted(allowed))}"
        )
    if key == _POINT_KEY and "point" not in names:
        raise PhraseDataError(f"{path}: [{table}] {key} must name its {{point}}")


def _exclaimed(table: Table, marks: Mapping[str, str], path: Path) -> dict[str, str]:
    """`table` with each narration's final full stop replaced by its exclamation mark."""
    result = dict(table)
    for key in NARRATION_KEYS & set(table):
        stripped = table[key].rstrip()
        end = stripped[-1:]
        if end in marks:
            result[key] = stripped[:-1] + marks[end]
        elif end in _QUESTION_MARKS:
            result[key] = stripped
        else:
            raise PhraseDataError(
                f"{path}: [phrases] {key} ends in {end!r}, which [exclamations] does not list"
            )
    return result


def _tone_table(tone: str, base: Table, data: Mapping[str, object], path: Path) -> Table:
    """The complete table of one tone: its own spoken keys over `[phrases]`, or derived."""
    tones = data.get("tones", {})
    assert isinstance(tones, dict)  # checked by `read_phrase_file`
    if tone in tones:
        return {**base, **tones[tone]}
    if tone != "enthusiastic":
        return base
    marks = _strings(data.get("exclamations"), path, "exclamations")
    for stop in marks:
        if len(stop) != 1:
            raise PhraseDataError(f"{path}: [exclamations] key {stop!r} is not one character")
    return _exclaimed(base, marks, path)


def read_phrase_file(path: Path) -> Mapping[str, Table]:
    """Every tone's complete table from one phrase file, checked (see the module's docstring).

    Raises PhraseDataError, naming the file and the key, for a file that cannot be read or parsed,
    an unknown table, tone or key, a missing key, a placeholder the key is not given, or an
    enthusiastic narration with no exclamation mark for its ending.
    """
    language = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PhraseDataError(f"{path}: cannot read the phrases of {language}: {error}") from error
    _check_keys(data, _FILE_TABLES, path, "file")
    base = _strings(data.get("phrases"), path, "phrases")
    _check_keys(base, REQUIRED_KEYS, path, "phrases")
    tones = data.setdefault("tones", {})
    if not isinstance(tones, dict):
        raise PhraseDataError(f"{path}: [tones] must be a table of tones")
    _check_keys(tones, frozenset(TONES), path, "tones")
    for tone, spoken in tones.items():
        _check_keys(_strings(spoken, path, f"tones.{tone}"), NARRATION_KEYS, path, f"tones.{tone}")
    neutral = MappingProxyType(base)
    built: dict[str, Table] = {}
    for tone in TONES:
        table = _tone_table(tone, base, data, path)
        where = f"tones.{tone}" if tone in data["tones"] else "phrases"
        missing = sorted(REQUIRED_KEYS - set(table))
        if missing:
            raise PhraseDataError(f"{path}: tone {tone} has no {missing[0]!r} in [{where}]")
        for key, text in table.items():
            _check_template(key, text, path, where)
        built[tone] = neutral if table is base else MappingProxyType(table)
    return MappingProxyType(built)


@functools.cache
def _tables(language: str) -> Mapping[str, Table]:
    """tone → table for `language`, read once per process."""
    return read_phrase_file(phrases_path(language))


class _Phrases(Mapping[str, Mapping[str, Table]]):
    """language → tone → key → template; each language is read on first use."""

    def __getitem__(self, language: str) -> Mapping[str, Table]:
        if language not in LANGUAGES:
            raise KeyError(language)
        return _tables(language)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


# language → tone → key → template, for every language in `LANGUAGES`.
PHRASES: Final[Mapping[str, Mapping[str, Table]]] = _Phrases()


def phrases(language: str, tone: str) -> Table:
    """The phrase table for `language` in `tone`.

    Raises ValueError for a language not in `LANGUAGES` or a tone not in `TONES`, and
    PhraseDataError when the language's file is missing or broken.
    """
    if language not in LANGUAGES:
        raise ValueError(f"no phrases for language {language!r}")
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; allowed: {', '.join(TONES)}")
    return _tables(language)[tone]
