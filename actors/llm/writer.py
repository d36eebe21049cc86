"""`LLMWriter`: slides and narration from an OpenAI-compatible model server.

    write_content ─ fail_after(timeout) ─ one chat: the whole deck as JSON (schema-constrained)
    write_script  ─ fail_after(timeout) ─ nursery ─ one chat per slide, at most `parallel` at once

Each public method owns its deadline, its HTTP client and its nursery, and closes them before it
returns. Past the deadline, or after a request failed `attempts` times (see `ChatSession.ask`),
it raises `LLMError` — or, with `fallback`, reports the failure through `progress` and writes
with the offline writer instead (a deck written that way is narrated offline too, with no second
wait for the model). A request that brings its own slides never reaches the model:
the slides are used as given, as the offline writer does.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Final, TypeVar

import httpx
import trio

from videogen.actors.adapters.writers import ThreadedWriter, WriterCheck
from videogen.actors.llm.client import ChatSession, FormatMemo, LLMConfig, LLMError, list_models
from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.llm_prompts import (
    DeckOut,
    NarrationOut,
    build_content,
    build_script,
    content_max_tokens,
    content_messages,
    deck_schema,
    grounded_count,
    narration_budget,
    narration_max_tokens,
    narration_messages,
    narration_schema,
    sources_narration,
)
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from videogen.actors.adapters.writers import ContentWriter, Progress
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, GenerationRequest, Script, Slide

__all__ = ["LLMConfig", "LLMError", "LLMWriter"]

# Progress is reported every this many streamed tokens (each report is a stored event).
REPORT_EVERY: Final = 16
# Tokens expected per slide of the deck and per word of narration, to turn tokens into a share.
_TOKENS_PER_SLIDE: Final = 45
_TOKENS_PER_WORD: Final = 1.5

# How many fallback decks are remembered, so that their narration is the offline writer's too.
_OFFLINE_DECKS: Final = 64

_T = TypeVar("_T")


async def _quiet(fraction: float, note: str) -> None:
    """The progress sink when the caller gave none."""


class _Meter:
    """Counts streamed tokens across a call's requests and reports every `REPORT_EVERY`."""

    def __init__(self, progress: Progress, expected: float, note: Callable[[int], str]) -> None:
        self._progress = progress
        self._expected = max(expected, 1.0)
        self._note = note
        self.tokens = 0

    async def token(self) -> None:
        self.tokens += 1
        if self.tokens % REPORT_EVERY == 0:
            await self._progress(min(self.tokens / self._expected, 0.99), self._note(self.tokens))


class LLMWriter:
    """A `ContentWriter` on an OpenAI-compatible chat completions API (see the module doc).

    `transport` replaces the network (tests pass an `httpx.MockTransport`); `offline` is the
    writer for the user's own slides and for the fallback.
    """

    name: str = "llm"

    def __init__(
        self,
        config: LLMConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        offline: ContentWriter | None = None,
    ) -> None:
        self.config = config
        self._transport = transport
        self._offline = offline or ThreadedWriter(OfflineWriter())
        self.formats = FormatMemo()
        self._model = config.model
        # Decks the offline writer wrote after a failure (the latest few, by identity).
        self._offline_decks: deque[Content] = deque(maxlen=_OFFLINE_DECKS)

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        """The deck's `content_data`: exactly `num_slides` slides. Raises `LLMError` (without
        `fallback`) when the model server gives no usable answer within `config.timeout`."""
        if request.slides:
            return await self._offline.write_content(request, grounding=grounding)
        report = progress or _quiet

        async def work(session: ChatSession) -> Content:
            meter = _Meter(
                report,
                _TOKENS_PER_SLIDE * request.num_slides,
                lambda n: f"Writing the slides with the llm writer… ({n} tokens)",
            )
            ids = [ref.id for ref in grounding.sources]
            deck = await session.ask(
                content_messages(request, grounding),
                schema=deck_schema(grounded_count(request, grounding), ids),
                shape=DeckOut,
                max_tokens=content_max_tokens(request),
                on_token=meter.token,
            )
            if grounding.grounded:
                # The grounded deck's Sources slide is the offline writer's: it writes a whole
                # deck (milliseconds to a tenth of a second), so off the event loop.
                return await trio.to_thread.run_sync(build_content, request, deck, grounding)
            return build_content(request, deck, grounding)

        async def offline() -> Content:
            content = await self._offline.write_content(request, grounding=grounding)
            self._offline_decks.append(content)
            return content

        return await self._run(work, offline, report, "the slides")

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        """The narration of `content`, each slide's at the length its duration allows at the
        request's speech rate; the slides are asked for at most `config.parallel` at once.
        Raises `LLMError` as `write_content` does."""
        if request.slides or any(deck is content for deck in self._offline_decks):
            # The offline writer's slides get the narration it planned with them.
            return await self._offline.write_script(request, content, grounding=grounding)
        report = progress or _quiet

        async def work(session: ChatSession) -> Script:
            return await self._narrate(session, request, content, grounding, report)

        return await self._run(
            work,
            lambda: self._offline.write_script(request, content, grounding=grounding),
            report,
            "the narration",
        )

    def health_check(self) -> WriterCheck:
        """`check` the model server; essential unless the writer falls back (`config.fallback`)."""
        return WriterCheck("llm", essential=not self.config.fallback, run=self.check)

    async def check(self) -> str:
        """ "ok" when `GET {url}/models` answers with a model list, else "failed: why".
        The caller sets the time limit."""
        async with self._client() as http:
            try:
                await list_models(http)
            except LLMError as exc:
                return f"failed: {exc}"
        return "ok"

    # --- internals -------------------------------------------------------------------------------

    def _client(self) -> httpx.AsyncClient:
        # No timeouts of httpx's own: the caller's cancel scopes are the timeouts.
        return httpx.AsyncClient(
            base_url=self.config.base,
            headers=self.config.headers(),
            timeout=None,
            transport=self._transport,
        )

    async def _run(
        self,
        work: Callable[[ChatSession], Awaitable[_T]],
        fallback: Callable[[], Awaitable[_T]],
        report: Progress,
        what: str,
    ) -> _T:
        """`work` within the call's deadline; on failure `fallback` (when configured)."""
        url, timeout = self.config.url, self.config.timeout
        try:
            with trio.fail_after(timeout):
                async with self._client() as http:
                    return await work(await self._session(http))
        except trio.TooSlowError:
            error = LLMError(f"the model server at {url} did not answer within {timeout:g} s")
        except LLMError as exc:
            error = exc
        if not self.config.fallback:
            raise error
        why = str(error)
        await report(0.0, f"{why[:1].upper()}{why[1:]}; the offline writer writes {what} instead")
        return await fallback()

    async def _session(self, http: httpx.AsyncClient) -> ChatSession:
        if not self._model:
            try:
                models = await list_models(http)
            except LLMError as exc:
                raise LLMError(f"the model server at {self.config.url}: {exc}") from None
            if not models:
                raise LLMError(f"the model server at {self.config.url} lists no model")
            self._model = models[0]
        return ChatSession(self.config, http, self.formats, self._model)

    async def _narrate(
        self,
        session: ChatSession,
        request: GenerationRequest,
        content: Content,
        grounding: Grounding,
        report: Progress,
    ) -> Script:
        slides = content.slides
        budgets = [narration_budget(request, slide) for slide in slides]
        texts: list[str] = [""] * len(slides)
        done = 0
        meter = _Meter(
            report,
            _TOKENS_PER_WORD * sum(budgets),
            lambda n: (
                f"Writing the narration with the llm writer… "
                f"({n} tokens, {done}/{len(slides)} slides)"
            ),
        )
        limiter = trio.CapacityLimiter(self.config.parallel)
        failures: list[LLMError] = []

        async def one(index: int, slide: Slide, nursery: trio.Nursery) -> None:
            nonlocal done
            if slide.layout == "sources":  # credits are the offline writer's words
                said = await trio.to_thread.run_sync(sources_narration, request, grounding)
                texts[index] = said or slide.title
                done += 1
                return
            async with limiter:
                try:
                    answer = await session.ask(
                        narration_messages(request, content, slide, budgets[index], grounding),
                        schema=narration_schema(budgets[index], request.language),
                        shape=NarrationOut,
                        max_tokens=narration_max_tokens(budgets[index]),
                        on_token=meter.token,
                    )
                except LLMError as exc:
                    failures.append(exc)
                    nursery.cancel_scope.cancel(reason=f"slide {slide.slide_number} failed")
                    return
            texts[index] = answer.narration
            done += 1

        async with trio.open_nursery() as nursery:
            for index, slide in enumerate(slides):
                nursery.start_soon(one, index, slide, nursery)
        if failures:
            raise failures[0]
        return build_script(request, content, list(zip(texts, budgets, strict=True)))
