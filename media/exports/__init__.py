"""A finished generation's take-aways, drawn again from what the store holds: `pptx` (an
editable deck with the narration as speaker notes), `pdf` (one page per slide, optionally with
handout pages) and `bundle` (one stored ZIP of every file, planned so it can be streamed and
served by ranges). Plain sync code, one module per format; the actors run it in worker threads.

Each maker takes the content, the script and the request (topic, language, theme, frame size),
and writes its file atomically (`files.atomic_path`). Slides are painted by `media.slides`'
public functions only, so a new layout shows up in every export without a change here.
"""

from __future__ import annotations

from videogen.media.exports.bundle import CHAPTERS_MEMBER, Bundle, Member, plan_bundle
from videogen.media.exports.pdf import write_pdf
from videogen.media.exports.pptx import write_pptx

__all__ = ["CHAPTERS_MEMBER", "Bundle", "Member", "plan_bundle", "write_pdf", "write_pptx"]
