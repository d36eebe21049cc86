"""Server configuration: every `videogen serve` flag, each also an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from actors.limits import DEFAULT_MAX_QUEUED, DEFAULT_MAX_RUNNING, SHUTDOWN_GRACE
from actors.registry import RegistryConfig

if TYPE_CHECKING:
    import argparse

__all__ = ["DEFAULT_CORS_ORIGINS", "Settings", "add_serve_arguments", "settings_from_args"]

DEFAULT_CORS_ORIGINS: Final = ("http://localhost:5173", "http://127.0.0.1:5173")


@dataclass(frozen=True)
class Settings:
    """Everything the app factory needs; tests build one directly."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: tuple[str, ...] = DEFAULT_CORS_ORIGINS
    max_running: int = DEFAULT_MAX_RUNNING
    max_queued: int = DEFAULT_MAX_QUEUED
    api_key: str | None = None
    # Requests per minute per client on the routes that start work; 0 turns the limit off.
    rate_limit: int = 120
    # Believe X-Forwarded-For for the client address (only behind a proxy you run).
    trust_forwarded: bool = False
    max_body_bytes: int = 1_000_000
    # How long a progress stream waits for an unknown id to appear.
    progress_wait: float = 30.0
    keepalive: float = 2.0
    shutdown_grace: float = SHUTDOWN_GRACE
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def registry(self) -> RegistryConfig:
        """The registry's part of the configuration."""
        return RegistryConfig(
            data_dir=self.data_dir,
            max_running=self.max_running,
            max_queued=self.max_queued,
            shutdown_grace=self.shutdown_grace,
        )


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VIDEOGEN_{name}", default)


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of `videogen serve`; each defaults to its `VIDEOGEN_*` variable."""
    p.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(_env("PORT", "8000") or 8000))
    p.add_argument("--data-dir", type=Path, default=Path(_env("DATA_DIR", "data") or "data"))
    p.add_argument(
        "--cors-origins",
        default=_env("CORS_ORIGINS", ",".join(DEFAULT_CORS_ORIGINS)),
        help="comma-separated allowed origins",
    )
    p.add_argument(
        "--max-running", type=int, default=int(_env("MAX_RUNNING", str(DEFAULT_MAX_RUNNING)) or 1)
    )
    p.add_argument(
        "--max-queued", type=int, default=int(_env("MAX_QUEUED", str(DEFAULT_MAX_QUEUED)) or 0)
    )
    p.add_argument("--api-key", default=_env("API_KEY"))
    p.add_argument(
        "--rate-limit",
        type=int,
        default=int(_env("RATE_LIMIT", "120") or 0),
        help="generate requests per minute per client (0: off)",
    )
    p.add_argument(
        "--trust-forwarded",
        action="store_true",
        default=_env("TRUST_FORWARDED", "") in ("1", "true", "yes"),
        help="take the client address from X-Forwarded-For",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from parsed `serve` arguments."""
    origins = tuple(o.strip() for o in (args.cors_origins or "").split(",") if o.strip())
    return Settings(
        data_dir=args.data_dir,
        host=args.host,
        port=args.port,
        cors_origins=origins,
        max_running=args.max_running,
        max_queued=args.max_queued,
        api_key=args.api_key or None,
        rate_limit=args.rate_limit,
        trust_forwarded=args.trust_forwarded,
    )
