"""Shared fixtures: a registry on fake media (virtual time) and on real media (real time)."""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Final

import pytest

from tests.apps import make_app
from tests.fakes import FakeMedia, InlineStore
from tests.postgres import pg_url, postgres_server, store_target
from tests.processes import descendants
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

# A real PostgreSQL (tests/postgres.py): the session's server, a database per test, and
# `store_target`, which runs a store test on SQLite and on PostgreSQL.
__all__ = ["pg_url", "postgres_server", "store_target"]

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    import trio
    from quart.typing import TestAppProtocol, TestClientProtocol


# Command lines of processes that must never outlive the test module that started them (the
# media workers of trio-parallel may: they are a cache that Trio's run closes).
_SERVERS: Final = ("videogen serve", "llama_cpp.server", "make serve", "ffmpeg")


@pytest.fixture(autouse=True, scope="module")
def _no_process_outlives_its_module() -> Iterator[None]:
    """Fail the module (and kill what is left) if a server or ffmpeg it started still runs."""
    yield
    left = [(pid, cmd) for pid, cmd in descendants() if any(s in cmd for s in _SERVERS)]
    for pid, _ in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes outlived their tests: {left}"


@pytest.fixture
def fake_media() -> FakeMedia:
    return FakeMedia()


@pytest.fixture
async def inline_store(tmp_path: Path) -> AsyncIterator[InlineStore]:
    store = await InlineStore.open_inline(tmp_path / "videogen.db")
    yield store
    await store.aclose()


@pytest.fixture
def registry_config(tmp_path: Path) -> RegistryConfig:
    return RegistryConfig(data_dir=tmp_path, max_running=2, max_queued=10)


@pytest.fixture
async def registry(
    nursery: trio.Nursery,
    inline_store: InlineStore,
    fake_media: FakeMedia,
    registry_config: RegistryConfig,
) -> Registry:
    started: Registry = await nursery.start(run_registry, inline_store, fake_media, registry_config)
    return started


# The route tests' app: the real registry and store on fake media (see tests/apps.py).


@pytest.fixture
def media() -> FakeMedia:
    return FakeMedia(cost=0.01)


@pytest.fixture
async def test_app(tmp_path: Path, media: FakeMedia) -> AsyncIterator[TestAppProtocol]:
    async with make_app(tmp_path, media).test_app() as app:
        yield app


@pytest.fixture
def client(test_app: TestAppProtocol) -> TestClientProtocol:
    return test_app.test_client()
