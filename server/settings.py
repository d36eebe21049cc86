"""Server configuration: every `videogen serve` flag, each also an environment variable."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from videogen.actors.adapters.object_store import StorageURLError, parse_storage_url
from videogen.actors.adapters.writers import ThreadedWriter
from videogen.actors.limits import (
    DEFAULT_CACHE_BYTES,
    DEFAULT_MAX_QUEUED,
    DEFAULT_MAX_RUNNING,
    SHUTDOWN_GRACE,
)
from videogen.actors.llm.client import DEFAULT_TIMEOUT, LLMConfig
from videogen.actors.llm.writer import LLMWriter
from videogen.actors.runtime.registry import RegistryConfig
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Callable

    from videogen.actors.adapters.writers import ContentWriter

__all__ = [
    "DEFAULT_CORS_ORIGINS",
    "Settings",
    "add_cache_arguments",
    "add_database_argument",
    "add_knowledge_arguments",
    "add_llm_arguments",
    "add_serve_arguments",
    "add_storage_arguments",
    "database_url",
    "llm_config_from_args",
    "make_writer",
    "parse_size",
    "settings_from_args",
    "storage_url",
]

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
    # The admin key: sees and changes every generation.
    api_key: str | None = None
    # One (name, key) per user (`--api-keys FILE`): each sees only their own generations.
    api_keys: tuple[tuple[str, str], ...] = ()
    # Host names besides the loopback ones that a loopback server answers to (DNS rebinding).
    allowed_hosts: tuple[str, ...] = ()
    # Requests per minute per client on the routes that start work; 0 turns the limit off.
    rate_limit: int = 120
    # Believe X-Forwarded-For for the client address (only behind a proxy you run).
    trust_forwarded: bool = False
    max_body_bytes: int = 1_000_000
    # How long a progress stream waits for an unknown id to appear.
    progress_wait: float = 30.0
    keepalive: float = 2.0
    shutdown_grace: float = SHUTDOWN_GRACE
    # The model server the LLM writer uses; None: the offline writer.
    llm: LLMConfig | None = None
    # Kiwix ZIM files searched for every topic, beside the shipped encyclopedia (`--zim`).
    zim_paths: tuple[Path, ...] = ()
    # Online sources (`--online`): Wikipedia's API for topics, and URL sources in requests.
    online: bool = False
    # The largest file `POST /api/uploads` takes (413 above it).
    max_upload_bytes: int = 20_000_000
    # The artifact cache's bound (`--cache-size`): past it, least recently used artifacts go.
    cache_bytes: int = DEFAULT_CACHE_BYTES
    # The store on PostgreSQL (`--database-url postgresql://…`); None: SQLite in the data dir.
    database_url: str | None = None
    # This replica's name among those on one database (`--replica-id`); None: host:pid.
    replica_id: str | None = None
    # Where finished files are kept (`--storage-url`); None: the data dir's `generations/`.
    storage_url: str | None = None
    # Videos and exports answered with a redirect to a presigned URL (`--storage-presign`).
    storage_presign: bool = False

    @property
    def keyed(self) -> bool:
        """Whether requests must carry a key (`--api-key` or `--api-keys`)."""
        return self.api_key is not None or bool(self.api_keys)

    @property
    def registry(self) -> RegistryConfig:
        """The registry's part of the configuration."""
        return RegistryConfig(
            data_dir=self.data_dir,
            max_running=self.max_running,
            max_queued=self.max_queued,
            shutdown_grace=self.shutdown_grace,
            zim_paths=self.zim_paths,
            online=self.online,
            cache_bytes=self.cache_bytes,
            database_url=self.database_url,
            replica_id=self.replica_id,
            storage_url=self.storage_url,
            storage_presign=self.storage_presign,
        )


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VIDEOGEN_{name}", default)


def _env_on(name: str) -> bool:
    """Whether the switch `VIDEOGEN_<name>` is on ("1", "true" or "yes")."""
    return (_env(name) or "").strip().lower() in ("1", "true", "yes")


def default_data_dir() -> Path:
    """`$VIDEOGEN_DATA_DIR`, else `./data`: where `serve` and `generate` keep their files."""
    return Path(_env("DATA_DIR") or "data")


def _int_at_least(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in `low`..`high` (no upper bound when None)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"{low}-{high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {value}")
        return value

    parse.__name__ = "integer"  # what argparse calls the type in its messages
    return parse


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


_SIZE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([KMGT])(I)?)?B?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A byte count: a number with an optional unit, `KB`/`MB`/`GB`/`TB` (powers of 1000) or
    `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024), e.g. `2GiB`, `500MB`, `1048576`.

    Raises `argparse.ArgumentTypeError` saying what is accepted.
    """
    m = _SIZE.match(text)
    if m is None:
        raise argparse.ArgumentTypeError(
            f"not a size: {text!r} (bytes, or a number with KB, MB, GB, KiB, MiB, GiB …)"
        )
    number, letter, binary = m.groups()
    power = "KMGT".index(letter.upper()) + 1 if letter else 0
    return int(float(number) * (1024 if binary else 1000) ** power)


parse_size.__name__ = "size"  # what argparse calls the type in its messages


def add_cache_arguments(p: argparse.ArgumentParser) -> None:
    """The artifact cache's bound (`serve` and `generate`)."""
    p.add_argument(
        "--cache-size",
        type=parse_size,
        default=_env("CACHE_SIZE", str(DEFAULT_CACHE_BYTES)),
        metavar="SIZE",
        help="the per-slide artifact cache's bound, e.g. 2GiB or 500MB (least recently used "
        "artifacts go past it)",
    )


_USER_NAME: Final = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def read_keys_file(text: str) -> tuple[tuple[str, str], ...]:
    """`--api-keys FILE`: one `name:key` per line (blank lines and `#` comments skipped).

    Raises `argparse.ArgumentTypeError` naming the first bad line.
    """
    path = Path(text)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise argparse.ArgumentTypeError(f"cannot read {text}: {exc}") from None
    keys: list[tuple[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, key = (part.strip() for part in line.partition(":"))
        if not sep or not _USER_NAME.match(name) or not key:
            raise argparse.ArgumentTypeError(
                f"{text} line {number}: expected name:key (name of letters, digits, _.@-)"
            )
        if any(name == n or key == k for n, k in keys):
            raise argparse.ArgumentTypeError(f"{text} line {number}: name or key repeated")
        keys.append((name, key))
    if not keys:
        raise argparse.ArgumentTypeError(f"{text} holds no name:key line")
    return tuple(keys)


def database_url(text: str) -> str | None:
    """`--database-url`: a `postgresql://` (or `postgres://`) URL; empty: SQLite in the data dir."""
    text = text.strip()
    if not text:
        return None
    if not text.startswith(("postgresql://", "postgres://")):
        scheme = text.split("://", 1)[0] if "://" in text else text[:20]
        raise argparse.ArgumentTypeError(
            f"{scheme!r} is not a database URL: one of postgresql://…, postgres://…"
            " (or leave it out for SQLite in the data dir)"
        )
    return text


def add_database_argument(p: argparse.ArgumentParser) -> None:
    """`--database-url` (`VIDEOGEN_DATABASE_URL`), shared by `serve` and `generate`."""
    p.add_argument(
        "--database-url",
        type=database_url,
        default=_env("DATABASE_URL", ""),
        help="store generations in PostgreSQL (postgresql://user@host/db); default: SQLite"
        " in the data dir",
    )
    p.add_argument(
        "--replica-id",
        default=_env("REPLICA_ID", "") or None,
        help="this replica's name among those sharing the database (claims, /api/debug/actors);"
        " default: host:pid",
    )


def storage_url(text: str) -> str | None:
    """`--storage-url`: `s3://bucket/prefix`, `file:///dir` or a directory; empty: the data
    dir's `generations/`. Raises `argparse.ArgumentTypeError` naming the accepted forms."""
    try:
        target = parse_storage_url(text)
    except StorageURLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return None if target is None else text.strip()


def add_storage_url_argument(p: argparse.ArgumentParser) -> None:
    """`--storage-url` (`VIDEOGEN_STORAGE_URL`), shared by `serve`, `generate` and `render`."""
    p.add_argument(
        "--storage-url",
        type=storage_url,
        default=_env("STORAGE_URL", ""),
        help="keep finished files in s3://bucket/prefix (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,"
        " AWS_SECRET_ACCESS_KEY, AWS_REGION) or a shared directory; default: the data dir",
    )


def add_storage_arguments(p: argparse.ArgumentParser) -> None:
    """`--storage-url` and `--storage-presign`, for `serve`."""
    add_storage_url_argument(p)
    p.add_argument(
        "--storage-presign",
        action="store_true",
        default=_env_on("STORAGE_PRESIGN"),
        help="answer videos and exports with a redirect to a presigned URL of the object (S3)",
    )


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip().lower() for n in text.split(",") if n.strip())


def add_llm_arguments(p: argparse.ArgumentParser) -> None:
    """The LLM writer's flags (`serve` and `generate`); each defaults to its `VIDEOGEN_LLM_*`."""
    g = p.add_argument_group("LLM writer", "without --llm-url the offline writer writes")
    g.add_argument(
        "--llm-url",
        default=_env("LLM_URL"),
        help="base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1",
    )
    g.add_argument(
        "--llm-model", default=_env("LLM_MODEL", ""), help="model name (default: the first listed)"
    )
    g.add_argument("--llm-api-key", default=_env("LLM_API_KEY"))
    g.add_argument(
        "--llm-timeout",
        type=_positive,
        default=_env("LLM_TIMEOUT", f"{DEFAULT_TIMEOUT:g}"),
        help="seconds the model may take to write the slides, and again the narration",
    )
    g.add_argument(
        "--llm-parallel",
        type=_int_at_least(1),
        default=_env("LLM_PARALLEL", "4"),
        help="narration requests in flight at once (1 for a server that serves one at a time)",
    )
    g.add_argument(
        "--llm-fallback",
        action="store_true",
        default=_env_on("LLM_FALLBACK"),
        help="when the model fails, write with the offline writer instead of failing",
    )


def llm_config_from_args(args: argparse.Namespace) -> LLMConfig | None:
    """The LLM writer's configuration from parsed flags; None without `--llm-url`."""
    if not args.llm_url:
        return None
    return LLMConfig(
        url=args.llm_url,
        model=args.llm_model or "",
        api_key=args.llm_api_key or None,
        timeout=args.llm_timeout,
        fallback=args.llm_fallback,
        parallel=max(1, args.llm_parallel),
    )


def make_writer(llm: LLMConfig | None) -> ContentWriter:
    """The LLM writer on `llm`, else the offline writer."""
    return LLMWriter(llm) if llm is not None else ThreadedWriter(OfflineWriter())


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of `videogen serve`; each defaults to its `VIDEOGEN_*` variable."""
    # Defaults are the environment's strings: argparse checks them with the same type as a flag,
    # so a bad VIDEOGEN_PORT is one clear line too.
    p.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    p.add_argument(
        "--port", type=_int_at_least(0, 65535), default=_env("PORT", "8000"), help="0: any free"
    )
    p.add_argument("--data-dir", type=Path, default=default_data_dir())
    add_database_argument(p)
    add_storage_arguments(p)
    p.add_argument(
        "--cors-origins",
        default=_env("CORS_ORIGINS", ",".join(DEFAULT_CORS_ORIGINS)),
        help="comma-separated allowed origins",
    )
    p.add_argument(
        "--max-running",
        type=_int_at_least(1),
        default=_env("MAX_RUNNING", str(DEFAULT_MAX_RUNNING)),
        help="generations at once (at least 1)",
    )
    p.add_argument(
        "--max-queued",
        type=_int_at_least(0),
        default=_env("MAX_QUEUED", str(DEFAULT_MAX_QUEUED)),
        help="generations waiting for a slot (at least 0)",
    )
    p.add_argument("--api-key", default=_env("API_KEY"), help="the admin key")
    p.add_argument(
        "--api-keys",
        type=read_keys_file,
        default=_env("API_KEYS"),
        metavar="FILE",
        help="user keys, one name:key per line; each user sees only their own generations",
    )
    p.add_argument(
        "--allowed-hosts",
        type=_names,
        default=_env("ALLOWED_HOSTS", ""),
        help="comma-separated host names a loopback server also answers to",
    )
    p.add_argument(
        "--rate-limit",
        type=_int_at_least(0),
        default=_env("RATE_LIMIT", "120"),
        help="generate requests per minute per client (0: off)",
    )
    p.add_argument(
        "--trust-forwarded",
        action="store_true",
        default=_env_on("TRUST_FORWARDED"),
        help="take the client address from X-Forwarded-For",
    )
    add_cache_arguments(p)
    add_knowledge_arguments(p)
    add_llm_arguments(p)


def _paths(text: str) -> tuple[Path, ...]:
    return tuple(Path(part) for part in text.split(os.pathsep) if part)


def add_knowledge_arguments(p: argparse.ArgumentParser) -> None:
    """Where facts come from (`serve` and `generate`): ZIM files, and online sources."""
    g = p.add_argument_group(
        "knowledge", "the shipped offline encyclopedia is always searched (a request may say no)"
    )
    g.add_argument(
        "--zim",
        type=Path,
        action="append",
        default=list(_paths(_env("ZIM", "") or "")),
        metavar="PATH",
        help="a Kiwix ZIM file to search too (repeatable; needs the zim extra)",
    )
    g.add_argument(
        "--online",
        action="store_true",
        default=_env_on("ONLINE"),
        help="also search Wikipedia online, and allow URL sources",
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
        api_keys=args.api_keys or (),
        allowed_hosts=args.allowed_hosts or (),
        rate_limit=args.rate_limit,
        trust_forwarded=args.trust_forwarded,
        llm=llm_config_from_args(args),
        zim_paths=tuple(args.zim or ()),
        online=args.online,
        cache_bytes=args.cache_size,
        database_url=args.database_url,
        replica_id=args.replica_id,
        storage_url=args.storage_url,
        storage_presign=args.storage_presign,
    )
