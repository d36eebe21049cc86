"""Errors of the knowledge layer: a broken source, and a document that cannot be read.

The actors map them: `KnowledgeError` at startup is one line naming the file and exit 2; a
`DocumentError` for an upload or a URL is a 422 naming the problem.
"""

from __future__ import annotations

__all__ = ["DocumentError", "KnowledgeError"]


class KnowledgeError(Exception):
    """A knowledge source is missing or corrupt (a ZIM file that does not open, say). The
    message names the file by its name, never its full path."""


class DocumentError(ValueError):
    """A document cannot become text: encrypted, image-only or corrupt PDF, empty or binary
    upload, HTML with no text. The message says which, fit for a client."""
