"""The URL fetcher against a real loopback HTTP server: what it takes, and every refusal (an
internal address however it is reached, too big, too slow, not text, too many redirects).

Real time, not the autojump clock: the server answers from its own thread, and a virtual clock
would jump past every deadline while Trio waits for it.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import pytest
import trio

from tests.loopback import MARKDOWN, TEXT, serving
from videogen.actors.adapters.fetch import MAX_REDIRECTS, AllowAlso, Fetcher, is_public
from videogen.actors.errors import SourceRejected

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.loopback import Loopback


@pytest.fixture
def server() -> Iterator[Loopback]:
    with serving() as loopback:
        yield loopback


@pytest.fixture
def fetcher(server: Loopback) -> Fetcher:
    """Allows exactly the test's own server (host as written, and port); all else is refused."""
    return Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]))


async def _refusal(fetcher: Fetcher, url: str) -> SourceRejected:
    with pytest.raises(SourceRejected) as refused:
        await fetcher.fetch(url, field=("sources", 2, "url"))
    assert refused.value.field == ("sources", 2, "url")
    return refused.value


# --- what it takes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/text", "text/plain; charset=utf-8"),
        ("/notes.md", "text/markdown"),
        ("/page.html", "text/html; charset=utf-8"),
        ("/report.pdf", "application/pdf"),
    ],
)
async def test_fetches_text_markdown_html_and_pdf(
    fetcher: Fetcher, server: Loopback, path: str, kind: str
) -> None:
    fetched = await fetcher.fetch(server.url(path))
    assert fetched.content_type == kind
    assert fetched.url == server.url(path)
    assert fetched.filename == path.lstrip("/")
    assert fetched.data
    if path == "/notes.md":
        assert fetched.data.decode() == MARKDOWN


async def test_follows_redirects_and_checks_each_hop(fetcher: Fetcher, server: Loopback) -> None:
    fetched = await fetcher.fetch(server.url(f"/chain/{MAX_REDIRECTS - 1}"))
    assert fetched.data.decode() == TEXT
    assert fetched.url == server.url("/text")


async def test_connects_to_the_checked_address_and_sends_the_name_as_host(
    server: Loopback,
) -> None:
    # A name (resolved here, once) that the policy allows: the request goes to the address that
    # was checked, and the server still sees the name the URL gave.
    named = Fetcher(policy=AllowAlso.of([("localhost", server.port)]))
    fetched = await named.fetch(f"http://localhost:{server.port}/echo-host")
    assert fetched.data.decode() == f"Host was localhost:{server.port}."


# --- internal addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "LOCALHOST",
        "OTHER_PORT",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://[::ffff:127.0.0.1]/",
    ],
)
async def test_a_redirect_to_an_internal_address_is_refused(
    fetcher: Fetcher, server: Loopback, target: str
) -> None:
    if target == "LOCALHOST":  # this very server, by a name the policy does not allow
        target = f"http://localhost:{server.port}/text"
    elif target == "OTHER_PORT":
        target = f"http://127.0.0.1:{server.port + 1}/text"
    refused = await _refusal(fetcher, server.url(f"/redirect?to={target}"))
    assert "private, loopback or otherwise internal" in refused.message
    assert refused.kind == "url_not_public"


async def test_the_default_policy_refuses_loopback_itself(server: Loopback) -> None:
    refused = await _refusal(Fetcher(), server.url("/text"))
    assert "127.0.0.1 is a private, loopback or otherwise internal address" in refused.message


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),
        ("224.0.0.1", False),  # multicast, which `is_global` calls global
        ("240.0.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


# --- limits and kinds ---------------------------------------------------------------------------


async def test_an_endless_body_is_cut_off_as_too_big(fetcher: Fetcher, server: Loopback) -> None:
    small = Fetcher(policy=fetcher.policy, max_bytes=1_000_000)
    with trio.fail_after(5):
        refused = await _refusal(small, server.url("/huge"))
    assert refused.message == "the URL's document is larger than 1000000 bytes"


async def test_a_body_declared_too_big_is_refused_before_reading(
    fetcher: Fetcher, server: Loopback
) -> None:
    with trio.fail_after(5):
        refused = await _refusal(fetcher, server.url("/huge-declared"))
    assert "larger than 5000000 bytes" in refused.message


async def test_a_slow_answer_is_refused_at_the_time_limit(server: Loopback) -> None:
    quick = Fetcher(policy=AllowAlso.of([("127.0.0.1", server.port)]), timeout=0.3)
    started = trio.current_time()
    refused = await _refusal(quick, server.url("/slow"))
    assert refused.message == "the URL took longer than 0.3 s to fetch"
    assert trio.current_time() - started < 3


@pytest.mark.parametrize(("path", "shown"), [("/image.png", "image/png"), ("/untyped", "none")])
async def test_what_is_not_text_is_refused(
    fetcher: Fetcher, server: Loopback, path: str, shown: str
) -> None:
    refused = await _refusal(fetcher, server.url(path))
    assert refused.message.startswith(f"not text: the URL serves {shown}")


async def test_too_many_redirects_are_refused(fetcher: Fetcher, server: Loopback) -> None:
    refused = await _refusal(fetcher, server.url(f"/chain/{MAX_REDIRECTS}"))
    assert refused.message == f"the URL redirects more than {MAX_REDIRECTS} times"


async def test_an_error_status_is_refused(fetcher: Fetcher, server: Loopback) -> None:
    refused = await _refusal(fetcher, server.url("/missing"))
    assert refused.message == "the server answered 404"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/a.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http:///nohost", "no host"),
    ],
)
async def test_urls_that_are_never_fetched(fetcher: Fetcher, url: str, reason: str) -> None:
    refused = await _refusal(fetcher, url)
    assert reason in refused.message


async def test_a_closed_port_is_refused_clearly(server: Loopback) -> None:
    with trio.socket.socket() as probe:  # a port nothing listens on
        await probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = Fetcher(policy=AllowAlso.of([("127.0.0.1", port)]))
    refused = await _refusal(closed, f"http://127.0.0.1:{port}/")
    assert refused.message == "the URL could not be fetched: the connection failed"
