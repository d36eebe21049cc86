"""Sentence splitting through sentencex: abbreviations, initials and numbers survive, in the
project's languages; the old regex splitter broke on every case marked "was split"."""

from __future__ import annotations

import pytest

from videogen.media.languages import LANGUAGES
from videogen.media.writer.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (  # initials (was split after every "R.")
            "J. R. R. Tolkien wrote The Hobbit. It appeared in 1937.",
            "english",
            ["J. R. R. Tolkien wrote The Hobbit.", "It appeared in 1937."],
        ),
        (  # an abbreviated river name (was split)
            "It flows into the Mississippi R. near Cairo. Boats use it.",
            None,
            ["It flows into the Mississippi R. near Cairo.", "Boats use it."],
        ),
        (  # "3 p.m." (was split), "Dr." and "e.g."
            "Dr. Smith arrived at 3 p.m. on Monday. Bring tools, e.g. a hammer. Done.",
            "english",
            ["Dr. Smith arrived at 3 p.m. on Monday.", "Bring tools, e.g. a hammer.", "Done."],
        ),
        (  # Spanish: "Dr.", "Sr.", "p. ej.", "3 p.m." before a lower-case word
            "El Dr. García llegó a las 3 p.m. del lunes. Vio al Sr. López, p. ej. en casa.",
            "spanish",
            ["El Dr. García llegó a las 3 p.m. del lunes.", "Vio al Sr. López, p. ej. en casa."],
        ),
        (
            "J. R. R. Tolkien escribió El hobbit. Nació en 1892.",
            "spanish",
            ["J. R. R. Tolkien escribió El hobbit.", "Nació en 1892."],
        ),
        (  # French "M." before a name; "15 h." ends its sentence
            "M. Dupont est venu. Il est 15 h. Voir plus loin.",
            "french",
            ["M. Dupont est venu.", "Il est 15 h.", "Voir plus loin."],
        ),
        (  # Russian "т. е." before a lower-case word, and initials
            "Это т. е. пример. А. С. Пушкин писал стихи.",
            "russian",
            ["Это т. е. пример.", "А. С. Пушкин писал стихи."],
        ),
        (  # decimals and a domain stay whole
            "Pi is about 3.14 here. See example.com now.",
            "english",
            ["Pi is about 3.14 here.", "See example.com now."],
        ),
        (  # the danda, and a Hindi abbreviation
            "डॉ. शर्मा आए। वह गए। यह तीसरा है।",
            "hindi",
            ["डॉ. शर्मा आए।", "वह गए।", "यह तीसरा है।"],
        ),
        (
            "光合作用很重要。它产生氧气！真的吗？",
            "chinese",
            ["光合作用很重要。", "它产生氧气！", "真的吗？"],
        ),
        ("光合作用は重要です。本当？はい", "japanese", ["光合作用は重要です。", "本当？", "はい"]),
        ("ما هذا؟ هذا كتاب. شكرا", "arabic", ["ما هذا؟", "هذا كتاب.", "شكرا"]),
    ],
)
def test_split_keeps_abbreviations_initials_and_numbers(
    text: str, language: str | None, expected: list[str]
) -> None:
    assert split_sentences(text, language) == expected


def test_split_without_a_language_still_knows_every_script() -> None:
    assert split_sentences("यह पहला है। 光合作用很重要。它产生氧气！ Fine. Really?") == [
        "यह पहला है।",
        "光合作用很重要。",
        "它产生氧气！",
        "Fine.",
        "Really?",
    ]


def test_split_collapses_whitespace_and_skips_blank_text() -> None:
    assert split_sentences("  One\n  line   here.\n\nTwo.  ") == ["One line here.", "Two."]
    assert split_sentences(" \n ") == []


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_language_splits_two_sentences(language: str) -> None:
    stop = "。" if language in {"chinese", "japanese"} else "।" if language == "hindi" else "."
    text = f"Alpha beta{stop} Gamma delta{stop}"
    assert split_sentences(text, language) == [f"Alpha beta{stop}", f"Gamma delta{stop}"]
