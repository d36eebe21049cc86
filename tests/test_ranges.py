"""Range resolution against a reference model of RFC 9110 §14, plus the worked cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from videogen.server.http.ranges import ByteSpan, Unsatisfiable, resolve

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
        if last is None or last == 0:
            return "416"
        if size == 0:  # satisfiable, and no 206 names zero bytes: the whole, empty body
            return None
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
    elif want is None:
        assert resolve(header, size) is None
    else:
        span = resolve(header, size)
        assert span is not None and (span.start, span.end) == want
        assert 0 <= span.start <= span.end < size
        assert span.content_range(size) == f"bytes {span.start}-{span.end}/{size}"


# -- whole headers: lists with empty elements, numbers of any length -------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-1,,5-6", None),  # two ranges: the whole file
        ("bytes=, 0-1", ByteSpan(0, 1)),
        ("bytes=0-1,", ByteSpan(0, 1)),
        ("bytes= ,\t, -5", ByteSpan(995, 999)),
        ("bytes=0-" + "9" * 5000, ByteSpan(0, 999)),
        ("bytes=-" + "7" * 5000, ByteSpan(0, 999)),
        ("bytes=" + "0" * 5000 + "5-" + "0" * 5000 + "9", ByteSpan(5, 9)),
    ],
)
def test_empty_elements_are_ignored_and_long_numbers_read(
    header: str, expected: ByteSpan | None
) -> None:
    assert resolve(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=,",
        "bytes= , ",
        "bytes=" + "1" * 5000 + "-",
        "bytes=" + "2" * 5000 + "-" + "1" * 5000,  # ends before it starts
        "bytes=0-1," + "2" * 5000 + "-" + "1" * 5000,  # one invalid spec spoils the list
        "bytes=٠-٩",  # Arabic-Indic digits are not DIGIT
    ],
)
def test_long_numbers_and_empty_lists_are_416(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        resolve(header, SIZE)


class Num:
    """A decimal number written with optional leading zeros; `value` is exact however long.

    (Written by concatenation: Python will not `str()` an int of more than 4,300 digits.)
    """

    def __init__(self, prefix: int, zeros: int, leading: int) -> None:
        self.value = prefix * 10**zeros
        self.text = "0" * leading + str(prefix) + ("0" * zeros if prefix else "")

    def __repr__(self) -> str:
        return f"Num({self.text[:30]}{'…' if len(self.text) > 30 else ''})"


numbers = st.builds(
    Num,
    prefix=st.integers(0, 3000),
    zeros=st.one_of(st.just(0), st.integers(0, 3), st.integers(15, 5000)),
    leading=st.one_of(st.just(0), st.integers(0, 5000)),
)
Spec = tuple[Num | None, Num | None]


def spec_model(first: int | None, last: int | None, size: int) -> tuple[int, int] | str | None:
    """RFC 9110 §14.1.1-2 for one range-spec: the span, 'invalid', 'unsatisfiable', or None
    (satisfiable by the whole body: a non-zero suffix of an empty one)."""
    if first is None:
        if last is None:
            return "invalid"
        if last == 0:
            return "unsatisfiable"
        if size == 0:
            return None
        return (max(size - last, 0), size - 1)
    if last is not None and last < first:
        return "invalid"
    if first >= size:
        return "unsatisfiable"
    return (first, size - 1 if last is None else min(last, size - 1))


def header_model(elements: list[Spec | None], size: int) -> tuple[int, int] | str | None:
    """A whole `bytes=` list: empty elements ignored (§5.6.1); '416', a span, or None (200).

    Several ranges are answered with the whole file unless none is satisfiable (our policy,
    which §14.2 allows); an invalid spec anywhere makes the header invalid (416).
    """
    outcomes = [
        spec_model(None if a is None else a.value, None if b is None else b.value, size)
        for a, b in (e for e in elements if e is not None)
    ]
    if not outcomes or "invalid" in outcomes:
        return "416"
    if all(o == "unsatisfiable" for o in outcomes):
        return "416"
    return outcomes[0] if len(outcomes) == 1 else None


def render(element: Spec | None, blank: str) -> str:
    if element is None:
        return blank
    first, last = element
    return f"{'' if first is None else first.text}-{'' if last is None else last.text}"


@given(
    elements=st.lists(
        st.one_of(st.none(), st.tuples(st.none() | numbers, st.none() | numbers)),
        min_size=1,
        max_size=4,
    ),
    blank=st.sampled_from(["", " ", "\t"]),
    comma=st.sampled_from([",", ", ", " ,"]),
    size=st.integers(0, 2000),
)
def test_headers_match_the_rfc_model(
    elements: list[Spec | None], blank: str, comma: str, size: int
) -> None:
    header = "bytes=" + comma.join(render(e, blank) for e in elements)
    want = header_model(elements, size)
    if want == "416":
        with pytest.raises(Unsatisfiable):
            resolve(header, size)
        return
    span = resolve(header, size)
    if want is None:
        assert span is None
    else:
        assert span is not None and (span.start, span.end) == want
