"""What speech raises: `SpeechError`, and `SpeechStorageError` when the WAV cannot be written.

Both are re-exported by `media.speech`, where callers find them.
"""

from __future__ import annotations

__all__ = ["SpeechError", "SpeechStorageError"]


class SpeechError(RuntimeError):
    """espeak-ng could not be loaded, or gave no usable WAV for a text after every retry."""


class SpeechStorageError(SpeechError):
    """The WAV could not be written (no space, read-only, gone): retrying would not help.

    `errno` is the operating system's error number.
    """

    def __init__(self, message: str, errno_: int | None) -> None:
        super().__init__(message)
        self.errno = errno_

    def __reduce__(self) -> tuple[type[SpeechStorageError], tuple[str, int | None]]:
        # Raised in a worker process and pickled back: keep both arguments.
        return type(self), (str(self), self.errno)
