"""Pictograms for the offline writer's slides: a `Visual` of kind "emoji" (OpenMoji) or "icon"
(Lucide) on the content slides whose title the matcher is sure of (`media.pictograms.match`).

Owns which slides get one: bullets and big-number slides only (a diagram fills its body, and
the title, summary and Sources slides frame the deck), never a slide that already shows a
picture, and each pictogram once per deck (the same volcano on every slide says nothing). The
visual carries its source and licence; the Sources slide's credits are collected from the
visuals elsewhere (`media.writer.picture_credits`), not here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from videogen.media.pictograms.match import match_pictogram
from videogen.media.pictograms.render import PICTOGRAM_KINDS, credit_of
from videogen.media.visuals import Visual

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.writer.drafts import Draft

__all__ = ["PICTURED_LAYOUTS", "with_pictograms"]

PICTURED_LAYOUTS: Final = frozenset({"bullets", "big_number"})
# Visual kinds that already picture the slide: a pictogram beside them would compete.
_PICTURES: Final = frozenset({"image", *PICTOGRAM_KINDS})


def with_pictograms(drafts: Sequence[Draft], language: str) -> list[Draft]:
    """`drafts` with a pictogram visual added to each content slide (not the first, the title)
    whose title has a confident match in `language` not already used in the deck."""
    used: set[str] = set()
    out: list[Draft] = []
    for number, draft in enumerate(drafts, start=1):
        out.append(_pictured(draft, language, used) if number > 1 else draft)
    return out


def _pictured(draft: Draft, language: str, used: set[str]) -> Draft:
    if draft.layout not in PICTURED_LAYOUTS:
        return draft
    if any(v.kind in _PICTURES for v in draft.visuals):
        return draft
    found = match_pictogram(draft.title, language)
    if found is None or found.what in used:
        return draft
    used.add(found.what)
    source, license_ = credit_of(found.kind)
    visual = Visual(kind=found.kind, what=found.what, source=source, license=license_)
    return replace(draft, visuals=(*draft.visuals, visual))
