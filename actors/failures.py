"""Reading what stopped a process: a Ctrl-C, or a startup failure worth one line.

Both `videogen serve` (videogen.server) and `videogen generate` (videogen.cli) run the runtime
inside nurseries, so what they catch arrives as (nested) exception groups; this module looks
inside them. It sits with the error tree, below both commands.
"""

from __future__ import annotations

from videogen.actors.errors import VideogenError

__all__ = ["interrupted", "startup_failure"]


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def interrupted(exc: BaseException) -> bool:
    """Whether `exc` is (or a group holding) a Ctrl-C."""
    return any(isinstance(leaf, KeyboardInterrupt) for leaf in _leaves(exc))


def startup_failure(exc: BaseException, *, address: str | None = None) -> str | None:
    """One line for what stopped a command before or while starting, or None if it is a bug.

    Looks inside exception groups (what a nursery raises) for a `VideogenError` (data dir,
    database) or an `OSError` (a port in use, an unwritable directory). An `OSError` naming no
    file is the listening socket's, when `address` is given.
    """
    leaves = _leaves(exc)
    for leaf in leaves:
        if isinstance(leaf, VideogenError):
            return str(leaf)
    for leaf in leaves:
        if isinstance(leaf, OSError):
            reason = leaf.strerror or str(leaf) or type(leaf).__name__
            if leaf.filename:
                return f"{reason}: {leaf.filename}"
            return f"cannot listen on {address}: {reason}" if address else reason
    return None
