"""Words of source text, for matching and choosing phrases: content words, crude stems, numbers.

Nothing here is learned or fetched. Stopwords exist for the languages whose sources ship or are
common (English, French, Spanish, German, Portuguese, Russian); in the others every word counts
as a content word. CJK text has no spaces: its runs of Han, kana or Hangul become character
pairs, as in `media.writer.summarise`.
"""

from __future__ import annotations

import re
from typing import Final

from videogen.media.writer.timing import is_cjk

__all__ = [
    "ARTICLES",
    "PUNCTUATION",
    "bare",
    "content_stems",
    "has_stopwords",
    "is_stopword",
    "numbers",
    "stem",
]

PUNCTUATION: Final = "\"'“”‘’«»()[]{}<>.,;:!?…—–-_/\\|*#@&%$^~`+=।॥،؛؟。，、！？：；（）「」『』"


def _words(*lines: str) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


_STOPWORDS: Final[dict[str, frozenset[str]]] = {
    "english": _words(
        "a about above after again against all also am an and any are as at be because been",
        "before being below between both but by can could did do does doing down during each few",
        "for from further had has have having he her here hers herself him himself his how",
        "however i if in into is it its itself just let like may me might more most much must my",
        "myself no nor not now of off on once only or other our ours ourselves out over own same",
        "she should so some such than that the their theirs them themselves then there these they",
        "this those through thus to too under until up upon very was we were what when where",
        "which while who whom why will with within without would yet you your yours yourself",
        "yourselves one two many often every whereas although though usually known called",
        "including include includes several another either neither",
    ),
    "french": _words(
        "a à au aux avec ce ces cet cette dans de des du elle elles en est et été être il ils",
        "la le les leur leurs lui mais même ne ni nous on ont ou où par pas peut plus pour qu que",
        "qui sa sans se ses son sont sur ta te tes toi ton tu un une vos votre vous y d l c s n",
        "ainsi aussi autre autres comme dont entre leurs était sont ses très tout tous toute",
        "toutes puis donc car lors depuis avant après sous selon",
    ),
    "spanish": _words(
        "a al algo algunos ante antes como con contra cual cuando de del desde donde durante e",
        "el ella ellas ellos en entre era es esa ese eso esta está este esto estos fue ha han",
        "hasta hay la las le les lo los más mi muy no nos o otra otro para pero por porque que",
        "quien se",
        "sea ser si sin sobre son su sus también tiene todo todos tras un una uno unos y ya sí",
        "cada así aunque dicho puede pueden fueron sido siendo tanto",
    ),
    "german": _words(
        "aber als also am an auch auf aus bei bis da damit dann das dass dem den der des die doch",
        "du durch ein eine einem einen einer eines er es für hat hatte ich ihr im in ist ja kann",
        "man mit nach nicht noch nur oder ohne sein sich sie sind so über um und uns unter vom von",
        "vor war waren was wenn wer wie wird wir zu zum zur sowie sowohl wurde wurden werden",
    ),
    "portuguese": _words(
        "a ao aos as com como da das de do dos e é ela ele eles em entre era essa esse esta este",
        "foi há isso já mais mas na nas no nos não o os ou para pela pelo por que se sem ser seu",
        "sua são também um uma uns umas sobre quando onde muito cada foram",
    ),
    "russian": _words(
        "а без более бы был была были было в вам вас весь во вот все всё вы где да даже для до",
        "его ее её если есть еще ещё же за и из или им их к как когда ко который которые кто ли",
        "на над не него нет но ну о об однако он она они оно от по под при с со так также такой",
        "там то того тоже только том у уже чем что это этот эти я",
    ),
}
# Words a phrase may start with although they are stopwords: articles and determiners.
ARTICLES: Final[dict[str, frozenset[str]]] = {
    "english": _words("the a an this these its their"),
    "french": _words("le la les un une des ce cette ces son sa ses leur leurs l"),
    "spanish": _words("el la los las un una unos unas este esta estos estas su sus"),
    "german": _words("der die das ein eine einen einem einer dieser diese dieses"),
    "portuguese": _words("o a os as um uma uns umas este esta seu sua"),
    "russian": frozenset(),
}
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS: Final = re.compile(r"(?<=\d)[,.](?=\d{3}(?:\D|$))")
_STEM_CHARS: Final = 6


def has_stopwords(language: str) -> bool:
    """Whether `language` has a stopword list here (key phrases need one)."""
    return language in _STOPWORDS


def bare(word: str) -> str:
    """`word` case-folded, without the punctuation around it."""
    return word.casefold().strip(PUNCTUATION)


def is_stopword(word: str, language: str) -> bool:
    """Whether `word` (as written) carries no content in `language`; French and Italian-style
    elisions ("l'eau") count by the word after the apostrophe."""
    return bare(word) in _STOPWORDS.get(language, frozenset())


def stem(word: str) -> str:
    """A crude stem of a bare word: a final "s" dropped, then its first six characters
    ("evaporation", "evaporates" → "evapor"; "volcanoes", "volcano" → "volcan")."""
    if word.startswith("ال") and len(word) > 4:  # the Arabic article
        word = word[2:]
    if len(word) > 4 and word.endswith("s"):
        word = word[:-1]
    return word[:_STEM_CHARS]


def content_stems(text: str, language: str) -> list[str]:
    """The stems of the content words of `text`, in order: no stopwords, no numbers (see
    `numbers`), no one-letter words; CJK runs as character pairs."""
    stops = _STOPWORDS.get(language, frozenset())
    found: list[str] = []
    for raw in text.casefold().replace("’", "'").split():
        word = raw.strip(PUNCTUATION)
        if "'" in word:  # "l'eau", "d'un": the word after the elision
            word = word.rsplit("'", 1)[1]
        run = "" if word.isascii() else "".join(char for char in word if is_cjk(char))
        if run:
            found.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        elif len(word) > 1 and word not in stops and not any(char.isdigit() for char in word):
            found.append(stem(word))
    return found


def numbers(text: str) -> set[str]:
    """The numbers `text` writes, thousands separators dropped ("3,000" and "3000" are one
    number; "3.5" is not "35")."""
    return {_THOUSANDS.sub("", match) for match in _NUMBER.findall(text)}
