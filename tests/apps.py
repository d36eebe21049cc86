"""An app on its real registry and SQLite store over fake media, for the route tests (the
`media`, `test_app` and `client` fixtures in conftest.py use it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import trio

from videogen.actors.adapters.store import Store, database
from videogen.actors.runtime.registry import run_registry
from videogen.actors.runtime.run import open_files
from videogen.server.app import create_app
from videogen.server.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes import FakeMedia

__all__ = ["make_app"]


def make_app(tmp_path: Path, media: FakeMedia, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "progress_wait": 0.6,
        "keepalive": 0.2,
        "rate_limit": 0,
        "max_running": 2,
        "max_queued": 5,
        **overrides,
    }
    settings = Settings(data_dir=tmp_path, **fields)

    async def runtime(*, task_status: trio.TaskStatus[Any]) -> None:
        store = await Store.open(database(tmp_path, settings.database_url))
        try:
            # The artifact store `storage_url` names (the data dir's own by default).
            files = await open_files(settings.registry)
            await run_registry(
                store, media, settings.registry, files=files, task_status=task_status
            )
        finally:
            with trio.CancelScope(shield=True):
                await store.aclose()

    return create_app(settings, runtime=runtime)
