"""The architecture, checked on the source: the layers import one way (cli → server → actors →
media), the lower layers stay free of the frameworks above them, and no library module grows
past a size a reader can hold.

Every import counts: at the top, under `if TYPE_CHECKING:`, inside functions, relative ones.
The files are read where they live (actors/, server/, media/, videogen/), not through the
`videogen/{actors,server,media}` links, so each is seen once under its one import name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

ROOT: Final = Path(__file__).resolve().parent.parent

# Each layer's folder and import name, lowest first: a layer may import only itself and below.
LAYERS: Final = (
    ("media", ROOT / "media", "videogen.media"),
    ("actors", ROOT / "actors", "videogen.actors"),
    ("server", ROOT / "server", "videogen.server"),
    ("cli", ROOT / "videogen" / "cli", "videogen.cli"),
)
RANK: Final = {name: rank for rank, (name, _, _) in enumerate(LAYERS)}

# Third-party packages a layer must not import (top-level names): media is plain synchronous
# code; the actors know nothing of HTTP frameworks (httpx stays: the LLM client is an adapter).
FORBIDDEN: Final = {
    "media": {
        "trio",
        "trio_parallel",
        "trio_websocket",
        "quart",
        "quart_trio",
        "quart_cors",
        "hypercorn",
        "httpx",
        "werkzeug",
    },
    "actors": {"quart", "quart_trio", "quart_cors", "hypercorn", "werkzeug", "trio_websocket"},
    "server": set(),
    "cli": set(),
}

# Known violations, each to be fixed (then its entry removed: an entry that no longer matches
# fails the test, so the list only shrinks).
KNOWN_VIOLATIONS: Final[frozenset[str]] = frozenset()

# No library module past this many lines: past it a module holds several jobs (issue 10).
# Data files (TOML, JSON, static assets) are not modules and are not counted.
MAX_MODULE_LINES: Final = 500
# Modules known to be over, with the size they may not grow past; remove an entry once the
# module is split (an entry for a module back under the limit fails the test).
KNOWN_LARGE: Final[dict[str, int]] = {}


@dataclass(frozen=True)
class Module:
    layer: str
    name: str  # dotted import name, e.g. videogen.actors.runtime.registry
    path: Path

    @property
    def package(self) -> str:
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def modules() -> list[Module]:
    """Every .py file of the four layers, under its import name."""
    found = []
    for layer, folder, dotted in LAYERS:
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found.append(Module(layer, ".".join((dotted, *parts)), path))
    return found


def imported(module: Module, tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of everything `module` imports, anywhere in its body; for
    `from a import b` both `a` and `a.b` (b may be a submodule)."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.append((node.lineno, base))
            names.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return names


def layer_of(name: str) -> str | None:
    """The layer a dotted videogen name belongs to; None for `videogen` itself or outside."""
    for layer, _, dotted in LAYERS:
        if name == dotted or name.startswith(dotted + "."):
            return layer
    return None


def violations(module: Module, source: str) -> list[str]:
    """What `module` (with this source) imports against the layering, one line each."""
    found = []
    for line, name in imported(module, ast.parse(source, filename=str(module.path))):
        where = f"{module.path.relative_to(ROOT)}:{line}"
        target = layer_of(name)
        if target is not None and RANK[target] > RANK[module.layer]:
            found.append(f"{where}: {module.layer} imports {name} ({target} is above it)")
        if name.split(".")[0] in FORBIDDEN[module.layer]:
            found.append(f"{where}: {module.layer} imports {name}")
    return sorted(set(found))


def test_the_walk_sees_every_layer() -> None:
    seen = {m.name for m in modules()}
    for name in (
        "videogen.media.worker",
        "videogen.actors.adapters.store",
        "videogen.actors.runtime.admission",
        "videogen.server.app",
        "videogen.cli.main",
    ):
        assert name in seen
    assert len(seen) == len(modules())  # no file seen twice (the links are not followed)


def test_layers_import_one_way() -> None:
    found = {v for m in modules() for v in violations(m, m.path.read_text(encoding="utf-8"))}
    assert sorted(found - KNOWN_VIOLATIONS) == []
    assert sorted(KNOWN_VIOLATIONS - found) == [], "fixed: remove from KNOWN_VIOLATIONS"


@pytest.mark.parametrize(
    ("layer", "name", "source"),
    [
        ("media", "videogen.media.x", "import trio\n"),
        ("media", "videogen.media.x", "from videogen.actors.errors import StoreBusy\n"),
        (
            "media",
            "videogen.media.x",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import httpx\n",
        ),
        ("media", "videogen.media.x", "def f():\n    from videogen import server\n"),
        ("media", "videogen.media.slides.x", "from ...actors import limits\n"),
        ("actors", "videogen.actors.runtime.x", "from quart import Response\n"),
        ("actors", "videogen.actors.runtime.x", "from ...server.http_errors import x\n"),
        ("actors", "videogen.actors.x", "import videogen.cli.main\n"),
        ("server", "videogen.server.x", "def f():\n    from videogen.cli import main\n"),
    ],
)
def test_a_violation_is_caught(layer: str, name: str, source: str) -> None:
    folder = dict((n, f) for n, f, _ in LAYERS)[layer]
    module = Module(layer, name, folder / "x.py")
    assert len(violations(module, source)) >= 1


@pytest.mark.parametrize(
    ("layer", "name", "source"),
    [
        ("media", "videogen.media.x", "from videogen.media.models import Script\n"),
        ("media", "videogen.media.slides.x", "from . import paint\nfrom ..fonts import f\n"),
        ("actors", "videogen.actors.x", "import httpx\nfrom videogen.media import worker\n"),
        ("cli", "videogen.cli.x", "from videogen.server.app import create_app\n"),
    ],
)
def test_an_allowed_import_is_not_flagged(layer: str, name: str, source: str) -> None:
    folder = dict((n, f) for n, f, _ in LAYERS)[layer]
    assert violations(Module(layer, name, folder / "x.py"), source) == []


def test_no_library_module_exceeds_the_size_limit() -> None:
    sizes = {
        str(m.path.relative_to(ROOT)): len(m.path.read_text(encoding="utf-8").splitlines())
        for m in modules()
    }
    over = {path: n for path, n in sizes.items() if n > KNOWN_LARGE.get(path, MAX_MODULE_LINES)}
    assert over == {}, f"modules over {MAX_MODULE_LINES} lines: {over}"
    back_under = sorted(path for path in KNOWN_LARGE if sizes.get(path, 0) <= MAX_MODULE_LINES)
    assert back_under == [], "no longer over the limit: remove from KNOWN_LARGE"
