"""What a deck rests on, in its content: `grounded`, `sources` and `faithfulness`.

Every writer's content goes through here, so the offline and the LLM writer credit and check
alike: `credited` when the content is written, `with_faithfulness` once the narration is (the
scripts stage calls it: the check covers what the narrator says, too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.models import SourceInfo
from videogen.media.writer.faithfulness import Claimed, assess

if TYPE_CHECKING:
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, Script

__all__ = ["FRAMING_LAYOUTS", "credited", "with_faithfulness"]

# Slides that frame a deck rather than state its facts (a title, the credits, a notes deck's
# closing summary in the phrase table's words): not held to the sources.
FRAMING_LAYOUTS: Final = frozenset({"title", "sources", "summary"})


def credited(content: Content, grounding: Grounding) -> Content:
    """`content` with `grounded` and the sources its slides cite, in `grounding`'s order
    (every source found when no slide cites one; nothing found: unchanged)."""
    if not grounding.grounded:
        return content
    cited = {source for slide in content.slides for source in slide.sources}
    sources = tuple(
        SourceInfo(id=ref.id, title=ref.title, origin=ref.origin, license=ref.license)
        for ref in grounding.sources
        if ref.id in cited or not cited
    )
    return content.model_copy(update={"grounded": True, "sources": sources})


def with_faithfulness(
    content: Content, script: Script, grounding: Grounding, language: str
) -> Content:
    """`content` with how far `grounding` supports each content slide's bullets and narration
    sentences; ungrounded content is returned as it is."""
    if not content.grounded or not grounding.grounded:
        return content
    spoken = {s.slide_number: s.narration_text for s in script.slide_scripts}
    claims = [
        Claimed(slide.slide_number, slide.bullets, spoken.get(slide.slide_number, ""))
        for slide in content.slides
        if slide.layout not in FRAMING_LAYOUTS
    ]
    return content.model_copy(update={"faithfulness": assess(claims, grounding, language)})
