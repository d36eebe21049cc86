"""The LLM writer's grounded prompt and how its answer becomes a credited deck (no model here:
the real model server's test is in test_llm_integration)."""

from __future__ import annotations

from tests.wiki_data import grounding
from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.llm_prompts import (
    DeckOut,
    build_content,
    content_messages,
    deck_schema,
    grounded_count,
    narration_messages,
    sources_narration,
)
from videogen.media.models import GenerationRequest

REQUEST = GenerationRequest(topic="Volcano", num_slides=4)
GROUNDING = grounding("Volcano", ("Lava", "Magma"))


def test_the_prompt_quotes_the_passages_with_ids_and_asks_for_citations() -> None:
    user = content_messages(REQUEST, GROUNDING)[1]["content"]
    assert "[s1] Volcano: A volcano is a vent" in user
    assert "[s2] Lava:" in user and "[s3] Magma:" in user
    assert "Use only facts stated in the sources below" in user
    assert '"sources" list of source ids' in user
    # the model writes all but the Sources slide, which the writer adds itself
    assert grounded_count(REQUEST, GROUNDING) == 3
    assert "exactly 3 objects" in user
    plain = content_messages(REQUEST, NO_GROUNDING)[1]["content"]
    assert "[s1]" not in plain and "exactly 4 objects" in plain


def test_the_schema_holds_citations_to_the_given_ids() -> None:
    schema = deck_schema(3, ["s1", "s2"]).strict
    slide = schema["properties"]["slides"]["items"]
    assert slide["properties"]["sources"]["items"]["enum"] == ["s1", "s2"]
    assert "sources" in slide["required"]
    assert "sources" not in deck_schema(3).strict["properties"]["slides"]["items"]["properties"]


def test_the_answer_keeps_known_ids_and_ends_with_the_credits() -> None:
    deck = DeckOut.model_validate(
        {
            "slides": [
                {"title": "Volcano", "bullets": ["A vent in the crust"], "sources": ["s1"]},
                {"title": "Lava", "bullets": ["Molten rock"], "sources": ["s2", "s9"]},
                {"title": "Magma", "bullets": ["Below the surface"], "sources": []},
            ]
        }
    )
    content = build_content(REQUEST, deck, GROUNDING)
    assert [s.layout for s in content.slides] == ["title", "bullets", "bullets", "sources"]
    assert content.slides[1].sources == ("s2",)  # "s9" was never given: dropped
    assert content.grounded and content.total_slides == 4
    assert any("Wikipedia" in b for b in content.slides[-1].bullets)
    assert {s.id for s in content.sources} == {"s1", "s2", *content.slides[-1].sources}
    assert "Wikipedia" in sources_narration(REQUEST, GROUNDING)


def test_a_slides_narration_prompt_quotes_only_what_it_cites() -> None:
    deck = DeckOut.model_validate(
        {
            "slides": [
                {"title": "Volcano", "bullets": []},
                {"title": "Lava", "bullets": ["Hot"], "sources": ["s2"]},
            ]
        }
    )
    request = GenerationRequest(topic="Volcano", num_slides=3)
    content = build_content(request, deck, GROUNDING)
    user = narration_messages(request, content, content.slides[1], 30, GROUNDING)[1]["content"]
    assert "[s2] Lava:" in user and "[s1]" not in user
    assert "Say only what these sources state" in user
