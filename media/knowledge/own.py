"""The user's own material as a `Grounding`: every document they gave, in their order.

Their documents are the whole of what the deck may say (the encyclopedia is not searched beside
them: the user chose the material). Each is credited by its name (`origin`), never a path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.knowledge.model import Found, Grounding, SourceRef

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.knowledge.model import Document

__all__ = ["from_documents", "with_pictures"]


def from_documents(documents: Sequence[Document]) -> Grounding:
    """A grounding of `documents`, ids "s1", "s2", ... in order; the first is the main one."""
    found = tuple(
        Found(
            ref=SourceRef(id=f"s{n}", title=doc.title, origin=doc.origin, license=doc.license),
            document=doc,
            relevance=1.0,
            main=n == 1,
        )
        for n, doc in enumerate(documents, start=1)
    )
    names = ", ".join(f"“{doc.title}”" for doc in documents)
    note = f"Writing from your {'document' if len(documents) == 1 else 'documents'}: {names}"
    return Grounding(found=found, searched=("your documents",), note=note if found else "")


def with_pictures(grounding: Grounding, pictures: Sequence[Document]) -> Grounding:
    """`grounding` with the documents of `pictures` (uploaded pictures: no text) after what it
    found, ids continuing its own; they add pictures to the deck, not material to say."""
    if not pictures:
        return grounding
    start = len(grounding.found) + 1
    added = tuple(
        Found(
            ref=SourceRef(id=f"s{n}", title=doc.title, origin=doc.origin, license=doc.license),
            document=doc,
            relevance=1.0,
        )
        for n, doc in enumerate(pictures, start=start)
    )
    names = ", ".join(f"“{doc.title}”" for doc in pictures)
    note = " ".join(part for part in (grounding.note, f"Your pictures: {names}") if part)
    return Grounding(
        found=(*grounding.found, *added),
        searched=grounding.searched,
        note=note,
        passages_ms=grounding.passages_ms,
    )
