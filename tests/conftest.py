"""Shared fixtures: a registry on fake media (virtual time) and on real media (real time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from actors.registry import Registry, RegistryConfig, run_registry
from tests.fakes import FakeMedia, InlineStore

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import trio


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
