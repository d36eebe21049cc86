"""Starting up: bad flags, a corrupt database, an unwritable or busy data dir, and the CLI's own
failures: each one clear line and an exit status, never a traceback.

The data-dir lock is tested across real processes: a `videogen serve` with a generation running,
and a second `videogen serve` (or `generate`) on the same data dir.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import trio
import trio.testing
from rich.console import Console

from tests.fakes import FakeMedia, InlineStore, request
from tests.test_server_e2e import Server, free_port
from videogen.actors.adapters.data_dir import (
    SERVE_LOCK_NAME,
    acquire_data_dir,
    hold_data_dir,
    release_data_dir,
    share,
)
from videogen.actors.errors import AlreadyFinished, DataDirLocked, DataDirUnusable
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry
from videogen.cli.generate import _cancel_on_interrupt
from videogen.server.settings import parse_size

if TYPE_CHECKING:
    from collections.abc import Iterator

    from videogen.actors.runtime.events import ProgressEvent

VIDEOGEN = str(Path(sys.executable).with_name("videogen"))


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VIDEOGEN, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


# -- flags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--max-running", "0"], "--max-running: must be at least 1, not 0"),
        (["--max-queued", "-1"], "--max-queued: must be at least 0, not -1"),
        (["--port", "99999"], "--port: must be 0-65535, not 99999"),
        (["--port", "http"], "--port: not an integer: 'http'"),
        (["--rate-limit", "-5"], "--rate-limit: must be at least 0"),
        (["--llm-parallel", "0"], "--llm-parallel: must be at least 1"),
        (["--llm-timeout", "0"], "--llm-timeout: must be more than 0"),
        (["--cache-size", "lots"], "--cache-size: not a size: 'lots'"),
        (["--cache-size", "2XB"], "--cache-size: not a size: '2XB'"),
    ],
)
def test_bad_serve_flags_are_one_line_and_exit_2(
    tmp_path: Path, flags: list[str], named: str
) -> None:
    done = run("serve", "--data-dir", str(tmp_path / "data"), *flags)
    assert done.returncode == 2
    assert named in one_line(done)
    assert not (tmp_path / "data").exists()  # nothing touched


@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_a_missing_or_corrupt_zim_is_one_line_exit_2(tmp_path: Path, kind: str) -> None:
    zim = tmp_path / "wiki.zim"
    if kind == "corrupt":
        zim.write_bytes(b"ZIM? no" * 1000)
    done = run("serve", "--data-dir", str(tmp_path / "data"), "--zim", str(zim))
    assert done.returncode == 2
    line = one_line(done)
    assert "wiki.zim" in line and str(tmp_path) not in line  # named, not its server path
    assert not (tmp_path / "data").exists()  # nothing touched, nothing listened on


def test_a_bad_cache_size_for_generate_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run("generate", "Topic", "--data-dir", str(tmp_path / "data"), "--cache-size", "-1")
    assert done.returncode == 2
    assert "--cache-size: not a size: '-1'" in one_line(done)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("text", "size"),
    [("2GiB", 2 * 1024**3), ("500MB", 500 * 1000**2), ("500m", 500 * 1000**2), ("1048576", 2**20)],
)
def test_cache_sizes_read_decimal_and_binary_units(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_the_cache_size_comes_from_the_environment_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [VIDEOGEN, "serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "VIDEOGEN_CACHE_SIZE": "big"},
    )
    assert done.returncode == 2
    assert "--cache-size: not a size: 'big'" in one_line(done)


def test_a_bad_environment_default_is_one_line_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [VIDEOGEN, "serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "VIDEOGEN_MAX_RUNNING": "none"},
    )
    assert done.returncode == 2
    assert "--max-running: not an integer: 'none'" in one_line(done)


def test_a_corrupt_database_is_one_line_exit_1_and_never_serving(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "videogen.db").write_bytes(b"this is not a database" * 100)
    done = run("serve", "--data-dir", str(data), "--port", str(free_port()))
    assert done.returncode == 1
    line = one_line(done)
    assert f"the database {data / 'videogen.db'} cannot be used: file is not a database" in line
    assert "serving on" not in done.stderr


@pytest.mark.parametrize("command", ["serve", "generate"])
def test_an_unusable_data_dir_is_one_line_exit_1(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    data = blocker / "data"
    args = ["serve", "--port", str(free_port())] if command == "serve" else ["generate", "Topic"]
    done = run(*args, "--data-dir", str(data))
    assert done.returncode == 1
    assert one_line(done).endswith(f"cannot use the data dir {data}: Not a directory")


def test_a_read_only_data_dir_is_one_line_exit_1(tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs: {mounted.stderr.decode().strip()}")
    try:
        done = run("generate", "Topic", "--data-dir", str(mount))
        assert done.returncode == 1
        assert one_line(done) == f"videogen: cannot use the data dir {mount}: Read-only file system"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


# -- the data-dir lock --------------------------------------------------------------------------


def hold_in_child(data_dir: Path, *, serve: bool) -> subprocess.CompletedProcess[str]:
    """Take a hold from another process; it prints what it got."""
    code = (
        "import sys; from pathlib import Path\n"
        "from videogen.actors.adapters.data_dir import acquire_data_dir\n"
        "from videogen.actors.errors import DataDirLocked\n"
        "try:\n"
        f"    hold = acquire_data_dir(Path({str(data_dir)!r}), serve={serve})\n"
        "except DataDirLocked as exc:\n"
        "    print(exc); sys.exit(2)\n"
        "print('alone' if hold.alone else 'shared')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_one_server_per_data_dir_and_only_a_lone_process_recovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with hold_data_dir(data, serve=True) as hold:
        assert hold.alone  # nobody else: this one recovers
        assert (data / SERVE_LOCK_NAME).read_text().strip() == str(os.getpid())
        nested = acquire_data_dir(data)  # the runtime, in the same process: the same hold
        assert nested is hold
        release_data_dir(nested)
        refused = hold_in_child(data, serve=True)
        assert refused.returncode == 2
        assert refused.stdout.strip() == (
            f"the data dir {data} is in use by another videogen process (pid {os.getpid()})"
        )
        share(hold)
        # Recovered: a `generate` may work beside the server, but never recovers.
        assert hold_in_child(data, serve=False).stdout.strip() == "shared"
    assert hold_in_child(data, serve=True).stdout.strip() == "alone"


def test_an_uncreatable_data_dir_is_data_dir_unusable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataDirUnusable, match="Not a directory") as refused:
        acquire_data_dir(tmp_path / "file" / "data")
    assert not isinstance(refused.value, DataDirLocked)


@pytest.fixture
def first_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "data", "--rate-limit", "0")
    yield server
    server.stop(signal.SIGKILL)


@pytest.mark.slow
def test_a_second_server_exits_2_and_a_cli_beside_it_touches_nothing_of_it(
    first_server: Server,
) -> None:
    data = first_server.data_dir
    response = httpx.post(
        f"{first_server.url}/api/generate",
        json={"topic": "Still mine", "num_slides": 6},
        headers={"Prefer": "respond-async"},
        timeout=30,
    )
    gid = response.json()["generation_id"]
    deadline = time.monotonic() + 30
    while httpx.get(f"{first_server.url}/api/status/{gid}").json()["progress"] < 30:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert (data / "generations" / gid / "work").is_dir()
    # Same port (whose bind would fail) and a free one: both refused before touching anything.
    for port in (first_server.port, free_port()):
        second = run("serve", "--data-dir", str(data), "--port", str(port))
        assert second.returncode == 2
        assert one_line(second) == (
            f"videogen serve: the data dir {data} is in use by another videogen process"
            f" (pid {first_server.process.pid})"
        )
    # A `generate` on the same dir works beside it, and recovers nothing of the server's.
    cli = run("generate", "Also mine", "--slides", "1", "--data-dir", str(data), timeout=120)
    assert cli.returncode == 0, cli.stderr[-2000:]
    # The server's generation was not interrupted: it completes, its files intact.
    with httpx.Client(base_url=first_server.url, timeout=120) as client:
        events = client.get(f"/api/progress/{gid}").text
        assert events.count('"status": "completed"') == 1
        assert '"status": "interrupted"' not in events
        video = data / "generations" / gid / f"{gid}.mp4"
        assert client.get(f"/api/video/{gid}.mp4").content == video.read_bytes()
    assert first_server.stop() == 0


# -- the CLI's own failures ---------------------------------------------------------------------


class GatedStore(InlineStore):
    """An inline store whose `settle` (the terminal write's retry) waits for `opened`."""

    opened: trio.Event
    reached: trio.Event

    async def settle(self) -> None:
        self.reached.set()
        await self.opened.wait()
        await super().settle()


async def test_ctrl_c_as_the_generation_completes_is_not_an_error(
    tmp_path: Path, nursery: trio.Nursery
) -> None:
    # Real time: the supervisor's terminal-write grace must not run out while the test waits.
    store = await GatedStore.open_inline(tmp_path / "videogen.db")
    store.opened, store.reached = trio.Event(), trio.Event()
    config = RegistryConfig(data_dir=tmp_path, max_running=1, max_queued=1)
    registry: Registry = await nursery.start(run_registry, store, FakeMedia(cost=0.01), config)
    gen = await registry.submit(request("Nearly done"))
    await store.reached.wait()  # `completed` is emitted; the supervisor is still finishing
    assert registry.live(gen.id) is not None
    outcomes: list[str] = []
    real_cancel = registry.cancel

    async def cancel(gid: str, **kwargs: Any) -> ProgressEvent:
        try:
            return await real_cancel(gid, **kwargs)
        except AlreadyFinished as exc:
            outcomes.append(exc.status)
            raise

    registry.cancel = cancel  # type: ignore[method-assign]

    async with trio.open_nursery() as watchers:
        watchers.start_soon(_cancel_on_interrupt, registry, gen.id, Console(quiet=True))
        await trio.testing.wait_all_tasks_blocked()
        signal.raise_signal(signal.SIGINT)  # caught by the command's signal receiver
        await trio.testing.wait_all_tasks_blocked()
        store.opened.set()
    assert outcomes == ["completed"]  # the cancel met the finished generation, quietly
    assert (await registry.record(gen.id)).status == "completed"
    await registry.shutdown()
    await store.aclose()
