"""Retrieval: what the configured sources know about a topic, as a `Grounding`.

For each source that covers the language: the main article, then related ones.

* The main article is the best title suggestion that really is about the topic, and a wrong
  article is worse than none, so the test is strict (`_judge`): the title, without an article,
  says the same words as the topic ("The water cycle" → "Water cycle", "volcanoes" → "Volcano");
  or every word of the title is in the topic and the topic's other words are few and all occur
  in the article ("Photosynthesis in plants" → "Photosynthesis"); or the topic is a name the title
  completes by one word and no other suggestion does ("Einstein" → "Albert Einstein"). Nothing
  else: "Qzxv blorp" and "My cat Fluffy's birthday" find nothing.
* Related articles are the ones the main article names (its phrases that are titles:
  "... evaporation, transpiration, condensation ...") and the ones full text finds for the topic
  and the main article's words. They are kept only when linked to the topic (the main article
  names them, or they name the topic) and ranked by how plainly they are named, how many of the
  main article's rare words they share, how specific their title is ("Evaporation" is in 0.1 %
  of the summaries, "Earth" in 4 %) and their full-text rank; a broader subject ("Water" for
  "Water cycle") counts less. Without a main article there are none.

Two optional abilities make this cheaper and better, and both shipped sources have them:
`TitleLookup.has_title` (is there an article of this title, without reading it) and
`WordShares.share` (how common a word is among the articles). A source without them is asked
`article` for each phrase and all its words count as equally rare.

Found documents are ranked (main articles first, then related ones by relevance) and credited
"s1", "s2", ... in that order. A source that raises `KnowledgeError` is skipped and the note says
so: a broken ZIM file must not fail a generation. Sync; the sources are thread-safe.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol, runtime_checkable

from .errors import KnowledgeError
from .model import Document, Found, Grounding, SourceRef
from .words import content, has_phrase, is_stop, same_word, strip_article, tokens, without_article

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .model import Hit, KnowledgeSource

__all__ = ["TitleLookup", "WordShares", "retrieve"]

# Title suggestions judged for the main article.
SUGGESTIONS: Final = 8
# Full-text results considered for the related articles, per related article wanted (at least
# 12): most are dropped as not related enough.
CANDIDATES_PER_RELATED: Final = 4
MIN_CANDIDATES: Final = 12
# Words of the main article added to the full-text query (the longest and most repeated first;
# the source's ranking then weighs the rare ones).
KEY_WORDS: Final = 24
# The words of an article read for the titles it names, and for whether it names the topic.
LEAD_WORDS: Final = 250
# Titles the main article names that are considered, and the shortest one-word title.
MAX_NAMED: Final = 40
MIN_NAMED_LETTERS: Final = 4
# Candidates whose article is read, per related article wanted (the best by score first).
FETCHED_PER_RELATED: Final = 4
# Reciprocal-rank fusion of the two full-text queries: a hit at rank r counts FUSION / (FUSION+r).
FUSION: Final = 10.0
# An article naming the topic is linked to it about as surely as one the main article names.
BACK_LINK: Final = 0.8
# A related article scoring less than this (of 1) is left out: better fewer than off-topic.
MIN_RELEVANCE: Final = 0.25
# The share of articles a word never found is taken to have (its rarity is then 1).
RAREST: Final = 1e-4
_CLAUSE: Final = re.compile(r"[.,;:!?()\[\]{}\"“”«»—–]|\s-\s")
_WORDS: Final = re.compile(r"[\w'’-]+")
# A topic may say this many more things than the title it is matched to, if the article names
# them all ("photosynthesis in plants": one more word than "Photosynthesis").
MAX_EXTRA_WORDS: Final = 1


@dataclass(frozen=True, slots=True)
class _Pick:
    document: Document
    relevance: float
    main: bool


def _bare(title: str) -> str:
    """A title without its qualifier: "Mercury (planet)" → "Mercury"."""
    head, sep, _ = title.partition(" (")
    return head if sep and head else title


def _judge(
    topic: str, hit: Hit, others: Sequence[Hit], text: Callable[[], str], language: str
) -> float:
    """How surely the article suggested as `hit` is the one about `topic`: 0 when it is not
    (see the module docstring for the three ways it can be). `text` reads the article, only
    when its words must be checked."""
    name = _bare(hit.title)
    if strip_article(tokens(name, language), language) == strip_article(
        tokens(topic, language), language
    ):
        return 1.0
    wanted = tuple(dict.fromkeys(content(topic, language)))
    have = tuple(dict.fromkeys(content(name, language)))
    if not wanted or not have:
        return 0.0
    covered = [w for w in wanted if any(same_word(w, h) for h in have)]
    inside = all(any(same_word(h, w) for w in wanted) for h in have)
    if inside and covered:
        if len(covered) == len(wanted):
            return 0.95  # the same words, in another order or form ("Volcanic" → "Volcano")
        extra = [w for w in wanted if w not in covered]
        if len(extra) > MAX_EXTRA_WORDS * len(have):
            return 0.0
        words = tokens(text(), language)
        return (
            0.9 * len(covered) / len(wanted) if all(has_phrase(words, (w,)) for w in extra) else 0
        )

    # A name completed by one word, when no other suggestion completes it too.
    completes = [
        other
        for other in others
        if all(any(same_word(w, h) for h in content(_bare(other.title), language)) for w in wanted)
        and len(set(content(_bare(other.title), language))) == len(wanted) + 1
    ]
    if len(covered) == len(wanted) and len(have) == len(wanted) + 1 and len(completes) == 1:
        return 0.7
    return 0.0


def _title_forms(topic: str, language: str) -> list[str]:
    """The titles an article about `topic` may have exactly: the topic, without its leading
    article, each with a capital first letter, and the singular of a plural last word
    ("The volcanoes" → "Volcanoes", "Volcano"; "Rainforests" → "Rainforest")."""
    bases = dict.fromkeys((topic.strip(), without_article(topic.strip(), language)))
    forms: dict[str, None] = {}
    for base in bases:
        if not base:
            continue
        head, _, last = base.rpartition(" ")
        singulars = []
        if last.endswith("ies") and len(last) > MIN_NAMED_LETTERS:
            singulars.append(last[:-3] + "y")
        if last.endswith("oes") or last.endswith("ches") or last.endswith("shes"):
            singulars.append(last[:-2])
        if last.endswith("s") and not last.endswith("ss") and len(last) > MIN_NAMED_LETTERS:
            singulars.append(last[:-1])
        for form in (base, *(f"{head} {one}".strip() for one in singulars)):
            forms.update(dict.fromkeys((form, form[:1].upper() + form[1:])))
    return list(forms)


def _exact_title(source: KnowledgeSource, topic: str, language: str) -> str | None:
    """The title of an article whose title is one of `_title_forms(topic)`, when the source
    can look titles up cheaply (`TitleLookup`): a large ZIM's suggestions can be crowded by
    longer titles that start with the topic ("Volcanoes of Italy" before "Volcano")."""
    if not isinstance(source, TitleLookup):
        return None
    for form in _title_forms(topic, language):
        title = source.has_title(form, language)
        if title is not None:
            return title
    return None


def _main(source: KnowledgeSource, topic: str, language: str) -> Document | None:
    """The article about `topic`, or None: the best suggestion `_judge` accepts; between equally
    good ones, the one full text on the topic ranks first ("Photosynthesis in plants" →
    "Photosynthesis" rather than "Plant"); when it accepts none, an article whose title is
    exactly the topic's (`_exact_title`)."""
    hits = source.suggest(topic, language, SUGGESTIONS)
    read: dict[str, Document | None] = {}  # each article read once, and only when needed

    def article(title: str) -> Document | None:
        if title not in read:
            read[title] = source.article(title, language)
        return read[title]

    def text(title: str) -> Callable[[], str]:
        return lambda: getattr(article(title), "text", "")

    judged: list[tuple[float, str]] = []
    for hit in hits:
        score = _judge(topic, hit, hits, text(hit.title), language)
        if score == 1.0 and article(hit.title) is not None:
            return article(hit.title)
        if score > 0:
            judged.append((score, hit.title))
    best = max((score for score, _ in judged), default=0.0)
    ties = [title for score, title in judged if score == best]
    if len(ties) > 1:
        order = {hit.title: n for n, hit in enumerate(source.search(topic, language, SUGGESTIONS))}
        ties.sort(key=lambda title: order.get(title, len(order)))
    for title in ties:
        found = article(title)
        if found is not None:
            return found
    # None of the suggestions is about the topic: in a large file they may all be longer titles
    # that start with it ("Volcanoes of Italy"); an exact title may still be there ("Volcano").
    exact = _exact_title(source, topic, language)
    return article(exact) if exact is not None else None


@runtime_checkable
class TitleLookup(Protocol):
    """A source that can say cheaply whether it has an article of a given title (optional: for
    the others, `article` is asked)."""

    def has_title(self, title: str, language: str) -> str | None:
        """The article's own title for `title` (another case, a redirect's target), or None."""
        ...


@runtime_checkable
class WordShares(Protocol):
    """A source that knows how common a word is among its articles (optional: without it every
    named article counts as equally specific)."""

    def share(self, word: str, language: str) -> float | None:
        """The share of articles whose text has `word`, 0 to 1; None when it cannot tell."""
        ...


def _key_words(document: Document, topic: str, language: str) -> list[str]:
    """The main article's words for the full-text query: the topic's, then its most telling."""
    words = content(document.text, language)
    counts = Counter(w for w in words if len(w) > 3)
    ranked = sorted(counts, key=lambda w: (-counts[w] * (1 + len(w) / 8), words.index(w)))
    own = list(dict.fromkeys(content(f"{topic} {document.title}", language)))
    return own + [w for w in ranked if w not in own][:KEY_WORDS]


def _phrases(text: str, language: str) -> dict[str, bool]:
    """The phrases of one to three words in `text` that could be an article's title, in order
    of first appearance (within a clause, not starting or ending with a stop word), each with
    whether it once stood whole: not inside a longer run of content words ("salt" in "salt
    water" does not; "evaporation" in "evaporation, transpiration" does)."""
    found: dict[str, bool] = {}
    for clause in _CLAUSE.split(" ".join(text.split()[:LEAD_WORDS])):
        words = _WORDS.findall(clause)
        meaningful = [not is_stop(word, language) for word in words]
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                if not meaningful[i] or not meaningful[i + size - 1]:
                    continue
                if size == 1 and len(words[i]) < MIN_NAMED_LETTERS:
                    continue
                whole = (i == 0 or not meaningful[i - 1]) and (
                    i + size == len(words) or not meaningful[i + size]
                )
                phrase = " ".join(words[i : i + size])
                found[phrase] = found.get(phrase, False) or whole
    return found


def _named(source: KnowledgeSource, main: Document, language: str) -> dict[str, float]:
    """Articles the main article names (its phrases that are titles) → how plainly: 1 for the
    first named, down to 0.5 for the last; half that for a phrase never standing whole."""
    lookup = source if isinstance(source, TitleLookup) else None
    named: dict[str, float] = {}
    for phrase, whole in _phrases(main.text, language).items():
        forms = dict.fromkeys((phrase, phrase[:1].upper() + phrase[1:]))
        singular = phrase[:-1] if phrase.endswith("s") and len(phrase) > MIN_NAMED_LETTERS else ""
        if singular:
            forms.update(dict.fromkeys((singular, singular[:1].upper() + singular[1:])))
        for form in forms:
            if lookup is not None:
                title = lookup.has_title(form, language)
            else:
                document = source.article(form, language)
                title = None if document is None else document.title
            if title is not None and title != main.title:
                if title not in named:
                    plain = 1 - len(named) / (2 * MAX_NAMED)
                    named[title] = plain if whole else plain / 2
                break
        if len(named) >= MAX_NAMED:
            break
    return named


def _rarity(source: KnowledgeSource, word: str, language: str) -> float:
    """How rare `word` is among the source's articles, 0 (in every one) to 1 (in one or none);
    0.5 when the source cannot tell."""
    share = source.share(word, language) if isinstance(source, WordShares) else None
    return 0.5 if share is None else -math.log(max(share, RAREST)) / -math.log(RAREST)


def _specificity(source: KnowledgeSource, title: str, language: str) -> float:
    """How specific a title is: the rarity of its rarest word."""
    return max((_rarity(source, w, language) for w in content(_bare(title), language)), default=0.5)


def _related(
    source: KnowledgeSource, main: Document, topic: str, language: str, limit: int
) -> list[_Pick]:
    """Up to `limit` articles related to `main`, best first (see the module docstring)."""
    if limit <= 0:
        return []
    wanted = max(MIN_CANDIDATES, limit * CANDIDATES_PER_RELATED)
    keys = _key_words(main, topic, language)
    ranks: dict[str, float] = {}
    for query in (" ".join(keys), f"{topic} {main.title}"):
        for rank, hit in enumerate(source.search(query, language, wanted)):
            if hit.title != main.title:
                ranks[hit.title] = ranks.get(hit.title, 0.0) + FUSION / (FUSION + rank)
    named = _named(source, main, language)
    parents = content(_bare(main.title), language)

    # First without reading them: the named ones by how plainly and specifically, the others
    # by full-text rank; the best of each are read.
    by_name = sorted(
        named,
        key=lambda t: (
            -(named[t] + _specificity(source, t, language) + min(1.0, ranks.get(t, 0) / 2))
        ),
    )
    by_text = sorted((t for t in ranks if t not in named), key=lambda t: -ranks[t])
    fetched = limit * FETCHED_PER_RELATED
    candidates = by_name[: fetched // 2] + by_text[: fetched - fetched // 2]

    # The main article's telling words, weighted by rarity: what a related article shares.
    weights = {w: _rarity(source, w, language) for w in keys}
    total = sum(weights.values()) or 1.0
    subjects = [p for p in (content(topic, language), parents) if p]
    picks: list[_Pick] = []
    for title in candidates:
        document = source.article(title, language)
        if document is None or document.title == main.title:
            continue
        lead = tokens(" ".join(document.text.split()[:LEAD_WORDS]), language)
        names_topic = any(has_phrase(lead, subject) for subject in subjects)
        if title not in named and not names_topic:
            continue  # found by full text only, and not about the topic
        words = content(_bare(title), language)
        # A title made of the main title's words only is the broader subject ("Water" for
        # "Water cycle", "Revolution" for "French Revolution"): less to the point.
        broader = bool(words) and len(words) < len(parents) and all(w in parents for w in words)
        shared = sum(weight for word, weight in weights.items() if word in set(lead)) / total
        # Linked either way: the main article names it, or it names the topic.
        link = max(named.get(title, 0.0), BACK_LINK * names_topic)
        relevance = (
            0.3 * link
            + 0.4 * min(1.0, 2 * shared)
            + 0.1 * _specificity(source, title, language)
            + 0.15 * min(1.0, ranks.get(title, 0.0) / 2)
            + 0.05 * (title in named and names_topic)
            - 0.2 * broader
        )
        picks.append(_Pick(document, max(0.01, min(0.99, relevance)), main=False))
    picks.sort(key=lambda pick: -pick.relevance)
    return [pick for pick in picks if pick.relevance >= MIN_RELEVANCE][:limit]


def _ref(n: int, document: Document) -> SourceRef:
    return SourceRef(f"s{n}", document.title, document.origin, document.license)


def _language_name(language: str) -> str:
    return language[:1].upper() + language[1:]


def retrieve(
    topic: str, language: str, sources: Sequence[KnowledgeSource], *, related: int
) -> Grounding:
    """The main article about `topic` and up to `related` related ones, from every source that
    covers `language`, best first (see the module docstring). Never raises for a broken source:
    the note says it was skipped."""
    started = time.perf_counter()
    searched: list[str] = []
    said: list[str] = []
    mains: list[tuple[_Pick, str]] = []
    others: list[tuple[_Pick, str]] = []
    found_in: list[tuple[str, str]] = []  # (source name, main title), where said goes
    for source in sources:
        if not source.covers(language):
            said.append(f"{source.name} has no {_language_name(language)} articles")
            continue
        searched.append(source.name)
        try:
            main = _main(source, topic, language) if topic.strip() else None
            extra = [] if main is None else _related(source, main, topic, language, related)
        except KnowledgeError as exc:
            said.append(f"{source.name} was skipped ({exc})")
            continue
        if main is None:
            said.append(f"No article about '{topic.strip()}' in {source.name}")
            continue
        mains.append((_Pick(main, 1.0, main=True), source.name))
        others.extend((pick, source.name) for pick in extra)
        found_in.append((source.name, main.title))
        said.append(source.name)  # replaced below, once the related ones are counted
    others.sort(key=lambda item: -item[0].relevance)
    chosen = mains + others[: max(0, related)]
    for name, title in found_in:
        n = sum(1 for pick, where in chosen if where == name and not pick.main)
        count = f" and {n} related article{'s' if n != 1 else ''}" if n else ""
        said[said.index(name)] = f"Found '{title}'{count} in {name}"
    found = tuple(
        Found(
            ref=_ref(n, pick.document),
            document=pick.document,
            relevance=pick.relevance,
            main=pick.main,
        )
        for n, (pick, _) in enumerate(chosen, start=1)
    )
    if not sources:
        said.append("No knowledge source is configured")
    note = "; ".join(said) + "." if said else ""
    return Grounding(
        found=found,
        searched=tuple(searched),
        note=note,
        passages_ms=(time.perf_counter() - started) * 1000,
    )
