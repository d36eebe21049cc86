"""A real HTTP server on 127.0.0.1 for the URL-source tests, in a thread of its own.

It serves what a URL fetcher must take and what it must refuse: text, Markdown, HTML and a PDF;
a body that never comes (`/slow`), an endless one (`/huge`), one declared far too large
(`/huge-declared`), a picture and a body without a type; redirects anywhere (`/redirect?to=`)
and chains of them (`/chain/N`); an error status; and `/echo-host`, which answers the `Host`
header it was sent. `serving()` starts it and, on the way out, releases every handler still
waiting, shuts it down and joins its thread, whatever the test did.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Final, TypeAlias
from urllib.parse import parse_qs, urlsplit

from tests.pdfs import text_pdf

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["HUGE_CHUNK", "TEXT", "Handlers", "Loopback", "serving"]

TEXT: Final = "The Nile is about 6,650 km long. It flows north into the Mediterranean Sea."
MARKDOWN: Final = "# Rivers\n\nThe Amazon carries more water than any other river.\n"
HTML: Final = "<!DOCTYPE html><html><body><h1>Lakes</h1><p>Lake Baikal is deep.</p></body></html>"
PDF: Final = text_pdf([["Deltas form where rivers meet the sea."]], title="Deltas")
HUGE_CHUNK: Final = b"water " * 10_000  # 60 KB, sent again and again


@dataclass
class Loopback:
    """The running server: its port, and the event that frees handlers waiting in `/slow`."""

    port: int
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            del format, args  # quiet: pytest shows failures, not every request

        def _send(self, status: int, body: bytes, content_type: str | None) -> None:
            self.send_response(status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str, status: int = 302) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route(path, query)

        def _route(self, path: str, query: dict[str, list[str]]) -> None:
            fixed = {
                "/text": (TEXT.encode(), "text/plain; charset=utf-8"),
                "/notes.md": (MARKDOWN.encode(), "text/markdown"),
                "/page.html": (HTML.encode(), "text/html; charset=utf-8"),
                "/report.pdf": (PDF, "application/pdf"),
                "/image.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
                "/untyped": (TEXT.encode(), None),
                "/binary.txt": (b"\x00\x01\x02 not text", "text/plain"),
            }
            if path in fixed:
                body, kind = fixed[path]
                self._send(200, body, kind)
            elif path == "/echo-host":
                self._send(200, f"Host was {self.headers['Host']}.".encode(), "text/plain")
            elif path == "/redirect":
                self._redirect(query["to"][0])
            elif path.startswith("/chain/"):
                left = int(path.rsplit("/", 1)[1])
                self._redirect("/text" if left == 0 else f"/chain/{left - 1}", 301)
            elif path == "/missing":
                self._send(404, b"no such page", "text/plain")
            elif path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                loopback.release.wait(30)  # the body never comes while the test runs
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                while not loopback.release.is_set():  # endless, until the client hangs up
                    self.wfile.write(f"{len(HUGE_CHUNK):x}\r\n".encode() + HUGE_CHUNK + b"\r\n")
            elif path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(100_000_000))
                self.end_headers()
                self.wfile.write(HUGE_CHUNK)
                loopback.release.wait(30)
            else:
                self._send(404, b"unknown", "text/plain")

    return Handler


Handlers: TypeAlias = "Callable[[Loopback], type[BaseHTTPRequestHandler]]"
"""Makes the handler class of a server, given the server's `Loopback`."""


@contextlib.contextmanager
def serving(handlers: Handlers = _handler) -> Iterator[Loopback]:
    """A server on 127.0.0.1 (a free port) for the `with` block; stopped and joined after.

    `handlers` answers its requests (by default, the URL sources above)."""
    loopback = Loopback(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handlers(loopback))
    server.daemon_threads = True
    loopback.port = server.server_address[1]
    # A short poll: `shutdown` waits up to one poll interval for the loop to notice.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="loopback-http"
    )
    thread.start()
    try:
        yield loopback
    finally:
        loopback.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
