"""Generation identifiers: the documented topic slug plus a random suffix, and the alias."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Final

__all__ = ["generation_id", "reference_id", "slug", "video_filename"]

_BASE32: Final = "abcdefghijklmnopqrstuvwxyz234567"
SUFFIX_LENGTH: Final = 8


def reference_id(topic: str) -> str:
    """The seed document's ID rule, exactly as the reference computes it (the alias)."""
    t = topic[:30].replace(" ", "_").replace(":", "").replace("/", "_").replace("\\", "_")
    for ch in "\"'?!":
        t = t.replace(ch, "")
    return t


def _url_safe(ch: str) -> bool:
    return ch in "_-." or unicodedata.category(ch)[0] in ("L", "N")


def slug(topic: str) -> str:
    """`reference_id` without any character that is not a letter, digit, `_`, `-` or `.`."""
    cleaned = "".join(ch for ch in reference_id(topic) if _url_safe(ch))
    return cleaned or "video"


def generation_id(topic: str) -> str:
    """A unique id: `slug(topic)-xxxxxxxx`; two users with the same topic never collide."""
    suffix = "".join(secrets.choice(_BASE32) for _ in range(SUFFIX_LENGTH))
    return f"{slug(topic)}-{suffix}"


def video_filename(gid: str) -> str:
    """The finished video's name, as served by `/api/video/<name>`."""
    return f"{gid}.mp4"
