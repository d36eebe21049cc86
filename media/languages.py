"""The languages videogen speaks and writes: voice, script, font and BCP 47 tag for each.

This table is the single source of truth: the request model validates against it, speech picks its
espeak-ng voice from it, the slide renderer picks its font from it, and `/api/options` lists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["LANGUAGES", "Language"]


@dataclass(frozen=True, slots=True)
class Language:
    """One supported language.

    `voice` is an espeak-ng voice id; `script` names the writing system, which decides the font;
    `rtl` marks right-to-left scripts; `bcp47` is the tag used for subtitles and the page.
    """

    name: str
    voice: str
    script: str
    bcp47: str
    rtl: bool = False
    # Spaces between words? CJK text wraps per character, not per word.
    spaced: bool = True


LANGUAGES: Final[dict[str, Language]] = {
    lang.name: lang
    for lang in (
        # The reference's eleven.
        Language("english", "gmw/en-us", "latin", "en"),
        Language("hindi", "inc/hi", "devanagari", "hi"),
        Language("kannada", "dra/kn", "kannada", "kn"),
        Language("telugu", "dra/te", "telugu", "te"),
        Language("tamil", "dra/ta", "tamil", "ta"),
        Language("bengali", "inc/bn", "bengali", "bn"),
        Language("gujarati", "inc/gu", "gujarati", "gu"),
        Language("malayalam", "dra/ml", "malayalam", "ml"),
        Language("marathi", "inc/mr", "devanagari", "mr"),
        Language("odia", "inc/or", "oriya", "or"),
        Language("punjabi", "inc/pa", "gurmukhi", "pa"),
        # Beyond the reference.
        Language("spanish", "roa/es", "latin", "es"),
        Language("french", "roa/fr", "latin", "fr"),
        Language("german", "gmw/de", "latin", "de"),
        Language("portuguese", "roa/pt-br", "latin", "pt"),
        Language("russian", "zle/ru", "cyrillic", "ru"),
        Language("chinese", "sit/cmn", "han-sc", "zh", spaced=False),
        Language("japanese", "jpx/ja", "han-jp", "ja", spaced=False),
        Language("arabic", "sem/ar", "arabic", "ar", rtl=True),
    )
}
