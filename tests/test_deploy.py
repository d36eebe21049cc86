"""The deployment template of docs/deploy (README "Several replicas"), checked without Docker.

There is no Docker where these tests run, so this is what can be checked here: compose.yaml
parses (merge keys included), it names three `videogen serve` replicas whose commands the real
`serve` parser accepts — each on the PostgreSQL and the S3 bucket, with its own `--replica-id`,
`--trust-forwarded`, and no port of its own published (only the proxy is reachable, which is
what makes trusting X-Forwarded-For right) — and the proxy's nginx.conf sends every replica the
client's address and passes event streams unbuffered with long read timeouts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs

from videogen.cli.main import build_parser
from videogen.server.settings import Settings, settings_from_args

DEPLOY: Final = Path(__file__).resolve().parents[1] / "docs" / "deploy"
# What compose substitutes from .env; any value will do for parsing.
ENV: Final = {"POSTGRES_PASSWORD": "secret", "MINIO_ROOT_PASSWORD": "secret2"}


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _replicas(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run `videogen serve` (the image's entrypoint is `videogen`)."""
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("command", [None])[0] == "serve"
    }


def _substituted(arg: str) -> str:
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda m: ENV[m.group(1)], arg)


def _settings(service: dict[str, Any]) -> Settings:
    """The settings the real `serve` parser makes of a replica's command."""
    argv = [_substituted(a) for a in service["command"]]
    return settings_from_args(build_parser().parse_args(argv))


def _nginx() -> str:
    # Comments dropped: a directive that is only mentioned in a comment does not count.
    text = (DEPLOY / "nginx.conf").read_text()
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_three_replicas_each_on_the_database_and_the_bucket_with_its_own_id() -> None:
    compose = _compose()
    replicas = _replicas(compose)
    assert len(replicas) == 3, sorted(replicas)
    ids = []
    for name, service in replicas.items():
        args = _settings(service)
        assert args.database_url is not None
        assert args.database_url.startswith("postgresql://"), name
        assert "@postgres:5432/" in args.database_url, name
        assert args.storage_url is not None and args.storage_url.startswith("s3://"), name
        assert args.trust_forwarded, name
        assert args.host == "0.0.0.0", name  # reachable by the proxy on the compose network
        assert "ports" not in service, f"{name} must be reachable through the proxy only"
        env = service["environment"]
        assert env["AWS_ENDPOINT_URL"] == "http://minio:9000", name
        assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} <= set(env), name
        assert "VIDEOGEN_API_KEY" in env, f"{name} would serve every generation to anyone"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["bucket"]["condition"] == "service_completed_successfully"
        ids.append(args.replica_id)
    assert len(set(ids)) == 3 and None not in ids, ids


def test_the_bucket_is_made_and_only_the_proxy_publishes_a_port() -> None:
    compose = _compose()
    services = compose["services"]
    bucket = " ".join(services["bucket"]["command"])
    urls = {_settings(service).storage_url for service in _replicas(compose).values()}
    assert len(urls) == 1, urls  # one bucket shared by every replica
    bucket_name = str(urls.pop()).removeprefix("s3://").split("/")[0]
    assert f"mc mb --ignore-existing local/{bucket_name}" in bucket
    published = [name for name, service in services.items() if "ports" in service]
    assert published == ["proxy"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_the_proxy_balances_over_every_replica_and_passes_streams_unbuffered() -> None:
    conf = _nginx()
    upstream = re.search(r"upstream\s+(\w+)\s*\{([^}]*)\}", conf)
    assert upstream is not None
    servers = set(re.findall(r"server\s+([\w-]+):8000", upstream.group(2)))
    assert servers == set(_replicas(_compose()))
    assert re.search(rf"proxy_pass\s+http://{upstream.group(1)};", conf)
    directives = dict(re.findall(r"^\s*(proxy_\w+)\s+([^;]+);", conf, re.MULTILINE))
    assert directives["proxy_buffering"] == "off"  # each SSE event goes out when written
    assert directives["proxy_http_version"] == "1.1"  # keepalive upstream, WebSocket upgrade
    for timeout in ("proxy_read_timeout", "proxy_send_timeout"):
        value = directives[timeout]
        seconds = int(value[:-1]) * {"s": 1, "m": 60, "h": 3600}[value[-1]]
        assert seconds >= 600, f"{timeout} {value} would cut a quiet stream"
    # The client's address is appended as the last hop: the one --trust-forwarded believes.
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;", conf)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", conf)
