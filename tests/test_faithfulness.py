"""The faithfulness check: claims matched against source passages, in any language."""

from __future__ import annotations

import time

from tests.wiki_data import article, grounding
from videogen.media.knowledge.model import Document, Found, Grounding, Section, SourceRef
from videogen.media.models import GenerationRequest, Unsupported
from videogen.media.writer.faithfulness import Claimed, assess, claims
from videogen.media.writer.grounded_deck import grounded_deck
from videogen.media.writer.sentences import split_sentences

WATER = grounding("Water cycle", ("Evaporation", "Precipitation", "Condensation", "Cloud"))
WATER_TEXT = split_sentences(article("Water cycle").text)
MADE_UP = "Volcanoes are made of chocolate and sing softly at midnight."


def test_the_extractive_deck_is_wholly_supported() -> None:
    drafts = grounded_deck(GenerationRequest(topic="The water cycle", num_slides=6), WATER)
    result = assess(claims(drafts), WATER, "english")
    assert result.sentences > 10
    assert (result.supported, result.unsupported, result.flagged) == (result.sentences, 0, ())


def test_a_made_up_sentence_is_flagged_and_a_copied_one_passes() -> None:
    copied = WATER_TEXT[-1]  # "The ocean plays a key role ... 86% of global evaporation."
    result = assess([Claimed(3, (), f"{copied} {MADE_UP}")], WATER, "english")
    assert (result.supported, result.unsupported, result.sentences) == (1, 1, 2)
    assert result.flagged == (Unsupported(slide_number=3, text=MADE_UP),)


def test_a_plausible_sentence_on_the_topic_is_still_flagged() -> None:
    # Every word is about the water cycle, but no passage says it.
    invented = "Rainforests recycle most groundwater through deep roots every winter."
    result = assess([Claimed(2, (invented,), "")], WATER, "english")
    assert result.unsupported == 1


def test_numbers_must_match_exactly() -> None:
    copied = WATER_TEXT[-1]
    assert "86%" in copied
    changed = copied.replace("86%", "68%")
    result = assess([Claimed(2, (), changed)], WATER, "english")
    assert result.flagged == (Unsupported(slide_number=2, text=changed),)
    # "3,000" and "3000" are one number.
    volcano = grounding("Volcano")
    ok = assess(
        [Claimed(2, ("Mantle plumes 3000 kilometres deep within Earth",), "")], volcano, "english"
    )
    assert ok.supported == 1


def test_bullets_cut_from_a_sentence_and_two_adjacent_sentences_pass() -> None:
    first, second = WATER_TEXT[1], WATER_TEXT[2]
    joined = f"{first.rstrip('.')} but {second[0].lower()}{second[1:]}"
    result = assess(
        [Claimed(2, ("The mass of water on Earth remains fairly constant",), joined)],
        WATER,
        "english",
    )
    assert (result.supported, result.unsupported) == (2, 0)
    # Two sentences of the article that are not neighbours are no passage.
    apart = f"{WATER_TEXT[1].rstrip('.')} and {WATER_TEXT[5][0].lower()}{WATER_TEXT[5][1:]}"
    assert assess([Claimed(2, (), apart)], WATER, "english").unsupported == 1


def test_a_connective_is_not_part_of_the_claim() -> None:
    french = grounding("Cycle de l'eau", ("Nuage",), "french")
    sentence = split_sentences(article("Nuage", "french").text, "french")[2]
    claim = f"De plus, {sentence[0].lower()}{sentence[1:]}"
    assert assess([Claimed(2, (), claim)], french, "french").supported == 1
    invented = "De plus, les nuages sont faits de coton et chantent la nuit."
    assert assess([Claimed(2, (), invented)], french, "french").unsupported == 1


def test_chinese_claims_match_by_character_pairs() -> None:
    document = Document(
        "光合作用",
        "notes.md",
        "provided by the user",
        (Section(None, ("光合作用是植物利用光能把二氧化碳和水转化为葡萄糖的过程。它释放氧气。",)),),
    )
    found = Found(SourceRef("s1", document.title, document.origin, document.license), document, 1.0)
    ground = Grounding((found,))
    result = assess(
        [Claimed(2, ("植物利用光能把二氧化碳和水转化为葡萄糖",), "火山喷发出熔岩和火山灰。")],
        ground,
        "chinese",
    )
    assert (result.supported, result.unsupported) == (1, 1)
    assert result.flagged[0].text == "火山喷发出熔岩和火山灰。"


def test_claims_skip_title_and_sources_slides() -> None:
    drafts = grounded_deck(GenerationRequest(topic="The water cycle", num_slides=5), WATER)
    checked = claims(drafts)
    assert [c.slide_number for c in checked] == [2, 3, 4]
    assert all(c.bullets for c in checked)


def test_a_thirty_slide_deck_is_checked_in_milliseconds() -> None:
    drafts = grounded_deck(GenerationRequest(topic="The water cycle", num_slides=30), WATER)
    slides = [Claimed(n, d.bullets, d.narration) for n, d in enumerate(drafts * 3, start=1)][:30]
    assess(slides, WATER, "english")  # warm: the phrase table and sentencex
    start = time.perf_counter()
    result = assess(slides, WATER, "english")
    elapsed = time.perf_counter() - start
    assert result.sentences > 60
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms"
