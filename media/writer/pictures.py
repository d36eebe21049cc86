"""A source's pictures on the slides whose text they belong to.

`place_pictures` is given the content slides of a deck, each with the (source id, section
heading) pairs its sentences came from, and the documents found. A document's picture that has
bytes (`Picture.data`, checked by `media.pictures.checked`) goes on the first slide that tells
its section's text, else on the first slide drawn from its document; one picture a slide, each
picture once; an uploaded picture (a document without text) on the first free slide. Only a
bullets slide takes one (a chart or a timeline already has its drawing); it
becomes an `image` slide: the picture with its caption beside the bullets, as
`Visual(kind="image", what=caption, source=document title, license=document licence)`.

`deck_pictures` gives the bytes of every picture a content shows, by content name, for the
writer stage to write where the slide renderer reads them (`media.pictures.save_pictures`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from videogen.media.pictures import PictureError, checked, identify, picture_name
from videogen.media.visuals import Visual, VisualData

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from videogen.media.knowledge.model import Found, Grounding, Picture
    from videogen.media.models import Content
    from videogen.media.writer.drafts import Draft

__all__ = ["deck_pictures", "picture_visual", "place_pictures"]


def picture_visual(picture: Picture, source: str, license: str) -> Visual | None:
    """The `image` visual of `picture` credited to `source` under `license`; None when it has
    no bytes or they do not decode."""
    if not picture.data:
        return None
    try:
        info = checked(picture.data)
    except PictureError:
        return None
    caption = picture.what or source
    data = VisualData(
        picture=picture_name(picture.data, info),
        width=info.width,
        height=info.height,
        caption=caption,
    )
    return Visual(kind="image", what=caption, data=data, source=source, license=license)


def place_pictures(
    drafts: Sequence[Draft],
    origins: Sequence[frozenset[tuple[str, str | None]]],
    found: Iterable[Found],
    *,
    cite: bool = True,
) -> list[Draft]:
    """`drafts` (content slides; `origins[i]`: the (source id, section heading) pairs of draft
    i's sentences) with the documents' pictures placed (see the module docstring). A document
    with no text (an uploaded picture) has no slide of its own: its picture goes on the first
    free slide. With `cite`, a slide that takes a picture cites its document too."""
    placed = list(drafts)
    taken: set[int] = set()
    for document in found:
        ref = document.ref
        for picture in document.document.pictures:
            if not picture.data:
                continue
            free = [
                i
                for i, draft in enumerate(placed)
                if i not in taken and draft.layout == "bullets" and len(draft.bullets) >= 1
            ]
            same_section = [i for i in free if (ref.id, picture.section) in origins[i]]
            same_source = [i for i in free if any(o[0] == ref.id for o in origins[i])]
            candidates = same_section or same_source
            if not document.document.sections:
                candidates = free
            if not candidates:
                continue
            chosen = candidates[0]
            # Decoded only now: a picture no slide has room for costs nothing.
            visual = picture_visual(picture, document.document.title, ref.license)
            if visual is None:
                continue
            taken.add(chosen)
            draft = placed[chosen]
            sources = tuple(dict.fromkeys((*draft.sources, ref.id))) if cite else draft.sources
            placed[chosen] = replace(
                draft, layout="image", visuals=(*draft.visuals, visual), sources=sources
            )
    return placed


def deck_pictures(content: Content, grounding: Grounding) -> list[tuple[str, bytes]]:
    """(content name, bytes) of every picture `content`'s slides show that `grounding`'s
    documents hold."""
    wanted = {
        visual.data.picture
        for slide in content.slides
        for visual in slide.visuals
        if visual.kind == "image" and visual.data.picture
    }
    pictures: dict[str, bytes] = {}
    for found in grounding.found:
        for picture in found.document.pictures:
            if not picture.data:
                continue
            try:
                name = picture_name(picture.data, identify(picture.data))
            except PictureError:
                continue
            if name in wanted:
                pictures.setdefault(name, picture.data)
    return list(pictures.items())
