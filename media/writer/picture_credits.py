"""Credits for the pictures a deck shows: the one place they are collected (`credit_visuals`).

Every visual that came from elsewhere carries `source` and `license` (a source's picture, an
OpenMoji pictogram, a Lucide icon); other code only fills those two fields. `credit_visuals`
collects them from every slide, one line per (kind of picture, source, licence), in the order
the slides show them:

- "Pictograms: OpenMoji, CC BY-SA 4.0" for `emoji` and `icon` visuals;
- "Pictures: Water cycle, CC BY-SA 4.0" for `image` visuals (a ZIM article's, a document's or
  an uploaded picture).

The lines are added to the Sources slide's bullets (after its own, each once). A deck without
a Sources slide (a topic deck with a pictogram, a notes deck) is left as it is: every slide
showing a credited picture carries its credit in its own footer (`media.slides.layout`), which
is what a licence such as CC BY-SA asks (the credit shown with the work), while a slide of its
own would change the deck's length and extra bullets would change the user's own last slide.
The narration is left as it was (a credit is read, not spoken). `picture_sources` gives the
same credits as `content.sources` entries, for the images a deck's sources list does not hold yet.

Pure: no I/O; the same slides give the same credits. The labels are English for now (the phrase
tables have no words for them yet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.models import SourceInfo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import Slide, Visual

__all__ = ["credit_lines", "credit_visuals", "picture_sources"]

_LABELS: Final = {"emoji": "Pictograms", "icon": "Pictograms", "image": "Pictures"}


def _credited(visual: Visual) -> bool:
    return bool(visual.source and visual.license) and visual.kind in _LABELS


def credit_lines(slides: Sequence[Slide]) -> list[str]:
    """One line per (label, source, licence) of the slides' credited visuals, in slide order."""
    keys = dict.fromkeys(
        (_LABELS[v.kind], v.source, v.license)
        for slide in slides
        for v in slide.visuals
        if _credited(v)
    )
    by_label: dict[tuple[str, str | None], list[str]] = {}
    for label, source, license in keys:
        by_label.setdefault((label, license), []).append(str(source))
    # Several sources under one licence share a line: "Pictures: Rain, Cloud, CC BY-SA 4.0".
    return [
        f"{label}: {', '.join(sources)}, {license}"
        for (label, license), sources in by_label.items()
    ]


def _with_lines(slide: Slide, lines: Sequence[str]) -> Slide:
    """`slide` with `lines` it does not show yet added: as bullets (and "- " lines of its
    body) when it has bullets, as lines of its body otherwise."""
    new = [line for line in lines if line not in slide.bullets and line not in slide.content_text]
    if not new:
        return slide
    text = "\n".join(part for part in (slide.content_text, *(f"- {n}" for n in new)) if part)
    update: dict[str, object] = {"content_text": text}
    if slide.bullets:
        update["bullets"] = (*slide.bullets, *new)
    return slide.model_copy(update=update)


def credit_visuals(slides: Sequence[Slide]) -> list[Slide]:
    """`slides` with the credits of their pictures on the Sources slide; unchanged when no
    visual needs a credit or there is no Sources slide (each picture's own slide credits it in
    its footer: see the module docstring)."""
    deck = list(slides)
    lines = credit_lines(deck)
    index = next((i for i, s in enumerate(deck) if s.layout == "sources"), None)
    if not lines or index is None:
        return deck
    deck[index] = _with_lines(deck[index], lines)
    return deck


def picture_sources(
    slides: Sequence[Slide], sources: Sequence[SourceInfo]
) -> tuple[SourceInfo, ...]:
    """`sources` with an entry for each credited picture whose source it does not list yet
    (by title): id "p1", "p2", ..., origin the picture's source name. Pictograms are not
    sources of the deck's facts: they are credited on the slides only."""
    known = {source.title for source in sources}
    added: list[SourceInfo] = []
    for slide in slides:
        for visual in slide.visuals:
            if visual.kind != "image" or not _credited(visual) or visual.source in known:
                continue
            name = str(visual.source)
            known.add(name)
            added.append(
                SourceInfo(
                    id=f"p{len(added) + 1}", title=name, origin=name, license=str(visual.license)
                )
            )
    return (*sources, *added)
