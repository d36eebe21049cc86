"""Parsing JSON that a client sent (HTTP bodies, WebSocket messages) within fixed bounds.

`json.loads` alone fails on hostile input with errors no caller expects: an integer of
thousands of digits raises the interpreter's int-conversion `ValueError`, and deep nesting a
`RecursionError`. `parse_json` turns every such case into `InvalidJSON`, whose message names what
is wrong and is safe to show the client; the edges answer it with 400 (HTTP) or an `error`
message (WebSocket).
"""

from __future__ import annotations

import json
from typing import Any, Final, NoReturn

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "InvalidJSON", "parse_json"]

# Nesting of objects and arrays. The deepest document we accept is a WebSocket `generate`
# message with user slides and their bullets (five levels); anything far deeper is an attack,
# and Python's own parser gives up (RecursionError) near 1,000 whatever we allow.
MAX_DEPTH: Final = 32
# Digits in one JSON integer (sign excluded). No field needs more than a handful; Python refuses
# to convert more than 4,300 and takes quadratic time approaching that.
MAX_INT_DIGITS: Final = 100


class InvalidJSON(ValueError):
    """The text is not JSON we accept; the message names why (malformed, too deep, too long)."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise InvalidJSON(f"an integer has more than {MAX_INT_DIGITS} digits")
    return int(text)


def _constant(name: str) -> NoReturn:
    raise InvalidJSON(f"{name} is not a JSON value")


_DECODER: Final = json.JSONDecoder(parse_int=_int, parse_constant=_constant)


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether containers nest more than `limit` deep (iterative: no recursion to overflow)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Any
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_deep(what: str) -> InvalidJSON:
    return InvalidJSON(f"Invalid JSON {what}: nested deeper than {MAX_DEPTH} levels")


def _decode(raw: str | bytes, what: str) -> Any:
    try:
        text = (
            raw.decode(json.detect_encoding(raw), "surrogatepass")
            if isinstance(raw, bytes)
            else raw
        )
        return _DECODER.decode(text)
    except InvalidJSON as exc:
        raise InvalidJSON(f"Invalid JSON {what}: {exc}") from None
    except RecursionError:
        raise _too_deep(what) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidJSON(f"Malformed JSON {what}: {exc}") from None


def parse_json(raw: str | bytes, *, what: str = "body") -> Any:
    """The value of the JSON document `raw` (UTF-8/16/32 when bytes).

    `what` names the document in messages ("body", "message"). Raises `InvalidJSON`.
    """
    value = _decode(raw, what)
    if _depth_exceeds(value, MAX_DEPTH):
        raise _too_deep(what)
    return value
