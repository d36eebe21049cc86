"""The offline writer: a request becomes the deck's content and its narration, with no network.

Three sources, in order of precedence:

1. the user's own slides (`request.slides`), used as given;
2. the user's notes (`request.source_text`, plain text or markdown): split at their headings,
   fitted to the slide count, and condensed by an extractive summary when they are long;
3. the topic alone: a generic but well-structured deck, worded in the request's language and tone
   from the tables in `media.phrases`.

Everything is deterministic and there is no shared mutable state: `plan_deck` builds every slide
and its narration from the request alone, and `write_content` and `write_script` both call it, so
one writer serves any number of threads at once.

The modules:

- `offline`: `OfflineWriter`, `plan_deck` and the `Writer` protocol, and the user's own slides;
- `topic_deck`: source 3; `drafts`: the slides and templates every deck shares;
- `notes` (the parser), `summarise` (the extractive summary) and `notes_deck`: source 2;
- `sentences`: sentences and bullets of plain text; `timing`: how long narration takes to say.

This package re-exports what other code uses, so `from media.writer import OfflineWriter` holds.
"""

from __future__ import annotations

from videogen.media.writer.offline import (
    ANIMATION_DESCRIPTION,
    OfflineWriter,
    Writer,
    estimated_script,
    plan_deck,
)
from videogen.media.writer.sentences import bullets_from_text, narration_from_text, split_sentences
from videogen.media.writer.summarise import MAX_CONTENT_SECONDS
from videogen.media.writer.timing import MIN_SLIDE_SECONDS, estimate_seconds

__all__ = [
    "ANIMATION_DESCRIPTION",
    "MAX_CONTENT_SECONDS",
    "MIN_SLIDE_SECONDS",
    "OfflineWriter",
    "Writer",
    "bullets_from_text",
    "estimate_seconds",
    "estimated_script",
    "narration_from_text",
    "plan_deck",
    "split_sentences",
]
