"""The live supervision tree, for `GET /api/debug/actors`, the logs and `--dump-tasks`.

Each actor owns one `ActorNode` and updates its own `state`; only the supervisor that started a
child adds or removes the child's node. Snapshots are plain JSON-ready dicts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import trio

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["ActorNode", "NodeState", "trio_task_tree"]

NodeState = Literal["starting", "idle", "waiting", "running", "done", "failed", "cancelled"]


@dataclass(eq=False)
class ActorNode:
    """One actor in the tree: a registry, a generation supervisor or a stage."""

    name: str
    kind: str
    state: NodeState = "starting"
    stage: str | None = None
    """A generation's current stage: the one its last progress event came from (None before
    the first stage reports; stages and the registry leave it None)."""
    started_at: float = field(default_factory=time.time)
    detail: str = ""
    children: list[ActorNode] = field(default_factory=list)

    def child(self, name: str, kind: str) -> ActorNode:
        """Create, attach and return a child node."""
        node = ActorNode(name, kind)
        self.children.append(node)
        return node

    def remove(self, node: ActorNode) -> None:
        """Detach a child (a finished generation leaves the registry's tree)."""
        if node in self.children:
            self.children.remove(node)

    def snapshot(self) -> dict[str, object]:
        """A JSON-ready copy of this subtree."""
        return {
            "name": self.name,
            "kind": self.kind,
            "state": self.state,
            "stage": self.stage,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started_at)),
            "age_s": round(time.time() - self.started_at, 3),
            "detail": self.detail,
            "children": [c.snapshot() for c in self.children],
        }


def _task_lines(task: trio.lowlevel.Task, depth: int) -> Iterator[str]:
    yield "  " * depth + task.name
    for nursery in task.child_nurseries:
        for child in sorted(nursery.child_tasks, key=lambda t: t.name):
            yield from _task_lines(child, depth + 1)


def trio_task_tree() -> str:
    """Trio's own task tree, one task per line, indented by nesting (call from the Trio thread)."""
    root = trio.lowlevel.current_root_task()
    return "" if root is None else "\n".join(_task_lines(root, 0))
