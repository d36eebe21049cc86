"""One conversation pattern with an OpenAI-compatible model server: ask for JSON, get it valid.

`ChatSession.ask` posts a chat completion (`POST {url}/chat/completions`, streamed as SSE
`data:` chunks), constrains the answer with a JSON schema, validates it with pydantic, and
retries with exponential backoff on invalid JSON, 5xx, 408/429, connection failures and timeouts.

The `response_format` steps down, once per server (`FormatMemo`), when the server refuses it —
with a 4xx, or with a 5xx that names `response_format` (llama-cpp-python's server answers 500
to a request it cannot validate):

    {"type": "json_schema", "json_schema": {"name", "schema", "strict": true}}   OpenAI, vLLM…
    {"type": "json_object", "schema": …}       llama-cpp-python, Anyscale: still constrained
    {"type": "json_object"}                    plain JSON mode; the prompt describes the shape

Timeouts are cancel scopes: an attempt is given up when the server has sent nothing for
`attempt_timeout` seconds (each streamed token moves its deadline on, so a long answer that is
still coming is never cut); the whole call's deadline belongs to whoever calls `ask` (the
writer's public method). Every `LLMError` message is fit for a client: no traceback, no
absolute path.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

import httpx
import trio

from videogen.media.llm_prompts import AnswerSchema, InvalidAnswer, parse_answer

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    from pydantic import BaseModel

__all__ = ["DEFAULT_TIMEOUT", "ChatSession", "FormatMemo", "LLMConfig", "LLMError", "list_models"]

DEFAULT_TIMEOUT: Final = 60.0
# Statuses that are not the schema's fault: retried (408, 429) or final (401, 403, 404).
_RETRY_STATUSES: Final = frozenset({408, 429})
_FINAL_STATUSES: Final = frozenset({401, 403, 404})
_DETAIL_CHARS: Final = 200

Kind = Literal["invalid", "server", "timeout", "connect"]


class LLMError(Exception):
    """The model server could not give a usable answer; the message says why, for a client."""


@dataclass(frozen=True)
class LLMConfig:
    """How to reach the model server and how patient to be with it."""

    url: str
    """The API base, e.g. `http://127.0.0.1:8080/v1` (`/chat/completions` is appended)."""
    model: str = ""
    """The model name; empty: the first one `GET {url}/models` lists."""
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    """The deadline of one writer call (all its requests and retries), in seconds."""
    fallback: bool = False
    """After a failure, write with the offline writer instead of failing the generation."""
    attempts: int = 3
    attempt_timeout: float = 30.0
    """How long one request may go without sending anything (first token included)."""
    backoff: float = 1.0
    """The first wait between attempts; it doubles after each."""
    parallel: int = 4
    """How many requests one writer call may have in flight."""
    max_tokens: int | None = None
    """A cap on the tokens of each answer (each request also has its own, from its size)."""
    temperature: float = 0.7

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}


@dataclass
class FormatMemo:
    """Which `response_format` the server takes (`FORMATS`); shared by a writer's calls."""

    level: int = 0

    @property
    def name(self) -> str:
        return FORMATS[self.level]


FORMATS: Final = ("json_schema", "json_object+schema", "json_object")


class _Failure(Exception):
    def __init__(self, kind: Kind, detail: str) -> None:
        super().__init__(detail)
        self.kind: Kind = kind
        self.detail = detail


class _Refused(Exception):
    """The server answered with an HTTP error status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


_Answer = TypeVar("_Answer", bound="BaseModel")
OnToken = Callable[[], Awaitable[None]]


def _error_detail(response: httpx.Response) -> str:
    """The server's own error message, else the start of its body."""
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        error = body.get("error", body) if isinstance(body, dict) else body
        text = error.get("message", str(error)) if isinstance(error, dict) else str(error)
    text = " ".join(str(text).split())[:_DETAIL_CHARS]
    return f"HTTP {response.status_code}" + (f": {text}" if text else "")


def _transport_detail(exc: httpx.RequestError) -> str:
    return (str(exc) or type(exc).__name__)[:_DETAIL_CHARS]


def _message_text(body: Any) -> str:
    """`choices[0].message.content` of a whole (not streamed) completion."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise _Failure("invalid", "the answer has no choices[0].message.content") from None
    return str(content or "")


def _delta_text(data: str) -> str:
    """The text of one streamed chunk (`choices[0].delta.content`), "" when it has none."""
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError:
        raise _Failure("server", "the server sent a malformed stream chunk") from None
    if not isinstance(chunk, dict):
        raise _Failure("server", "the server sent a malformed stream chunk")
    if "error" in chunk:
        error = chunk["error"]
        text = error.get("message", error) if isinstance(error, dict) else error
        raise _Failure("server", f"the stream ended with an error: {str(text)[:_DETAIL_CHARS]}")
    choices = chunk.get("choices") or [{}]
    delta = choices[0].get("delta") or {}
    return str(delta.get("content") or "")


@dataclass
class ChatSession:
    """A writer call's client for the model server; lives as long as that call.

    `http` is an `httpx.AsyncClient` whose `base_url` is the config's `url`; the session never
    closes it (its opener does).
    """

    config: LLMConfig
    http: httpx.AsyncClient
    formats: FormatMemo
    model: str

    async def ask(
        self,
        messages: list[dict[str, str]],
        *,
        schema: AnswerSchema,
        shape: type[_Answer],
        max_tokens: int,
        on_token: OnToken,
    ) -> _Answer:
        """The model's answer as `shape`. Raises `LLMError` after `config.attempts` failures, or
        at once when the server refuses the request for a reason retrying cannot fix."""
        failures: list[_Failure] = []
        while True:
            body = self._body(messages, schema, max_tokens)
            try:
                return parse_answer(await self._attempt(body, on_token), shape)
            except _Refused as exc:
                if self._step_down(exc):
                    continue
                if exc.status < 500 and exc.status not in _RETRY_STATUSES:
                    raise LLMError(
                        f"the model server at {self.config.url} refused the request: {exc.detail}"
                    ) from None
                failures.append(_Failure("server", exc.detail))
            except InvalidAnswer as exc:
                failures.append(_Failure("invalid", str(exc)))
            except _Failure as exc:
                failures.append(exc)
            if len(failures) >= self.config.attempts:
                raise LLMError(self._give_up(failures)) from None
            await trio.sleep(self.config.backoff * 2 ** (len(failures) - 1))

    def _step_down(self, exc: _Refused) -> bool:
        """Whether to ask again with the next, looser `response_format`: after a 4xx that is not
        about the key, the model's name or the request rate, or a 5xx about the format."""
        if self.formats.level + 1 >= len(FORMATS):
            return False
        if exc.status >= 500:
            about_format = "response_format" in exc.detail
        else:
            about_format = exc.status not in _RETRY_STATUSES | _FINAL_STATUSES
        if about_format:
            self.formats.level += 1
        return about_format

    def _body(
        self, messages: list[dict[str, str]], schema: AnswerSchema, max_tokens: int
    ) -> dict[str, Any]:
        response_format: dict[str, Any] = {"type": "json_object"}
        if self.formats.level == 0:
            strict = {"name": schema.name, "schema": schema.strict, "strict": True}
            response_format = {"type": "json_schema", "json_schema": strict}
        elif self.formats.level == 1:
            response_format["schema"] = schema.bounded
        cap = self.config.max_tokens
        return {
            "model": self.model,
            "messages": messages,
            "response_format": response_format,
            "max_tokens": min(max_tokens, cap) if cap else max_tokens,
            "temperature": self.config.temperature,
            "stream": True,
        }

    async def _attempt(self, body: dict[str, Any], on_token: OnToken) -> str:
        """One request, given up after `attempt_timeout` s of silence; its whole text."""
        limit = self.config.attempt_timeout
        with trio.move_on_after(limit) as silence:

            async def token() -> None:
                silence.deadline = trio.current_time() + limit
                await on_token()

            try:
                return await self._post(body, token)
            except httpx.TimeoutException:
                pass
            except httpx.ConnectError as exc:
                raise _Failure("connect", _transport_detail(exc)) from None
            except httpx.RequestError as exc:
                raise _Failure(
                    "server", f"the connection failed: {_transport_detail(exc)}"
                ) from None
        raise _Failure("timeout", f"sent nothing for {limit:g} s")

    async def _post(self, body: dict[str, Any], on_token: OnToken) -> str:
        async with self.http.stream("POST", "/chat/completions", json=body) as response:
            if response.status_code >= 400:
                await response.aread()
                raise _Refused(response.status_code, _error_detail(response))
            if "text/event-stream" not in response.headers.get("content-type", ""):
                await response.aread()
                try:
                    return _message_text(response.json())
                except ValueError:
                    raise _Failure("invalid", "the answer is not JSON") from None
            parts: list[str] = []
            failed: _Failure | None = None
            # Read to the end of the body, even past "[DONE]" or a bad chunk (the server closes
            # it): httpx's nested generators are only finalised cleanly once exhausted.
            stream = cast("AsyncGenerator[str, None]", response.aiter_lines())
            async with aclosing(stream) as lines:
                async for line in lines:
                    data = line.removeprefix("data:").strip()
                    if failed or not line.startswith("data:") or data == "[DONE]":
                        continue
                    try:
                        piece = _delta_text(data)
                    except _Failure as exc:
                        failed = exc
                        continue
                    if piece:
                        parts.append(piece)
                        await on_token()
            if failed is not None:
                raise failed
            return "".join(parts)

    def _give_up(self, failures: list[_Failure]) -> str:
        count, last, url = len(failures), failures[-1], self.config.url
        kinds = {failure.kind for failure in failures}
        if kinds == {"invalid"}:
            return f"the model returned invalid JSON {count} times: {last.detail}"
        if kinds == {"timeout"}:
            limit = self.config.attempt_timeout
            return f"the model server at {url} sent nothing for {limit:g} s, {count} times"
        if kinds == {"connect"}:
            return f"cannot reach the model server at {url} ({count} tries): {last.detail}"
        return f"the model server at {url} failed {count} times; last: {last.detail}"


async def list_models(http: httpx.AsyncClient) -> list[str]:
    """The model ids `GET {url}/models` lists. Raises `LLMError` when the server does not
    answer with a model list. The caller sets the time limit."""
    try:
        response = await http.get("/models")
    except httpx.RequestError as exc:
        raise LLMError(f"cannot reach it: {_transport_detail(exc)}") from None
    if response.status_code != 200:
        raise LLMError(_error_detail(response))
    try:
        data = response.json()["data"]
        return [str(entry["id"]) for entry in data]
    except (ValueError, KeyError, TypeError):
        raise LLMError("the answer to GET /models is not a model list") from None
