"""Breaking text into lines: words for spaced scripts, characters (with kinsoku) for CJK.

Never inside an Indic conjunct or between a mark and its base.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Final

from videogen.media.slides.body import clean

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["cjk_tokens", "clusters", "greedy", "soft_break", "word_tokens"]


# Japanese and Chinese line-breaking rules (kinsoku): these never start or end a line.
_NO_LINE_START: Final = frozenset(
    "、。，．,.!?！？:;：；)]}）」』】〕〉》”’ーぁぃぅぇぉっゃゅょァィゥェォッャュョ…・%％"
)
_NO_LINE_END: Final = frozenset("([{（「『【〔〈《“‘")


# Where a word too long for a line (a URL, a path) may break and still read as one: after a
# slash or a hyphen, before a dot, an underscore or a query's punctuation (the usual rule for
# URLs in print).
_BREAK_AFTER: Final = frozenset("/-")
_BREAK_BEFORE: Final = frozenset("._?#&=~")


def soft_break(before: str, after: str) -> bool:
    """Whether a long word may break between `before` and `after` (never inside "//")."""
    if not before or not after or before[-1] == after[0] == "/":
        return False
    return before[-1] in _BREAK_AFTER or after[0] in _BREAK_BEFORE


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in {"Mn", "Mc", "Me"} or char in "\u200c\u200d"


def clusters(text: str) -> list[str]:
    """Split `text` where a line may break inside a word: never inside a conjunct.

    A mark stays with its base, and a virama (or zero-width joiner) binds the next consonant,
    so Indic syllables such as क्ष stay whole.
    """
    found: list[str] = []
    bind_next = False
    for char in text:
        if found and (bind_next or _is_mark(char)):
            found[-1] += char
        else:
            found.append(char)
        bind_next = unicodedata.combining(char) == 9 or char == "\u200d"
    return found


def word_tokens(text: str) -> list[str]:
    return clean(text).replace(" ", "\0 \0").split("\0") if text.strip() else []


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def cjk_tokens(text: str) -> list[str]:
    """Break opportunities for unspaced scripts: between characters, except inside Latin words
    and digits and where kinsoku forbids it."""
    tokens: list[str] = []
    for cluster in clusters(clean(text)):
        previous = tokens[-1] if tokens else " "
        glue = (
            previous != " "
            and cluster != " "
            and (
                cluster[0] in _NO_LINE_START
                or previous[-1] in _NO_LINE_END
                or (_is_word_char(cluster[0]) and _is_word_char(previous[-1]))
            )
        )
        if glue:
            tokens[-1] += cluster
        else:
            tokens.append(cluster)
    return tokens


def greedy(tokens: Sequence[str], width: Callable[[str], float], limit: float) -> list[str]:
    """Fill lines token by token, summing token widths (so each word is measured only once).

    Spaces are dropped at line ends; a word wider than a whole line is split between clusters.
    """
    lines: list[str] = []
    current, used, spaced = "", 0.0, False
    for token in tokens:
        if token == " ":
            spaced = bool(current)
            continue
        gap = width(" ") if spaced else 0.0
        need = width(token)
        if current and used + gap + need > limit:
            lines.append(current)
            current, used, spaced, gap = "", 0.0, False, 0.0
        if not current and need > limit:
            *full, current = _split_word(token, width, limit)
            lines.extend(full)
            used = width(current)
        else:
            current += (" " if spaced else "") + token
            used += gap + need
        spaced = False
    if current:
        lines.append(current)
    return lines


def _split_word(word: str, width: Callable[[str], float], limit: float) -> list[str]:
    """Break a word wider than the line between clusters (at least one cluster per piece), at
    the last soft break (`soft_break`) of a piece when it has one."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0.0
    for cluster in clusters(word):
        need = width(cluster)
        if current and used + need > limit:
            cut = next(
                (
                    i
                    for i in range(len(current) - 1, 0, -1)
                    if soft_break(current[i - 1], current[i])
                ),
                len(current),
            )
            pieces.append("".join(current[:cut]))
            current = current[cut:]
            used = sum(width(c) for c in current)
        current.append(cluster)
        used += need
    pieces.append("".join(current))
    return pieces
