"""Room to write a WAV: checked before speaking, and pyttsx3's failed writes caught at once.

pyttsx3 writes the WAV inside espeak's synthesis callback; when that write fails (a full or
vanished disk), ctypes only prints the exception and `runAndWait()` waits forever (bug 5 in
`media.speech`). `check_room` refuses before speaking when even the shortest plausible
recording cannot fit; `write_failures` catches a write that fails anyway and ends the loop.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import TYPE_CHECKING, Any, Final

from videogen.media.speech_errors import SpeechStorageError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["check_room", "os_error_in", "storage_error", "write_failures"]

# Bytes per second of a speech WAV (mono, 16-bit, 22050 Hz), and its header.
_WAV_BYTES_PER_SECOND: Final = 22050 * 2
_WAV_HEADER_BYTES: Final = 44


def storage_error(exc: OSError, path: str) -> SpeechStorageError:
    reason = exc.strerror or type(exc).__name__
    target = path.removesuffix(".tmp")  # the name the caller asked for
    return SpeechStorageError(f"cannot write the narration {target}: {reason}", exc.errno)


def check_room(out_path: str, low_seconds: float) -> None:
    """Fail before speaking when the WAV cannot be written next to `out_path`.

    Speaking into a full or read-only directory would otherwise hang pyttsx3 (bug 5). The
    space needed is the shortest plausible recording, so this never refuses a WAV that fits;
    a write that fails anyway is caught by `write_failures`. Raises SpeechStorageError.
    """
    tmp = out_path + ".tmp"
    try:
        with open(tmp, "wb"):
            pass  # can a file be created there at all (read-only, permissions)?
        stats = os.statvfs(os.path.dirname(out_path) or ".")
    except OSError as exc:
        raise storage_error(exc, tmp) from exc
    free = stats.f_bavail * stats.f_frsize
    needed = int(low_seconds * _WAV_BYTES_PER_SECOND) + _WAV_HEADER_BYTES
    if free < needed:
        raise SpeechStorageError(
            f"cannot write the narration {out_path}: No space left on device"
            f" ({free // 1024} KiB free, at least {needed // 1024} KiB needed)",
            errno.ENOSPC,
        )


@contextlib.contextmanager
def write_failures(engine: Any, failures: list[BaseException]) -> Iterator[None]:
    """Collect exceptions pyttsx3's synthesis callback raises, and end its loop on the first.

    ctypes hands an exception raised in a callback to `sys.unraisablehook` and carries on;
    pyttsx3's loop then never ends (bug 5). The hook is process-wide; under `_lock` in a speech
    worker nothing else raises in a callback meanwhile.
    """
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if getattr(unraisable.object, "__name__", "") != "_onSynth":
            previous(unraisable)
            return
        failures.append(unraisable.exc_value)
        with contextlib.suppress(AttributeError, ReferenceError):
            engine.proxy._driver.endLoop()

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind pyttsx3's "Error saving WAV file" RuntimeError, if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
