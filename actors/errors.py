"""What the actor runtime raises.

VideogenError
├── AdmissionRefused        the registry will not take the generation now
│   ├── QueueFull           more than `max_queued` are waiting (HTTP 503)
│   ├── ShuttingDown        the registry is draining (HTTP 503)
│   └── StorageFailing      the data dir cannot take more work: unwritable, full (HTTP 503)
├── NotFound                what a client asked for is not there, or not theirs (HTTP 404)
│   ├── GenerationNotFound  no generation with that id or alias
│   ├── UploadNotFound      no stored upload with that id
│   │   └── UploadWrongKind an upload of the other kind: audio named as a document, or not
│   ├── ArtifactNotFound    its content, script or subtitles are not written (yet)
│   │   ├── VideoNotFound   no finished video of that name
│   │   └── ExportNotFound  no finished generation to export (PPTX, PDF, ZIP) under that name
│   └── SlideNotFound       a draft has no slide with that number (HTTP 404)
├── AlreadyFinished         cancel of a generation that has ended (HTTP 409)
├── WrongState              a change the generation's status does not allow (HTTP 409; the
│   │                       message says what to do instead)
│   ├── NotAwaitingReview   an edit or render of a generation that is not a draft
│   └── NotCompleted        a revision of a generation that has not completed
├── VersionConflict         an edit made against a draft version that is no longer current
│                           (HTTP 409 with the current version)
├── EditRejected            an edit that breaks a limit (HTTP 422, naming its field)
├── NotOwner                a change without the owner token or an admin key (HTTP 403)
├── SourceRejected          a request's source (an upload, a URL) cannot be used (HTTP 422,
│                           naming its field: ["body", "sources", 0, "url"])
├── UploadTooLarge          an uploaded file over the server's limit (HTTP 413)
├── ProcessFailed           a child process (ffmpeg) exited nonzero; a stage wraps it
├── StageFailed             a stage actor raised; `stage` names it, `__cause__` is why
│   └── StageTimedOut       a stage overran the budget its supervisor gave it
├── StoreUnavailable        the database cannot be written right now (HTTP 503)
│   └── StoreBusy           another connection holds its write lock
├── StoreRejected           the database rejected a batch of writes for good (logged, dropped)
├── ArtifactStoreFailed     the artifact store (`--storage-url`) failed a read or write (HTTP 503)
├── StoreCorrupt            the database file cannot be opened as one (startup: exit 1)
└── DataDirUnusable         the data dir cannot be used at all (startup: exit 1)
    └── DataDirLocked       another videogen process holds the data dir (startup: exit 2)
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AdmissionRefused",
    "AlreadyFinished",
    "ArtifactNotFound",
    "ArtifactStoreFailed",
    "DataDirLocked",
    "DataDirUnusable",
    "EditRejected",
    "ExportNotFound",
    "GenerationNotFound",
    "NotAwaitingReview",
    "NotCompleted",
    "NotFound",
    "NotOwner",
    "ProcessFailed",
    "QueueFull",
    "ShuttingDown",
    "SlideNotFound",
    "SourceRejected",
    "StageFailed",
    "StageTimedOut",
    "StorageFailing",
    "StoreBusy",
    "StoreCorrupt",
    "StoreRejected",
    "StoreUnavailable",
    "UploadNotFound",
    "UploadTooLarge",
    "UploadWrongKind",
    "VersionConflict",
    "VideoNotFound",
    "VideogenError",
    "WrongState",
]


class VideogenError(Exception):
    """Base of everything the runtime raises on purpose."""


class AdmissionRefused(VideogenError):
    """The registry refused a new generation; `retry_after` is a hint in seconds."""

    def __init__(self, reason: str, *, retry_after: int) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class QueueFull(AdmissionRefused):
    """Too many generations are waiting."""


class ShuttingDown(AdmissionRefused):
    """The server is shutting down."""


class StorageFailing(AdmissionRefused):
    """The data dir failed its last storage check (not writable, too little space)."""


class NotFound(VideogenError):
    """Something a client asked for does not exist, or is another user's (then it must not
    learn that it exists). The message is the client's answer; `key` is what was looked up."""

    def __init__(self, detail: str, key: str) -> None:
        super().__init__(detail)
        self.key = key


class GenerationNotFound(NotFound):
    """No generation with that id (or alias) that the caller may see."""

    def __init__(self, key: str) -> None:
        super().__init__("Generation ID not found", key)


class UploadNotFound(NotFound):
    """No upload with that id is stored (never one, removed, or its file unreadable)."""

    def __init__(self, upload_id: str) -> None:
        super().__init__("Upload not found", upload_id)


class UploadWrongKind(UploadNotFound):
    """The upload is stored but is not what was asked for: `found` is "audio" or "document"
    (an audio file named as a source, a document named as music)."""

    def __init__(self, upload_id: str, found: str) -> None:
        super().__init__(upload_id)
        self.found = found


class ArtifactNotFound(NotFound):
    """A generation's `artifact` ("Content", "Script", "Subtitles") is not written yet, or
    there is no such generation: the answer is the same either way."""

    def __init__(self, artifact: str, key: str) -> None:
        super().__init__(f"{artifact} not found", key)
        self.artifact = artifact


class VideoNotFound(ArtifactNotFound):
    """No finished video named `filename` (unknown, unfinished, another user's, a bad name)."""

    def __init__(self, filename: str) -> None:
        NotFound.__init__(self, f"Video not found: {filename}", filename)
        self.artifact = "Video"


class ExportNotFound(ArtifactNotFound):
    """No finished generation to export as `filename` (`<id>.pptx|.pdf|.zip`): unknown,
    unfinished, another user's, or its video gone, exactly as `VideoNotFound`."""

    def __init__(self, filename: str) -> None:
        NotFound.__init__(self, f"Export not found: {filename}", filename)
        self.artifact = "Export"


class SlideNotFound(NotFound):
    """A draft has no slide `number`; the message says which it has."""

    def __init__(self, generation_id: str, number: int, total: int) -> None:
        super().__init__(
            f"Slide {number} not found: the draft has slides 1 to {total}", generation_id
        )
        self.number = number


class AlreadyFinished(VideogenError):
    """The generation already ended; `status` says how."""

    def __init__(self, generation_id: str, status: str) -> None:
        super().__init__(f"Generation already {status}")
        self.generation_id = generation_id
        self.status = status


class WrongState(VideogenError):
    """The generation's `status` does not allow the change; the message says what to do."""

    def __init__(self, generation_id: str, status: str, detail: str) -> None:
        super().__init__(detail)
        self.generation_id = generation_id
        self.status = status


class NotAwaitingReview(WrongState):
    """Editing or rendering a generation that is not a draft awaiting review."""

    def __init__(self, generation_id: str, status: str) -> None:
        if status == "completed":
            hint = f"use POST /api/generations/{generation_id}/revisions to make an edited copy"
        elif status in ("error", "cancelled", "interrupted"):
            hint = "it has ended; start a new generation"
        else:
            hint = (
                'a generation made with "render": false can be edited once it reaches'
                " awaiting_review; one that is rendering cannot"
            )
        super().__init__(
            generation_id, status, f"Generation is {status}, not awaiting_review: {hint}"
        )


class NotCompleted(WrongState):
    """A revision of a generation that has not completed."""

    def __init__(self, generation_id: str, status: str) -> None:
        hint = (
            f"edit it with PATCH /api/generations/{generation_id}/slides/{{n}}, then POST"
            f" /api/generations/{generation_id}/render"
            if status == "awaiting_review"
            else "only a completed generation can be revised"
        )
        super().__init__(generation_id, status, f"Generation is {status}, not completed: {hint}")


class VersionConflict(VideogenError):
    """An edit was made against draft version `expected` (-1: an `If-Match` no version
    matches); the draft is at `current`."""

    def __init__(self, generation_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"The draft is at version {current}: it changed since the version this edit was"
            f" made against; read it again (GET /api/content/{generation_id}) and repeat the"
            f' edit with If-Match: "{current}"'
        )
        self.generation_id = generation_id
        self.expected = expected
        self.current = current


class EditRejected(VideogenError):
    """An edit of a draft breaks a limit. `field` locates it as a 422's whole `loc` names it
    (`("body", "narration")`, `("body", "edits", 0, "slide_number")`, `("path",
    "slide_number")`); `kind` is the item's type."""

    def __init__(self, field: tuple[str | int, ...], message: str, kind: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind


# How much of a failed program's stderr its error keeps: ffmpeg says why at the very end.
_STDERR_TAIL: Final = 300


class ProcessFailed(VideogenError):
    """`program` exited with `code`; `stderr_tail` is the end of what it wrote to stderr."""

    def __init__(self, program: str, code: int, stderr: str) -> None:
        self.program = program
        self.code = code
        self.stderr_tail = stderr.strip()[-_STDERR_TAIL:]
        super().__init__(f"{program} exited with {code}: {self.stderr_tail}")


class NotOwner(VideogenError):
    """The caller may see the generation but not change it: no admin key, no matching token."""

    def __init__(self) -> None:
        super().__init__("Not the owner of this generation")


class SourceRejected(VideogenError):
    """A source a request names cannot be used: a URL refused or unreadable, an upload id that
    is not stored, a file that is no document. `field` is where it is in the request, as a
    422's `loc` names it without "body" (`("sources", 0, "url")`, `("file",)`); the message
    says why, fit for a client. `kind` is the 422 item's `type`."""

    def __init__(
        self, field: tuple[str | int, ...], message: str, *, kind: str = "source_rejected"
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind

    def at(self, field: tuple[str | int, ...]) -> SourceRejected:
        """The same refusal, located at `field` (a fetcher's error placed in its request)."""
        return SourceRejected(field, self.message, kind=self.kind)


class UploadTooLarge(VideogenError):
    """An uploaded file is larger than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The file is too large (limit {limit} bytes)")
        self.limit = limit


class StageFailed(VideogenError):
    """A stage of a generation failed; the message is safe to show a client."""

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{stage} failed: {detail}")
        self.stage = stage
        self.detail = detail


class StageTimedOut(StageFailed):
    """A stage did not finish within its budget."""

    def __init__(self, stage: str, budget: float) -> None:
        super().__init__(stage, f"did not finish within {budget:g} s")
        self.budget = budget


class StoreUnavailable(VideogenError):
    """The database refused a statement for a reason that passes (busy, full, read-only).

    `retry_after` is a hint in seconds. Writes of running generations are kept and retried
    (see `Store`); requests that hit it are answered 503 with `Retry-After`.
    """

    def __init__(self, reason: str, *, retry_after: int) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class StoreBusy(StoreUnavailable):
    """Another connection (another process) holds the database's write lock."""


class ArtifactStoreFailed(VideogenError):
    """The artifact store (`--storage-url`: a shared directory or an S3 bucket) refused or did
    not answer a read or a write. The message names the operation and the key, never the
    credentials or the endpoint's secrets; a generation whose upload fails ends in `error`."""

    def __init__(self, operation: str, key: str, reason: str) -> None:
        super().__init__(f"the artifact store could not {operation} {key}: {reason}")
        self.operation = operation
        self.key = key


class StoreRejected(VideogenError):
    """The database rejected queued writes for a reason that will not pass (a constraint):
    the batch is dropped, so that later writes are not blocked behind it."""


class StoreCorrupt(VideogenError):
    """The database is not usable (a file that is not SQLite, a PostgreSQL URL that refuses
    the login or names no database, a newer schema); the message names the file or URL."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"the database {path} cannot be used: {reason}")
        self.path = path


class DataDirUnusable(VideogenError):
    """The data dir cannot be created, locked or opened; the message names it and why."""

    def __init__(self, data_dir: str, reason: str) -> None:
        super().__init__(f"cannot use the data dir {data_dir}: {reason}")
        self.data_dir = data_dir
        self.reason = reason


class DataDirLocked(DataDirUnusable):
    """Another videogen process (a server, a `generate`) is using the data dir."""

    def __init__(self, data_dir: str, holder: str) -> None:
        VideogenError.__init__(
            self, f"the data dir {data_dir} is in use by another videogen process ({holder})"
        )
        self.data_dir = data_dir
        self.reason = f"in use by {holder}"
