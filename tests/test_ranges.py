"""Range resolution against a reference model of RFC 9110 §14, plus the worked cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.ranges import ByteSpan, Unsatisfiable, resolve

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-1023", ByteSpan(0, 999)),
        ("bytes=0-99", ByteSpan(0, 99)),
        ("bytes=100-", ByteSpan(100, 999)),
        ("bytes=0-", ByteSpan(0, 999)),
        ("bytes=-500", ByteSpan(500, 999)),
        ("bytes=-5000", ByteSpan(0, 999)),
        ("bytes=990-5000", ByteSpan(990, 999)),
        ("items=0-10", None),
        ("bytes=0-9,20-29", None),
    ],
)
def test_worked_cases(header: str | None, expected: ByteSpan | None) -> None:
    assert resolve(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",
        "bytes=5000-6000",
        "bytes=10-5",
        "bytes=5",
        "bytes=-0",
        "bytes=-",
        "bytes=a-b",
        "bytes=",
        "bytes=1000-,2000-",
    ],
)
def test_unsatisfiable_or_invalid(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        resolve(header, SIZE)


def model(first: int | None, last: int | None, size: int) -> tuple[int, int] | str | None:
    """RFC 9110 §14.1.2 for one range-spec: the span, None for the whole file, or '416'."""
    if first is None:
        if last is None or last == 0 or size == 0:
            return "416"
        return (max(size - last, 0), size - 1)
    if last is not None and last < first:
        return "416"
    if first >= size:
        return "416"
    return (first, size - 1 if last is None else min(last, size - 1))


@given(
    first=st.one_of(st.none(), st.integers(0, 3000)),
    last=st.one_of(st.none(), st.integers(0, 3000)),
    size=st.integers(0, 2000),
)
def test_matches_the_rfc_model(first: int | None, last: int | None, size: int) -> None:
    header = f"bytes={'' if first is None else first}-{'' if last is None else last}"
    want = model(first, last, size)
    if want == "416":
        with pytest.raises(Unsatisfiable):
            resolve(header, size)
    else:
        span = resolve(header, size)
        assert span is not None and (span.start, span.end) == want
        assert 0 <= span.start <= span.end < size
        assert span.content_range(size) == f"bytes {span.start}-{span.end}/{size}"
