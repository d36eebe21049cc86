"""The app's long-lived state, reachable from every route through `app_state()`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quart import current_app

from videogen.actors.adapters.fetch import Fetcher
from videogen.actors.adapters.uploads import UPLOADS_DIR, UploadStore
from videogen.server.access.keys import KeyRing
from videogen.server.access.ratelimit import RateLimiter
from videogen.server.access.sessions import SessionStore
from videogen.server.health import HealthChecks

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import ContentWriter
    from videogen.actors.runtime.registry import Registry
    from videogen.server.settings import Settings

__all__ = ["AppState", "app_state"]

STATE_KEY = "videogen"


@dataclass
class AppState:
    """Settings, the writer, the registry (set at startup), the per-client rate limiter, the
    keys, the signed-in browsers, the health checks' answers, which languages' fonts are
    installed (looked up once at startup, in a thread), the uploaded documents, and the URL
    fetcher (None unless the server runs with `--online`: then URL sources are refused)."""

    settings: Settings
    writer: ContentWriter
    registry: Registry | None = None
    started_at: float = field(default_factory=time.time)
    limiter: RateLimiter = field(init=False)
    keys: KeyRing = field(init=False)
    sessions: SessionStore = field(default_factory=SessionStore)
    health: HealthChecks = field(default_factory=HealthChecks)
    fonts: dict[str, bool] = field(default_factory=dict)
    openapi: dict[str, Any] | None = None  # built at the first `/openapi.json`
    uploads: UploadStore = field(init=False)
    fetcher: Fetcher | None = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_limit)
        self.keys = KeyRing.from_settings(self.settings)
        self.uploads = UploadStore(self.settings.data_dir / UPLOADS_DIR)
        self.fetcher = Fetcher() if self.settings.online else None

    def require_registry(self) -> Registry:
        """The registry; raises `RuntimeError` before startup has finished."""
        if self.registry is None:
            raise RuntimeError("the server is still starting")
        return self.registry


def app_state() -> AppState:
    """The state of the app handling the current request."""
    state = current_app.extensions[STATE_KEY]
    assert isinstance(state, AppState)
    return state
