"""The grounded extractive deck, on the shipped encyclopedia summaries and a user's document."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.wiki_data import article, grounding, summaries
from videogen.media.knowledge.model import Document, Found, Grounding, Section, SourceRef
from videogen.media.models import GenerationRequest
from videogen.media.writer.credits import FRAMING_LAYOUTS
from videogen.media.writer.extract import MAX_BULLET_WORDS
from videogen.media.writer.grounded_deck import MAX_BULLETS, grounded_deck
from videogen.media.writer.sentences import split_sentences
from videogen.media.writer.words import is_stopword

if TYPE_CHECKING:
    from videogen.media.writer.drafts import Draft

WATER = ("Water cycle", ("Evaporation", "Precipitation", "Condensation", "Cloud"))


def deck(
    topic: str, main: str, related: tuple[str, ...], count: int = 5, language: str = "english"
) -> list[Draft]:
    request = GenerationRequest(topic=topic, num_slides=count, language=language)
    return grounded_deck(request, grounding(main, related, language))


def content(drafts: list[Draft]) -> list[Draft]:
    return [d for d in drafts if d.layout not in {"title", "sources"}]


def spoken(drafts: list[Draft]) -> str:
    return " ".join(d.narration for d in drafts).casefold()


def test_water_cycle_talks_about_evaporation_condensation_precipitation() -> None:
    drafts = deck("The water cycle", *WATER)
    assert len(drafts) == 5
    said = spoken(content(drafts))
    for term in ("evaporation", "condensation", "precipitation"):
        assert term in said, term


def test_title_slide_opens_with_the_definition_not_a_welcome() -> None:
    first = deck("The water cycle", *WATER)[0]
    definition = split_sentences(article("Water cycle").text)[0]
    assert (first.title, first.layout, first.sources) == ("The water cycle", "title", ("s1",))
    assert first.narration == definition
    assert first.content_text == "Biogeochemical cycle for movement of water on Earth"
    assert "welcome" not in first.narration.casefold()


def test_last_slide_credits_wikipedia_cc_by_sa() -> None:
    drafts = deck("The water cycle", *WATER)
    last = drafts[-1]
    assert (last.layout, last.title) == ("sources", "Sources")
    assert "Text from Wikipedia, CC BY-SA 4.0" in last.bullets
    assert "Wikipedia" in last.narration and "CC BY-SA 4.0" in last.narration
    cited = sorted({s for d in drafts[:-1] for s in d.sources})
    assert sorted(last.sources) == cited
    refs = {f.ref.id: f.ref for f in grounding(*WATER).found}
    for source in cited:
        ref = refs[source]
        assert f"{ref.title} — {ref.origin} (CC BY-SA 4.0)" in last.bullets


@pytest.mark.parametrize(
    ("topic", "related"),
    [
        (WATER[0], WATER[1]),
        ("Volcano", ("Magma", "Lava", "Plate tectonics")),
        ("Photosynthesis", ("Chlorophyll", "Carbon dioxide", "Oxygen")),
        ("Black hole", ("General relativity", "Event horizon", "Neutron star")),
    ],
)
@pytest.mark.parametrize("count", [3, 5, 8])
def test_content_slides_have_short_drawn_bullets(
    topic: str, related: tuple[str, ...], count: int
) -> None:
    known = tuple(t for t in related if t in summaries("english"))
    drafts = deck(topic, topic, known, count)
    assert len(drafts) <= count
    slides = content(drafts)
    assert slides, "a deck with material has content slides"
    source_text = " ".join(f.document.text for f in grounding(topic, known).found).casefold()
    for slide in slides:
        assert 2 <= len(slide.bullets) <= MAX_BULLETS, slide
        # A content slide's layout comes from its words (media.writer.layouts); never framing.
        assert slide.layout not in FRAMING_LAYOUTS and slide.sources
        assert "…" not in slide.title and not slide.title.startswith("What is")
        for bullet in slide.bullets:
            words = bullet.split()
            assert len(words) <= MAX_BULLET_WORDS, bullet
            assert not is_stopword(words[-1], "english"), bullet
            # Every word shown is the source's own.
            for word in words:
                assert word.casefold().strip(",.;:") in source_text, (word, bullet)


def test_no_sentence_is_said_twice() -> None:
    drafts = deck("The water cycle", *WATER, count=8)
    said = [s for d in drafts for s in split_sentences(d.narration)]
    assert len(said) == len(set(said))


def test_exactly_num_slides_when_material_allows_and_fewer_when_not() -> None:
    assert len(deck("The water cycle", *WATER, count=5)) == 5
    assert len(deck("The water cycle", *WATER, count=6)) == 6
    # Five short summaries cannot fill 30 slides: the deck is shorter, not padded.
    long = deck("The water cycle", *WATER, count=30)
    assert 6 <= len(long) < 30
    assert long[-1].layout == "sources"
    assert all(len(d.bullets) >= 2 for d in content(long))


def test_one_and_two_slide_decks_still_credit_wikipedia() -> None:
    (only,) = deck("The water cycle", *WATER, count=1)
    assert only.layout == "title"
    assert "Text from Wikipedia, CC BY-SA 4.0" in only.content_text
    assert "CC BY-SA 4.0" in only.narration
    title, sources = deck("The water cycle", *WATER, count=2)
    assert (title.layout, sources.layout) == ("title", "sources")
    assert "Text from Wikipedia, CC BY-SA 4.0" in sources.bullets


def test_numbers_and_names_are_kept_exactly() -> None:
    drafts = deck("Volcano", "Volcano", ("Magma", "Lava"), count=8)
    source = " ".join(f.document.text for f in grounding("Volcano", ("Magma", "Lava")).found)
    shown = [*(b for d in content(drafts) for b in d.bullets), spoken(content(drafts))]
    figures = {n for text in shown for n in re.findall(r"\d[\d,.]*\d|\d", text)}
    assert figures, "the volcano deck states figures"
    for figure in figures:
        assert figure in source, figure
    # figures are said, not only shown, and said as the source writes them
    said = [n for d in content(drafts) for n in re.findall(r"\d[\d,.]*\d|\d", d.narration)]
    assert said and all(n in source for n in said), said


def test_each_slide_cites_the_sources_its_sentences_come_from() -> None:
    ground = grounding(*WATER)
    texts = {f.ref.id: f.document.text for f in ground.found}
    for slide in content(deck("The water cycle", *WATER)):
        for sentence in split_sentences(slide.narration):
            bare = re.sub(r"^(Also|In addition), ", "", sentence)
            assert any(bare[1:] in texts[s] for s in slide.sources), sentence


def test_narration_fits_about_twenty_seconds_per_slide() -> None:
    from videogen.media.writer.timing import estimate_seconds

    for slide in content(deck("Photosynthesis", "Photosynthesis", ("Chlorophyll",), 6)):
        parts = split_sentences(slide.narration)
        seconds = estimate_seconds(slide.narration, rate_wpm=165, language="english")
        # Over 20 s only when one sentence alone is longer: no slide is silent.
        assert seconds <= 22 or len(parts) == 1, slide.narration


def test_french_deck_from_the_french_summaries() -> None:
    drafts = deck(
        "Le cycle de l'eau",
        "Cycle de l'eau",
        ("Évaporation", "Précipitations", "Nuage"),
        5,
        "french",
    )
    assert len(drafts) == 5
    assert [d.title for d in drafts[1:-1]] == ["Évaporation", "Précipitations", "Nuage"]
    assert drafts[-1].title == "Sources"
    assert "Texte de Wikipédia, CC BY-SA 4.0" in drafts[-1].bullets
    assert "Wikipédia" in drafts[-1].narration
    said = spoken(content(drafts))
    assert "évaporation" in said and "précipitations" in said and "nuage" in said


def test_spanish_deck_keeps_its_figures() -> None:
    related = ("Energía renovable", "Hidroelectricidad", "Energía eólica")
    drafts = deck("Energía solar", "Energía solar", related, 5, "spanish")
    assert drafts[-1].title == "Fuentes"
    assert "Texto de Wikipedia, CC BY-SA 4.0" in drafts[-1].bullets
    assert drafts[0].narration.startswith("La energía solar es una energía renovable")
    text = " ".join(b for d in content(drafts) for b in (*d.bullets, d.narration))
    found = grounding("Energía solar", related, "spanish").found
    source = " ".join(f.document.text for f in found)
    figures = re.findall(r"\d[\d,.]*\d%?|\d%?", text)
    assert figures and all(figure in source for figure in figures), figures


MARKDOWN_VOLCANOES = Document(
    title="Volcano notes",
    origin="volcano-notes.md",
    license="provided by the user",
    sections=(
        Section(
            None,
            (
                "A volcano is an opening in a planet's crust. Magma rises from the mantle below.",
                "Most volcanoes sit on the edges of tectonic plates.",
            ),
        ),
        Section(
            "Kinds of volcano",
            (
                "Shield volcanoes have gentle slopes built by runny lava. "
                "Stratovolcanoes are steep cones of ash and lava layers.",
                "Cinder cones are the smallest kind and rarely reach 300 metres.",
            ),
        ),
        Section(
            "Eruptions",
            (
                "Explosive eruptions throw ash high into the stratosphere. "
                "Effusive eruptions pour out lava flows that reshape the land.",
            ),
        ),
        Section(
            "Famous eruptions",
            (
                "Vesuvius buried Pompeii in 79 AD. Krakatoa erupted in 1883 and was heard "
                "4,800 kilometres away. Mount St. Helens erupted on 18 May 1980.",
            ),
        ),
    ),
    language="english",
)


def user_grounding(document: Document = MARKDOWN_VOLCANOES) -> Grounding:
    ref = SourceRef("s1", document.title, document.origin, document.license)
    return Grounding((Found(ref, document, 1.0, main=True),), ("your documents",))


def test_a_documents_headings_become_its_slides() -> None:
    request = GenerationRequest(topic="Volcanoes", num_slides=5)
    drafts = grounded_deck(request, user_grounding())
    assert [d.title for d in drafts[1:-1]] == ["Kinds of volcano", "Eruptions", "Famous eruptions"]
    assert drafts[0].narration == "A volcano is an opening in a planet's crust."
    famous = drafts[3]
    assert "Mount St. Helens erupted on 18 May 1980" in famous.bullets
    assert "4,800 kilometres" in famous.narration or any("4,800" in b for b in famous.bullets)
    last = drafts[-1]
    assert last.bullets == ("Volcano notes — volcano-notes.md (provided by the user)",)
    assert "Wikipedia" not in last.narration
    six = grounded_deck(GenerationRequest(topic="Volcanoes", num_slides=6), user_grounding())
    # Room for the lead too: it has no heading and no repeated word, so the table names it.
    assert [d.title for d in six[1:-1]] == [
        "Introduction",
        "Kinds of volcano",
        "Eruptions",
        "Famous eruptions",
    ]


def test_a_document_merges_into_fewer_slides_and_splits_into_more() -> None:
    merged = grounded_deck(GenerationRequest(topic="Volcanoes", num_slides=3), user_grounding())
    assert len(merged) == 3
    assert len(merged[1].bullets) >= 2
    more = grounded_deck(GenerationRequest(topic="Volcanoes", num_slides=8), user_grounding())
    # Four sections of two or three sentences: splitting stops where halves would hold one.
    assert 5 <= len(more) <= 8
    titles = [d.title for d in more]
    assert len(titles) == len(set(titles))


def test_the_deck_is_deterministic_and_needs_a_grounding() -> None:
    assert deck("The water cycle", *WATER) == deck("The water cycle", *WATER)
    with pytest.raises(ValueError, match="document"):
        grounded_deck(GenerationRequest(topic="x"), Grounding())
