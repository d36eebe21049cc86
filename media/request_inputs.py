"""What a request brings besides its topic: its own sources (`SourceSpec`: pasted text, an
upload, a URL) and its background music (`MusicSpec`).

Kept apart from `media.models` (which re-exports them) so that module stays the request and
content shapes; the actors check them at the edge (`actors.adapters.sources`) before admission.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "MAX_SOURCE_CHARS",
    "MAX_URL_CHARS",
    "MUSIC_VOLUME",
    "MusicSpec",
    "SourceSpec",
    "TextSource",
    "UploadSource",
    "UrlSource",
]

_Frozen = ConfigDict(frozen=True, extra="ignore")

MAX_SOURCE_CHARS: Final = 50_000
MAX_URL_CHARS: Final = 2000
# Background music's level when the request names none: 12 LU under the narration.
MUSIC_VOLUME: Final = 0.25


class TextSource(BaseModel):
    """Text the user pastes as a source (plain or Markdown)."""

    model_config = _Frozen

    type: Literal["text"]
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SOURCE_CHARS)
    ]
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class UploadSource(BaseModel):
    """A file uploaded before (`POST /api/uploads`), by the id its answer gave."""

    model_config = _Frozen

    type: Literal["upload"]
    upload_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{8,64}$")]


class UrlSource(BaseModel):
    """A web page or document to fetch (only when the server runs with online sources on)."""

    model_config = _Frozen

    type: Literal["url"]
    url: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            max_length=MAX_URL_CHARS,
            pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$",
        ),
    ]


SourceSpec = Annotated[TextSource | UploadSource | UrlSource, Field(discriminator="type")]


class MusicSpec(BaseModel):
    """Background music: an audio upload (`POST /api/uploads`), looped under the narration and
    ducked while it speaks; `volume` is its level as a fraction of the narration's (`media.music`).
    """

    model_config = _Frozen

    upload_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{8,64}$")]
    volume: float = Field(default=MUSIC_VOLUME, ge=0.0, le=1.0)
