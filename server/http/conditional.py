"""Conditional requests for a representation with validators (RFC 9110 §13).

`ranged_response` asks `evaluate` what the request's preconditions say about a body of this
`ETag` and modification time before it looks at `Range`, in the order of §13.2.2:

    1. If-Match (strong comparison), else 2. If-Unmodified-Since: false -> 412
    3. If-None-Match (weak comparison), else 4. If-Modified-Since (GET and HEAD only):
       false -> 304 for GET and HEAD (412 for any other method)
    5. If-Range, for a GET with Range: `if_range_holds` (false: the whole body, 200)

A date that is no HTTP-date is ignored (§13.1.3, §13.1.4); all three HTTP-date forms are read
(§5.6.7). The parsing of entity-tag lists and dates is Werkzeug's (Quart's own dependency),
the decisions are ours: Werkzeug's `is_resource_modified` mixes If-Match into the 304 rule.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from werkzeug.http import parse_date, parse_etags, unquote_etag

if TYPE_CHECKING:
    from werkzeug.datastructures import Headers

__all__ = ["Outcome", "evaluate", "if_range_holds"]


class Outcome(enum.Enum):
    """What the preconditions decide: go on (200, 206 or 416), 304, or 412."""

    PROCEED = "proceed"
    NOT_MODIFIED = "not modified"
    FAILED = "precondition failed"


def _seconds(value: str | None) -> int | None:
    """An HTTP-date as whole seconds since the epoch; None for no date or an invalid one."""
    if value is None:
        return None
    when = parse_date(value)
    return None if when is None else int(when.timestamp())


def evaluate(headers: Headers, method: str, etag: str, mtime: float) -> Outcome:
    """The preconditions of a request with `headers` and `method` for the current
    representation, whose strong `etag` is quoted as sent and which changed at `mtime`
    (`Last-Modified` names its whole second)."""
    tag, _ = unquote_etag(etag)
    modified = int(mtime)
    if_match = headers.get("If-Match")
    if if_match is not None:
        wanted = parse_etags(if_match)
        if not (wanted.star_tag or wanted.contains(tag)):
            return Outcome.FAILED
    else:
        since = _seconds(headers.get("If-Unmodified-Since"))
        if since is not None and modified > since:
            return Outcome.FAILED
    safe = method in {"GET", "HEAD"}
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        cached = parse_etags(if_none_match)
        if cached.star_tag or cached.contains_weak(tag):
            return Outcome.NOT_MODIFIED if safe else Outcome.FAILED
    elif safe:
        since = _seconds(headers.get("If-Modified-Since"))
        if since is not None and modified <= since:
            return Outcome.NOT_MODIFIED
    return Outcome.PROCEED


def if_range_holds(value: str | None, etag: str, mtime: float) -> bool:
    """§13.1.5: whether a Range may be honoured under `If-Range: value` (None: no If-Range).
    An entity tag must match strongly (a weak one never does); a date must be exactly the
    representation's `Last-Modified`, in any of the three HTTP-date forms."""
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag and not value.startswith("W/")
    return _seconds(value) == int(mtime)
