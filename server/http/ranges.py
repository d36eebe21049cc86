"""HTTP Range requests per RFC 9110 §14: parsing and resolving one `Range` against a size.

Pure functions, no I/O. `resolve` answers what the response must be: the whole file (200), one
byte span (206), or nothing satisfiable (416). Empty list elements (`bytes=0-1,,5-6`) are ignored
(RFC 9110 §5.6.1); numbers of any length are read without converting more digits than a file size
can have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["ByteSpan", "Unsatisfiable", "resolve"]

# DIGIT is ASCII only (RFC 5234); `\d` would also match other scripts' digits.
_SPEC: Final = re.compile(r"^[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*$")
# More significant digits than any file size can have (2**63 has 19): a longer number is simply
# "past the end", and converting it would cost time quadratic in its length (Python refuses
# past 4,300 digits).
MAX_DIGITS: Final = 19
_BEYOND: Final = 10**MAX_DIGITS


@dataclass(frozen=True, slots=True)
class ByteSpan:
    """Bytes `start`..`end` inclusive."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """How many bytes the span covers."""
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        """The `Content-Range` value for a 206."""
        return f"bytes {self.start}-{self.end}/{size}"


# The satisfiable span of an empty body (a suffix range on zero bytes): answered with it whole.
_NOTHING: Final = ByteSpan(0, -1)


class Unsatisfiable(ValueError):
    """The range cannot be served: answer 416 with `Content-Range: bytes */size`."""


def _significant(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _number(digits: str) -> int:
    """A byte position; anything longer than `MAX_DIGITS` counts as `_BEYOND` every file."""
    significant = _significant(digits)
    return _BEYOND if len(significant) > MAX_DIGITS else int(significant)


def _less(a: str, b: str) -> bool:
    """Whether the number `a` is less than `b`, compared as digit strings of any length."""
    a, b = _significant(a), _significant(b)
    return (len(a), a) < (len(b), b)


def _spec(text: str, size: int) -> ByteSpan | None:
    """One range-spec, or None if it is satisfiable by no byte of this file."""
    match = _SPEC.match(text)
    if match is None:
        raise Unsatisfiable(f"malformed range {text!r}")
    first, last = match.groups()
    if not first and not last:
        raise Unsatisfiable(f"malformed range {text!r}")
    if not first:  # suffix: the last N bytes
        length = _number(last)
        if length == 0:
            return None
        # On an empty body a non-zero suffix is satisfiable (§14.1.2) but no 206 can name it:
        # the span of no bytes, which `resolve` answers with the whole (empty) body.
        return _NOTHING if size == 0 else ByteSpan(max(size - length, 0), size - 1)
    start = _number(first)
    end = _number(last) if last else size - 1
    if last and _less(last, first):
        raise Unsatisfiable(f"range {text!r} ends before it starts")
    if start >= size:
        return None
    return ByteSpan(start, min(end, size - 1))


def resolve(header: str | None, size: int) -> ByteSpan | None:
    """What to send for `Range: header` on a file of `size` bytes.

    Returns None for the whole file (no header, another unit, or several ranges, which we may
    answer with the whole file), a `ByteSpan` for a 206. Raises `Unsatisfiable` for a 416.
    """
    if header is None:
        return None
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None  # an unknown unit is ignored (RFC 9110 §14.2)
    parts = [part for part in specs.split(",") if part.strip(" \t")]
    if not parts:
        raise Unsatisfiable(f"no range in {header!r}")
    spans = [_spec(part, size) for part in parts]
    if len(parts) > 1:
        if all(span is None for span in spans):
            raise Unsatisfiable("no range is satisfiable")
        return None
    if spans[0] is None:
        raise Unsatisfiable("range starts past the end of the file")
    return None if spans[0] is _NOTHING else spans[0]
