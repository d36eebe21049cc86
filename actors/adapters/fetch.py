"""Fetching a URL source safely: never from this machine's or its network's own addresses.

A server that fetches URLs its clients name can be steered at what only it can reach: its
loopback services, the private network behind it, a cloud's metadata service
(169.254.169.254). `Fetcher.fetch` refuses all of them, whatever name or redirect leads there:

1. Only `http` and `https`, no user name or password in the URL.
2. The host is resolved here (trio's `getaddrinfo`), and EVERY address it resolves to must pass
   the address policy (the default refuses loopback, private, shared (CGNAT), link-local,
   multicast, reserved and unspecified addresses, and IPv6 forms that carry such an IPv4 one:
   IPv4-mapped, 6to4, NAT64). A name with one private address among public ones is refused.
3. The connection goes to the address that was checked, not to the name: the request's URL
   carries the IP, the `Host` header the name, and TLS the name as SNI (httpcore's
   `sni_hostname`), against which the certificate is verified. So no second lookup can answer
   differently (DNS rebinding between the check and the connect).
4. Redirects are followed here, at most `max_redirects`, each hop checked from step 1 again
   (a public page that redirects to 10.0.0.1 or to `localhost` is refused).
5. Limits: the whole fetch, redirects included, within `timeout` seconds (a cancel scope the
   caller's own scope also bounds); at most `max_bytes` of body, counted as it streams in
   (decoded), so a huge or endless answer is cut off; a content type that is text, HTML,
   XHTML, Markdown or PDF, else refused as "not text". No proxy from the environment (a proxy
   would make the connection, not us).

Every refusal is `SourceRejected` with a reason fit for a client, located at `field`.
The policy is injectable (`AddressPolicy`): a test allows exactly its own loopback server's
host and port (`AllowAlso`), and everything else stays refused.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

import certifi
import httpx
import trio

from videogen.actors.errors import SourceRejected

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ALLOWED_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "PUBLIC_ONLY",
    "AddressPolicy",
    "AllowAlso",
    "Fetched",
    "Fetcher",
    "PublicOnly",
    "is_public",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The whole fetch of one URL source, redirects included.
DEFAULT_TIMEOUT: Final = 10.0
# The largest body fetched: a long article's HTML is some hundreds of KB, a report's PDF a few MB.
DEFAULT_MAX_BYTES: Final = 5_000_000
# Redirects followed (each hop is checked like the first URL).
MAX_REDIRECTS: Final = 5
ALLOWED_TYPES: Final = frozenset(
    {"text/html", "application/xhtml+xml", "application/pdf", "text/markdown", "text/plain"}
)
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_CHUNK: Final = 64 * 1024
# IPv6 prefixes that carry an IPv4 address a gateway would connect to.
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")
_SHARED: Final = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: someone's inside
_USER_AGENT: Final = "videogen (URL source fetcher)"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Whether `address` is an ordinary public one (see the module's docstring, step 2)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and not is_public(inner):
            return False
        if address.is_site_local:
            return False
    elif address in _SHARED:
        return False
    internal = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast  # is_global says yes to 224.0.0.0/4
        or address.is_reserved
        or address.is_unspecified
    )
    return not internal and address.is_global


class AddressPolicy(Protocol):
    """Whether a fetch may connect to `address`, resolved from `host`, on `port`."""

    def allows(self, host: str, address: IPAddress, port: int) -> bool: ...


class PublicOnly:
    """The default policy: public addresses only."""

    def allows(self, host: str, address: IPAddress, port: int) -> bool:
        del host, port
        return is_public(address)


PUBLIC_ONLY: Final = PublicOnly()


@dataclass(frozen=True, slots=True)
class AllowAlso:
    """Public addresses, and exactly these (host as written in the URL, port) pairs whatever
    they resolve to: a test's own loopback server, `("127.0.0.1", 8123)`, and nothing else of
    loopback (not `localhost`, not another port)."""

    exact: frozenset[tuple[str, int]]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> AllowAlso:
        return cls(frozenset(pairs))

    def allows(self, host: str, address: IPAddress, port: int) -> bool:
        return (host, port) in self.exact or is_public(address)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: the URL it was finally read from, its media type and charset as
    declared, its bytes, and a file name for it (the URL path's last part)."""

    url: str
    content_type: str | None
    data: bytes
    filename: str


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


def _filename(url: httpx.URL) -> str:
    last = url.path.rstrip("/").rpartition("/")[2]
    return last or url.host


@dataclass
class Fetcher:
    """Fetches URL sources under a policy and limits (see the module's docstring). One per
    server; each `fetch` opens and closes its own connections."""

    policy: AddressPolicy = PUBLIC_ONLY
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    _tls: ssl.SSLContext = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Built once: loading the CA bundle takes some milliseconds.
        self._tls = ssl.create_default_context(cafile=certifi.where())

    async def fetch(self, url: str, *, field: tuple[str | int, ...] = ("url",)) -> Fetched:
        """The document at `url`. Raises `SourceRejected` at `field` with the reason."""
        try:
            with trio.fail_after(self.timeout):
                return await self._follow(url)
        except trio.TooSlowError:
            raise SourceRejected(
                field, f"the URL took longer than {self.timeout:g} s to fetch"
            ) from None
        except SourceRejected as exc:
            raise exc.at(field) from None

    async def _follow(self, url: str) -> Fetched:
        current = self._parse(url)
        for _ in range(self.max_redirects + 1):
            address = await self._checked_address(current)
            response = await self._get(current, address)
            if isinstance(response, httpx.URL):
                current = response
                continue
            return response
        raise SourceRejected((), f"the URL redirects more than {self.max_redirects} times")

    def _parse(self, url: str | httpx.URL) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise SourceRejected((), "not a valid URL") from None
        if parsed.scheme not in ("http", "https"):
            raise SourceRejected((), "only http and https URLs are fetched")
        if not parsed.host:
            raise SourceRejected((), "the URL has no host")
        if parsed.userinfo:
            raise SourceRejected((), "URLs with a user name or password are not fetched")
        return parsed

    async def _checked_address(self, url: httpx.URL) -> IPAddress:
        """The address to connect to for `url`, after checking every address its host has."""
        host, port = url.host, url.port or (443 if url.scheme == "https" else 80)
        try:
            answers = await trio.socket.getaddrinfo(host, port, type=trio.socket.SOCK_STREAM)
        except OSError:
            raise SourceRejected((), f"the host {host} cannot be found") from None
        addresses: list[IPAddress] = []
        for *_, sockaddr in answers:
            text = str(sockaddr[0]).partition("%")[0]  # an IPv6 scope is not part of it
            addresses.append(ipaddress.ip_address(text))
        if not addresses:
            raise SourceRejected((), f"the host {host} cannot be found")
        refused = [a for a in addresses if not self.policy.allows(host, a, port)]
        if refused:
            raise SourceRejected(
                (),
                f"the URL's host {host} is a private, loopback or otherwise internal address "
                "and is not fetched",
                kind="url_not_public",
            )
        return addresses[0]

    async def _get(self, url: httpx.URL, address: IPAddress) -> Fetched | httpx.URL:
        """One hop: the document, or the next URL to follow."""
        pinned = url.copy_with(host=str(address))
        headers = {
            "Host": url.netloc.decode("ascii"),
            "User-Agent": _USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, text/markdown, text/plain, "
            "application/pdf;q=0.9, text/*;q=0.8",
            "Accept-Encoding": "identity",
        }
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        try:
            async with (
                httpx.AsyncClient(
                    verify=self._tls, trust_env=False, follow_redirects=False, timeout=None
                ) as client,
                client.stream("GET", pinned, headers=headers, extensions=extensions) as response,
            ):
                return await self._answer(url, response)
        except httpx.HTTPError as exc:
            raise SourceRejected((), f"the URL could not be fetched: {_why(exc)}") from None

    async def _answer(self, url: httpx.URL, response: httpx.Response) -> Fetched | httpx.URL:
        status = response.status_code
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise SourceRejected((), f"the server answered {status} without a Location")
            return self._parse(url.join(location))
        if not 200 <= status < 300:
            raise SourceRejected((), f"the server answered {status}")
        content_type = response.headers.get("Content-Type")
        kind = _media_type(content_type)
        if kind not in ALLOWED_TYPES and not kind.startswith("text/"):
            shown = kind or "none"
            raise SourceRejected(
                (),
                f"not text: the URL serves {shown} (text, HTML, Markdown or PDF are read)",
                kind="url_not_text",
            )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big()
        body = bytearray()
        with trio.CancelScope() as reading:
            async for chunk in response.aiter_bytes(_CHUNK):
                body += chunk
                if len(body) > self.max_bytes:
                    # Not `break`: httpx reads through a chain of async generators, and leaving
                    # them suspended abandons them to the garbage collector. Cancelled, the next
                    # read fails inside the innermost one, and every one of them ends with it.
                    reading.cancel()
        if len(body) > self.max_bytes:
            raise self._too_big()
        return Fetched(str(url), content_type, bytes(body), _filename(url))

    def _too_big(self) -> SourceRejected:
        return SourceRejected(
            (), f"the URL's document is larger than {self.max_bytes} bytes", kind="url_too_big"
        )


def _why(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "the connection failed"
    if isinstance(exc, httpx.TimeoutException):
        return "it timed out"
    return type(exc).__name__
