"""Conditional requests on finished files (RFC 9110 §13) and Range only on GET (§14.2): the
preconditions' order of §13.2.2 in `server.http.conditional`, and the video and export routes
answering 304 and 412 through `ranged_response`."""

from __future__ import annotations

import email.utils
from typing import TYPE_CHECKING

import pytest
from werkzeug.datastructures import Headers

from tests.test_exports import OfflineDeckMedia, finished
from tests.test_routes import start, wait_done
from videogen.server.http.conditional import Outcome, evaluate, if_range_holds
from videogen.server.http.ranges import resolve

if TYPE_CHECKING:
    from quart.typing import TestClientProtocol

    from tests.fakes import FakeMedia

ETAG = '"a-1"'
MTIME = 1_700_000_000.75  # Last-Modified names its whole second
SECOND = email.utils.formatdate(MTIME, usegmt=True)
EARLIER = email.utils.formatdate(MTIME - 60, usegmt=True)
LATER = email.utils.formatdate(MTIME + 60, usegmt=True)


def _outcome(method: str = "GET", **fields: str) -> Outcome:
    headers = Headers({name.replace("_", "-"): value for name, value in fields.items()})
    return evaluate(headers, method, ETAG, MTIME)


@pytest.mark.parametrize(
    ("fields", "method", "expected"),
    [
        ({}, "GET", Outcome.PROCEED),
        # 1. If-Match: strong comparison; "*" matches any current body.
        ({"If_Match": ETAG}, "GET", Outcome.PROCEED),
        ({"If_Match": f'"x", {ETAG}'}, "GET", Outcome.PROCEED),
        ({"If_Match": "*"}, "GET", Outcome.PROCEED),
        ({"If_Match": '"x"'}, "GET", Outcome.FAILED),
        ({"If_Match": f"W/{ETAG}"}, "GET", Outcome.FAILED),
        # 2. If-Unmodified-Since, only without If-Match; an invalid date is ignored.
        ({"If_Unmodified_Since": SECOND}, "GET", Outcome.PROCEED),
        ({"If_Unmodified_Since": EARLIER}, "GET", Outcome.FAILED),
        ({"If_Unmodified_Since": "yesterday"}, "GET", Outcome.PROCEED),
        ({"If_Match": ETAG, "If_Unmodified_Since": EARLIER}, "GET", Outcome.PROCEED),
        # 3. If-None-Match: weak comparison; 304 for GET and HEAD, 412 for the rest.
        ({"If_None_Match": ETAG}, "GET", Outcome.NOT_MODIFIED),
        ({"If_None_Match": f'"x", W/{ETAG}'}, "HEAD", Outcome.NOT_MODIFIED),
        ({"If_None_Match": "*"}, "GET", Outcome.NOT_MODIFIED),
        ({"If_None_Match": '"x"'}, "GET", Outcome.PROCEED),
        ({"If_None_Match": ETAG}, "POST", Outcome.FAILED),
        # 4. If-Modified-Since, only without If-None-Match and only for GET and HEAD.
        ({"If_Modified_Since": SECOND}, "GET", Outcome.NOT_MODIFIED),
        ({"If_Modified_Since": LATER}, "HEAD", Outcome.NOT_MODIFIED),
        ({"If_Modified_Since": EARLIER}, "GET", Outcome.PROCEED),
        ({"If_Modified_Since": SECOND}, "POST", Outcome.PROCEED),
        ({"If_None_Match": '"x"', "If_Modified_Since": SECOND}, "GET", Outcome.PROCEED),
        # The order: a failed If-Match wins over a matching If-None-Match.
        ({"If_Match": '"x"', "If_None_Match": ETAG}, "GET", Outcome.FAILED),
    ],
)
def test_preconditions_in_the_order_of_rfc_9110(
    fields: dict[str, str], method: str, expected: Outcome
) -> None:
    assert _outcome(method, **fields) is expected


def test_if_range_takes_a_strong_tag_or_the_exact_date_in_any_form() -> None:
    when = email.utils.parsedate_to_datetime(SECOND)
    rfc850 = when.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    asctime = when.strftime("%a %b ") + f"{when.day:2d}" + when.strftime(" %H:%M:%S %Y")
    assert if_range_holds(None, ETAG, MTIME)
    assert if_range_holds(ETAG, ETAG, MTIME)
    assert not if_range_holds(f"W/{ETAG}", ETAG, MTIME)  # a weak tag never matches
    assert not if_range_holds('"other"', ETAG, MTIME)
    for form in (SECOND, rfc850, asctime):
        assert if_range_holds(form, ETAG, MTIME), form
    assert not if_range_holds(EARLIER, ETAG, MTIME)
    assert not if_range_holds("not a date", ETAG, MTIME)


def test_a_suffix_range_on_an_empty_body_is_the_whole_body() -> None:
    assert resolve("bytes=-5", 0) is None  # satisfiable (§14.1.2), and no 206 names 0 bytes


# -- the routes -----------------------------------------------------------------------------


async def _video(client: TestClientProtocol) -> tuple[str, bytes, str, str]:
    gid = await start(client)
    await wait_done(client, gid)
    url = f"/api/video/{gid}.mp4"
    whole = await client.get(url)
    assert whole.status_code == 200
    return (
        url,
        await whole.get_data(as_text=False),
        whole.headers["ETag"],
        whole.headers["Last-Modified"],
    )


async def test_a_current_copy_is_answered_304_even_with_a_range(
    client: TestClientProtocol,
) -> None:
    url, _, etag, last_modified = await _video(client)
    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"zzz", W/{etag}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-None-Match": etag, "Range": "bytes=0-9"},  # 304 is decided before Range
    ):
        response = await client.get(url, headers=headers)
        assert response.status_code == 304, headers
        assert response.headers["ETag"] == etag
        assert "Content-Range" not in response.headers and "Last-Modified" not in response.headers
        # (The test client adds a Content-Type and a Content-Length of its own: that a real
        # server sends neither is `test_server_e2e`'s check.)
        assert await response.get_data() == b""
    assert (await client.head(url, headers={"If-None-Match": etag})).status_code == 304


async def test_a_changed_file_is_refused_412_when_the_request_names_another(
    client: TestClientProtocol,
) -> None:
    url, data, etag, _ = await _video(client)
    refused = await client.get(url, headers={"If-Match": '"not-this-one"', "Range": "bytes=0-9"})
    assert refused.status_code == 412
    assert "Precondition failed" in (await refused.get_json())["detail"]
    past = "Sun, 06 Nov 1994 08:49:37 GMT"
    assert (await client.get(url, headers={"If-Unmodified-Since": past})).status_code == 412
    guarded = await client.get(url, headers={"If-Match": etag, "Range": "bytes=0-9"})
    assert guarded.status_code == 206 and await guarded.get_data() == data[:10]


async def test_head_ignores_range(client: TestClientProtocol) -> None:
    url, data, _, _ = await _video(client)
    for value in ("bytes=0-9", f"bytes={len(data)}-"):  # neither a 206 nor a 416
        response = await client.head(url, headers={"Range": value})
        assert response.status_code == 200, value
        assert "Content-Range" not in response.headers


async def test_if_range_with_a_date_in_an_obsolete_form_still_ranges(
    client: TestClientProtocol,
) -> None:
    url, data, _, last_modified = await _video(client)
    when = email.utils.parsedate_to_datetime(last_modified)
    rfc850 = when.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    response = await client.get(url, headers={"Range": "bytes=0-9", "If-Range": rfc850})
    assert response.status_code == 206 and await response.get_data() == data[:10]


@pytest.fixture
def media() -> FakeMedia:
    return OfflineDeckMedia(cost=0.01)


async def test_exports_answer_the_same_preconditions(client: TestClientProtocol) -> None:
    gid, _ = await finished(client)
    for suffix in ("pptx", "pdf", "zip"):
        path = f"/api/export/{gid}.{suffix}"
        etag = (await client.get(path)).headers["ETag"]
        assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
        assert (await client.get(path, headers={"If-Match": '"x"'})).status_code == 412
        assert (await client.head(path, headers={"Range": "bytes=0-9"})).status_code == 200
