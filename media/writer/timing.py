"""How long narration takes to say: words, and CJK characters, at a speech rate.

Estimates only, to plan slides and scripts; speech measures the real lengths later
(`media.timeline`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.languages import LANGUAGES

if TYPE_CHECKING:
    from videogen.media.models import GenerationRequest

__all__ = ["MIN_SLIDE_SECONDS", "estimate_seconds", "is_cjk", "slide_seconds", "word_units"]

# A slide stays up at least this long, however short its narration, so it can be read.
MIN_SLIDE_SECONDS: Final = 2.0
# Speech rate that `_CJK_CHARS_PER_SECOND` is measured at.
_CJK_REFERENCE_WPM: Final = 175
_CJK_CHARS_PER_SECOND: Final = 4.0


def is_cjk(char: str) -> bool:
    """Whether `char` is a Han, kana or Hangul character (spoken one syllable each)."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
    )


def word_units(text: str) -> float:
    """The length of `text` in spoken words: CJK characters count as a fraction of a word.

    At the reference rate a word takes 60/175 s and a CJK character 1/4 s, so one character is
    175/240 of a word; other tokens with a letter or digit count one each.
    """
    words = 0
    chars = 0
    for token in text.split():
        cjk = sum(1 for char in token if is_cjk(char))
        chars += cjk
        if any(char.isalnum() and not is_cjk(char) for char in token):
            words += 1
    return words + chars * _CJK_REFERENCE_WPM / (60 * _CJK_CHARS_PER_SECOND)


def estimate_seconds(text: str, *, rate_wpm: int, language: str) -> float:
    """How long `text` takes to say at `rate_wpm` words per minute.

    Words are counted between spaces; Chinese and Japanese (and any Han, kana or Hangul inside
    other text) are counted by character, about 4 characters a second at 175 words per minute,
    scaled with the rate. Pauses are not counted: speech measures the real length later.
    Raises ValueError for a rate that is not positive or a language not in `LANGUAGES`.
    """
    if rate_wpm <= 0:
        raise ValueError(f"rate_wpm must be positive, got {rate_wpm}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return word_units(text) * 60.0 / rate_wpm


def slide_seconds(narration: str, request: GenerationRequest) -> float:
    """A slide's duration: its narration's estimate to 0.1 s, never under `MIN_SLIDE_SECONDS`."""
    seconds = estimate_seconds(narration, rate_wpm=request.rate, language=request.language)
    return max(MIN_SLIDE_SECONDS, round(seconds, 1))
