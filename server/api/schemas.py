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
    "DraftResponse",
    "ErrorResponse",
    "GenerateResponse",
    "GenerationRequest",
    "GenerationsPage",
    "HealthResponse",
    "Links",
    "OptionsResponse",
    "RenderResponse",
    "SessionRequest",
    "SessionResponse",
    "StatusResponse",
    "UploadResponse",
    "ValidationErrorResponse",
    "VersionConflictResponse",
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
    """200 from a blocking `POST /api/generate` (with `"render": false`: the draft, no video)."""

    status: Literal["success"] = "success"
    message: str
    generation_id: str
    owner_token: str = Field(description=OWNER_TOKEN_DOC)
    content_data: Content
    script_data: Script
    video_path: str | None = Field(description="None for a draft awaiting review")
    video_filename: str | None = Field(description="None for a draft awaiting review")
    review_status: Literal["awaiting_review"] | None = Field(
        default=None, description='"awaiting_review" for a draft (`"render": false`)'
    )
    version: int | None = Field(default=None, description="A draft's version (its ETag)")


class Links(BaseModel):
    """Where to follow an accepted generation."""

    status: str
    progress: str
    content: str
    script: str
    subtitles: str
    video: str
    cancel: str
    render: str = Field(description="POST: render a draft awaiting review")
    slides: str = Field(description="POST to insert; PATCH or DELETE …/slides/{n}: a draft's")
    revisions: str = Field(description="POST: a new, edited generation from a completed one")


class AcceptedResponse(BaseModel):
    """202 from `POST /api/generate` with `Prefer: respond-async`, and from
    `POST /api/generations/{id}/revisions` (with `parent_id`)."""

    status: Literal["accepted"] = "accepted"
    generation_id: str
    owner_token: str = Field(description=OWNER_TOKEN_DOC)
    message: str
    links: Links
    parent_id: str | None = Field(default=None, description="The generation it revises")


class RenderResponse(BaseModel):
    """202 from `POST /api/generations/{id}/render`: the draft is queued for rendering."""

    status: Literal["accepted"] = "accepted"
    generation_id: str
    message: str
    links: Links


class DraftResponse(BaseModel):
    """A draft after an edit (`PATCH`, `POST`, `DELETE` of its slides), or as it stands.

    `version` is also the response's `ETag`; send it back as `If-Match` (or `version` in the
    body) and an edit made meanwhile by someone else is refused (409) instead of overwritten.
    """

    generation_id: str
    version: int
    content_data: Content
    script_data: Script


class VersionConflictResponse(BaseModel):
    """409: the draft changed since the version the edit was made against."""

    detail: str
    version: int = Field(description="The draft's current version")


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
    parent_id: str | None = Field(default=None, description="The generation this one revises")
    version: int | None = Field(default=None, description="A draft's version, while it waits")
    reuse: dict[str, int] | None = None
    """What a finished render got from the artifact cache: `slides_reused` of `slides_total`
    (a slide whose speech, frames and segment all were), and `speech_reused`, `frames_reused`,
    `segments_reused`."""


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

    # "degraded": a check whose failure leaves the server working failed (`checks` says which).
    status: Literal["healthy", "degraded", "unhealthy"]
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
