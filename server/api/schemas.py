"""Every HTTP shape in one place: the request body and the response models.

The routes build their JSON from these models and `/openapi.json` is generated from them, so
the documentation cannot drift from what is served.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from videogen.media.models import Content, GenerationRequest, Script

__all__ = [
    "AcceptedResponse",
    "CancelResponse",
    "ErrorResponse",
    "GenerateResponse",
    "GenerationRequest",
    "GenerationsPage",
    "HealthResponse",
    "Links",
    "OptionsResponse",
    "SessionRequest",
    "SessionResponse",
    "StatusResponse",
    "UploadResponse",
    "ValidationErrorResponse",
]


class ErrorResponse(BaseModel):
    """Every error but validation: `{"detail": "<message>"}`."""

    detail: str


class ValidationItem(BaseModel):
    """One invalid field, in FastAPI's shape."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorResponse(BaseModel):
    """422: one item per invalid field."""

    detail: list[ValidationItem]


OWNER_TOKEN_DOC = (
    "The secret that lets you change this generation (send it as `X-Owner-Token`); "
    "shown only here, once"
)


class GenerateResponse(BaseModel):
    """200 from a blocking `POST /api/generate`."""

    status: Literal["success"] = "success"
    message: str
    generation_id: str
    owner_token: str = Field(description=OWNER_TOKEN_DOC)
    content_data: Content
    script_data: Script
    video_path: str
    video_filename: str


class Links(BaseModel):
    """Where to follow an accepted generation."""

    status: str
    progress: str
    content: str
    script: str
    subtitles: str
    video: str
    cancel: str


class AcceptedResponse(BaseModel):
    """202 from `POST /api/generate` with `Prefer: respond-async`."""

    status: Literal["accepted"] = "accepted"
    generation_id: str
    owner_token: str = Field(description=OWNER_TOKEN_DOC)
    message: str
    links: Links


class UploadResponse(BaseModel):
    """201 from `POST /api/uploads`: the id a request's `{"type": "upload"}` source names."""

    upload_id: str = Field(description='A request names it: {"type": "upload", "upload_id": ...}')
    filename: str
    bytes: int = Field(description="The size of the file as uploaded")
    title: str = Field(description="The document's title, as its slides will credit it")
    kind: Literal["document", "audio"] = Field(
        default="document",
        description='"audio": background music, named as {"music": {"upload_id": ...}}',
    )
    seconds: float | None = Field(default=None, description="An audio upload's length")


class StatusResponse(BaseModel):
    """A generation's current status."""

    model_config = ConfigDict(extra="allow")

    status: str
    progress: int
    message: str
    timestamp: str
    generation_id: str
    topic: str
    created_at: str
    updated_at: str
    video_filename: str | None = None
    error: str | None = None
    queue_position: int | None = None


class GenerationsPage(BaseModel):
    """`GET /api/generations`: newest first, with the cursor of the next page."""

    generations: list[StatusResponse]
    next: str | None


class CancelResponse(BaseModel):
    """200 from `POST /api/cancel/{id}`."""

    status: Literal["cancelled"] = "cancelled"
    generation_id: str


class HealthResponse(BaseModel):
    """`GET /health`."""

    status: Literal["healthy", "unhealthy"]
    version: str
    uptime_s: float
    generations: dict[str, int]
    checks: dict[str, str]


class LanguageOption(BaseModel):
    """One language and whether this machine can speak and draw it."""

    name: str
    code: str
    voice: str
    voice_available: bool
    font_available: bool
    rtl: bool


class OptionsResponse(BaseModel):
    """`GET /api/options`: what a request may ask for."""

    languages: list[LanguageOption]
    tones: list[str]
    aspect_ratios: list[str]
    themes: list[str]
    subtitles: list[str]
    writer: str
    limits: dict[str, Any] = Field(default_factory=dict)
    knowledge: list[str] = Field(default_factory=list)
    """The request's `knowledge` values ("auto": search the sources below for the topic)."""
    sources: list[dict[str, Any]] = Field(default_factory=list)
    """The knowledge sources searched: name, kind, languages, license."""
    source_types: list[str] = Field(default_factory=list)
    """The request's own `sources` types this server takes ("url" only with online on)."""
    layouts: list[str] = Field(default_factory=list)
    resolutions: list[str] = Field(default_factory=list)
    """The request's `resolution` values; the frame is `frame_size(aspect_ratio, resolution)`."""


class SessionRequest(BaseModel):
    """`POST /api/session`: the key to sign in with."""

    key: str = Field(min_length=1, max_length=4096)


class SessionResponse(BaseModel):
    """Who a browser is signed in as: `user` (null: the admin, or a server without keys)."""

    user: str | None
    admin: bool
    keys: bool = Field(description="whether this server requires a key")
