"""A request's sources, made ready at the edge and read back by the writer stage.

`prepare_sources` runs before a generation is admitted (`POST /api/generate`, the WebSocket's
`generate`): every upload id must be stored, and every URL source is fetched now (online only),
read, and SAVED as an upload, the request coming back with `{"type": "upload", "upload_id"}`
in its place. So a bad source is the client's 422 at once, naming its field, never a failed
generation later; and a generation only ever reads stored documents (no network, no parsing of
user bytes inside it, the same text on every retry or revision).

The request's background music (`music.upload_id`) is checked there too: it must name a stored
audio upload (`UploadStore.save_audio`), else a 422 naming `music.upload_id`.

`load_documents` is the writer stage's: the request's documents in request order (text sources
parsed, uploads loaded).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.errors import SourceRejected, UploadNotFound, UploadWrongKind
from videogen.media.knowledge.documents.read import USER_LICENSE
from videogen.media.knowledge.documents.text import read_text_document
from videogen.media.knowledge.errors import DocumentError
from videogen.media.models import TextSource, UploadSource, UrlSource
from videogen.media.music import AUDIO_FORMATS

if TYPE_CHECKING:
    from videogen.actors.adapters.fetch import Fetcher
    from videogen.actors.adapters.uploads import UploadStore
    from videogen.media.knowledge.model import Document
    from videogen.media.models import GenerationRequest, SourceSpec

__all__ = ["ONLINE_OFF", "TEXT_ORIGIN", "check_music", "load_documents", "prepare_sources"]

ONLINE_OFF: Final = "URL sources need the server to run with --online"
# What a deck credits for text pasted into the request (no file, no URL).
TEXT_ORIGIN: Final = "text provided by the user"


async def _prepared(
    index: int, source: SourceSpec, uploads: UploadStore, fetcher: Fetcher | None
) -> SourceSpec:
    if isinstance(source, UploadSource):
        try:
            await uploads.load(source.upload_id)  # stored, and readable
        except UploadWrongKind:
            raise SourceRejected(
                ("sources", index, "upload_id"),
                f"upload {source.upload_id} is audio, not a document (name it as music)",
                kind="upload_not_document",
            ) from None
        except UploadNotFound:
            raise SourceRejected(
                ("sources", index, "upload_id"),
                f"no upload with id {source.upload_id} (POST /api/uploads first)",
                kind="upload_not_found",
            ) from None
        return source
    if isinstance(source, UrlSource):
        field = ("sources", index, "url")
        if fetcher is None:
            raise SourceRejected(field, ONLINE_OFF, kind="online_off")
        fetched = await fetcher.fetch(source.url, field=field)
        try:
            info = await uploads.save(
                fetched.filename, fetched.data, fetched.content_type, origin=fetched.url
            )
        except DocumentError as exc:
            raise SourceRejected(field, f"the URL's document cannot be read: {exc}") from None
        return UploadSource(type="upload", upload_id=info.upload_id)
    return source


async def prepare_sources(
    request: GenerationRequest, uploads: UploadStore, fetcher: Fetcher | None
) -> GenerationRequest:
    """`request` with its sources checked and its URL sources fetched and stored as uploads.

    `fetcher` is None when the server runs without `--online`: a URL source is then refused.
    Uploads (and URLs without a fetcher) are checked first, with no network; then the URLs
    are fetched side by side, so ten take the time of the slowest (each within the fetcher's
    limits), not of all ten in turn; the caller's cancel scope bounds them all. Raises
    `SourceRejected` for the first source, in request order, that cannot be used (its field
    named); pages fetched beside a refused one stay stored (complete uploads nothing names).
    The music is checked first (`music.upload_id`: a stored audio upload).
    """
    if request.music is not None:
        await check_music(request.music.upload_id, uploads)
    if not request.sources:
        return request
    prepared: list[SourceSpec] = list(request.sources)
    refused: dict[int, SourceRejected] = {}

    async def prepare(index: int, source: SourceSpec) -> None:
        try:
            prepared[index] = await _prepared(index, source, uploads, fetcher)
        except SourceRejected as exc:  # kept, so the answer names the first in request order
            refused[index] = exc

    # What needs no network first: a stored upload missing, or URLs on a server without
    # --online, is answered at once rather than after the fetches.
    for index, source in enumerate(request.sources):
        if not isinstance(source, UrlSource) or fetcher is None:
            await prepare(index, source)
            if refused:
                raise refused[index]
    async with trio.open_nursery() as nursery:
        for index, source in enumerate(request.sources):
            if isinstance(source, UrlSource) and fetcher is not None:
                nursery.start_soon(prepare, index, source)
    if refused:
        raise refused[min(refused)]
    return request.model_copy(update={"sources": tuple(prepared)})


async def check_music(upload_id: str, uploads: UploadStore) -> None:
    """Raises `SourceRejected` at `music.upload_id` unless `upload_id` is a stored audio
    upload."""
    field = ("music", "upload_id")
    try:
        await uploads.load_audio(upload_id)
    except UploadWrongKind:
        raise SourceRejected(
            field,
            f"upload {upload_id} is a document, not audio ({AUDIO_FORMATS})",
            kind="upload_not_audio",
        ) from None
    except UploadNotFound:
        raise SourceRejected(
            field,
            f"no upload with id {upload_id} (POST /api/uploads an audio file first)",
            kind="upload_not_found",
        ) from None


async def load_documents(request: GenerationRequest, uploads: UploadStore) -> tuple[Document, ...]:
    """The request's documents, in its order: text sources read as Markdown/text, uploads
    loaded from the store. For a request `prepare_sources` returned (no URL sources left).

    Raises `SourceRejected` for a source that cannot be read (an upload removed since, a text
    with no text left after its markup, a URL source that was never prepared).
    """
    documents: list[Document] = []
    for index, source in enumerate(request.sources):
        if isinstance(source, TextSource):
            try:
                document = await trio.to_thread.run_sync(
                    functools.partial(
                        read_text_document,
                        source.text,
                        title=source.title or None,
                        origin=TEXT_ORIGIN,
                        license=USER_LICENSE,
                    )
                )
            except DocumentError as exc:
                raise SourceRejected(("sources", index, "text"), str(exc)) from None
        elif isinstance(source, UploadSource):
            try:
                document = await uploads.load(source.upload_id)
            except UploadNotFound:
                raise SourceRejected(
                    ("sources", index, "upload_id"),
                    f"no upload with id {source.upload_id}",
                    kind="upload_not_found",
                ) from None
        else:
            raise SourceRejected(
                ("sources", index, "url"), "URL sources are fetched before a generation starts"
            )
        documents.append(document)
    return tuple(documents)
