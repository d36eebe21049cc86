"""The servers under test, as subprocesses: `videogen serve` and `python -m http.server`.

Each is started on a free loopback port with its output in a log file; `Server.stop` sends
SIGINT, waits, then kills. Whoever starts one stops it (in a `finally`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import trio

from bench._common import free_port

__all__ = ["HOST", "Server", "spawn", "start_http_server", "start_videogen", "wait_listening"]

VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


@dataclass
class Server:
    """A server subprocess and where it listens."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def spawn(argv: list[str], log: Path, port: int) -> Server:
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=os.getcwd()
        )
    return Server(process, port, log)


async def wait_listening(server: Server, path: str, patience: float = 30.0) -> None:
    """Poll `path` until it answers (any status)."""
    with trio.fail_after(patience):
        async with httpx.AsyncClient(timeout=5) as client:
            while True:
                if server.process.poll() is not None:
                    raise RuntimeError(f"server exited:\n{server.tail()}")
                try:
                    await client.get(server.url + path)
                    return
                except httpx.TransportError:
                    await trio.sleep(0.1)


def start_videogen(data_dir: Path, log: Path) -> Server:
    port = free_port()
    argv = [
        str(VENV_BIN / "videogen"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--rate-limit",
        "0",
        "--max-queued",
        "5000",
        "--max-running",
        "2",
    ]
    return spawn(argv, log, port)


def start_http_server(directory: Path, log: Path) -> Server:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        HOST,
        "--directory",
        str(directory),
    ]
    return spawn(argv, log, port)
