"""Narration: text to a WAV file with espeak-ng through pyttsx3, one engine per process.

libespeak-ng and its voice data come from the `espeakng-loader` wheel, so no system package is
needed. The library is loaded lazily, on the first call that needs it, so importing this module
is cheap and a parent process never starts espeak's thread before it forks workers.

pyttsx3 2.99 has four bugs on Linux (notes/feasibility.md §2); this module is where they are
cured, and nowhere else needs to know about them:

1. `runAndWait()` returns before the WAV exists: wait for espeak with `Synchronize()` after it.
2. Only one `save_to_file` counts per `runAndWait()`: speak exactly one utterance per call.
3. Voice and rate changes race with synthesis: `Synchronize()` after setting them, check the WAV
   (format, length against the word count) and retry, the last time with a fresh engine.
4. It is not thread-safe: one engine per process and one lock around every use of it. To speak
   in parallel, call `synthesize` from several worker processes.
5. A WAV that cannot be written (a full disk) hangs `runAndWait()`: see `media.speech_room`.

Plain synchronous code: callers run `synthesize` in worker processes (trio-parallel).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Final

from videogen.media.audio import (
    SPEECH_FORMAT,
    frames_to_seconds,
    wav_format,
    wav_frames,
    write_silence,
)
from videogen.media.languages import LANGUAGES
from videogen.media.speech_errors import SpeechError, SpeechStorageError
from videogen.media.speech_room import check_room, os_error_in, storage_error, write_failures
from videogen.media.speech_text import kana_reading, speakable_text

__all__ = [
    "MAX_RATE",
    "MIN_RATE",
    "SILENCE_SECONDS",
    "SpeechError",
    "SpeechStorageError",
    "available_voices",
    "check_speech",
    "check_voice",
    "speakable_text",
    "synthesize",
    "voice_for",
]

log = logging.getLogger(__name__)

# espeak-ng's own limits on the rate, in words per minute (espeakRATE_MINIMUM / _MAXIMUM).
MIN_RATE: Final = 80
MAX_RATE: Final = 450

# What a slide with nothing to say gets instead of speech.
SILENCE_SECONDS: Final = 1.0

# One try, one retry with the same engine, one with a fresh engine.
_ATTEMPTS: Final = 3

# How long speech may be, as a multiple of units / rate (see `_expected_seconds`). Measured over
# the 19 languages at 80-450 wpm: sentences give 0.7-2.0; the extremes are 0.45 (spelled-out
# letters, low bound) and 3.0 (Japanese kanji, which espeak reads as "Chinese letter", high
# bound). The bounds catch an empty or cut-off WAV and a grossly wrong rate, with room to spare
# for text nobody measured: a false alarm would fail a whole video.
_LOW_FACTOR: Final = 0.3
_HIGH_FACTOR: Final = 4.0
# espeak adds a pause at the end, which weighs most in a one-word utterance at a slow rate.
_HIGH_SLACK_SECONDS: Final = 1.5

_CHECK_PHRASE: Final = "Speech check: one, two, three."
_CHECK_RATE: Final = 175

# Each Han character counts as a word; each kana as half of one (a kana is one syllable).
_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA: Final = re.compile(r"[\u3040-\u30ff]")

_lock = threading.Lock()


class _Unusable(Exception):
    """One attempt produced no usable WAV; the message says why."""


@dataclass(frozen=True, slots=True)
class _Voice:
    id: str
    name: str
    language: str


@dataclass(slots=True)
class _Espeak:
    """This process's espeak-ng: pyttsx3's ctypes binding and its one engine.

    The engine is held here because nothing else holds it strongly: pyttsx3's driver keeps only
    a weak proxy to it, and `pyttsx3.init()` only a WeakValueDictionary entry.
    """

    binding: Any
    engine: Any = None
    # The process that started espeak's thread: a forked child has the engine but not the thread.
    engine_pid: int | None = None
    # Errors pyttsx3 reports through its "error" notification instead of raising them.
    errors: list[str] = field(default_factory=list)
    voices: dict[str, _Voice] | None = None


_state: _Espeak | None = None


# --- public API ----------------------------------------------------------------------------


def synthesize(text: str, *, voice: str, rate: int, out_path: str) -> float:
    """Speak `text` with espeak-ng `voice` at `rate` words per minute into the WAV `out_path`.

    The WAV is mono, 16-bit, 22050 Hz. It is written to `out_path + ".tmp"` and renamed, so
    `out_path` is never half-written. Text with nothing to say (empty, whitespace, only symbols)
    gives `SILENCE_SECONDS` of silence. Returns the duration in seconds, from the WAV's frames.

    Raises ValueError for an unknown voice or a rate outside MIN_RATE..MAX_RATE,
    FileNotFoundError if the directory of `out_path` does not exist, SpeechStorageError at once
    (no retry) when the WAV cannot be written there (no space, read-only), and SpeechError if
    espeak-ng cannot be loaded or gives no valid WAV after three attempts.
    """
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(f"speech rate must be {MIN_RATE}-{MAX_RATE} words per minute, not {rate}")
    directory = os.path.dirname(out_path) or "."
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"no directory {directory!r} to write {out_path!r} into")
    spoken = speakable_text(text)
    with _lock:
        voice_id = _resolve_voice(voice, _voice_table())
        if voice_id.endswith("/ja"):
            spoken = kana_reading(spoken)
        expected = _expected_seconds(spoken, rate)
        if expected is None:
            return write_silence(out_path, SILENCE_SECONDS)
        check_room(out_path, expected[0])
        return _speak_checked(spoken, voice_id, rate, out_path, expected)


def available_voices() -> dict[str, str]:
    """The espeak-ng voices this process can speak with: voice id (e.g. "inc/hi") -> name.

    Listing voices loads the library but does not start espeak's thread, so it is safe in a
    process that forks afterwards. Raises SpeechError if espeak-ng cannot be loaded.
    """
    with _lock:
        return {voice.id: voice.name for voice in _voice_table().values()}


def voice_for(language: str, voice: str | None) -> str:
    """The espeak-ng voice id to speak `language` with, honouring an explicit `voice`.

    `voice` may be an id ("gmw/en-us"), its last part ("en-us"), a language code ("en-gb") or a
    voice name ("Hindi"); without one, the language's own voice from LANGUAGES is used.
    Raises ValueError for an unknown language or voice, SpeechError if espeak-ng cannot be
    loaded.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; see GET /api/options")
    if voice is None or not voice.strip():
        return LANGUAGES[language].voice
    with _lock:
        return _resolve_voice(voice, _voice_table())


def check_voice(voice: str) -> str:
    """The voice id `voice` names (see `voice_for`); ValueError names the allowed values. When
    espeak-ng cannot be loaded here, only the languages' own voices are known."""
    own = sorted({lang.voice for lang in LANGUAGES.values()})
    try:
        with _lock:
            table = _voice_table()
    except SpeechError:
        table = {v: _Voice(v, v, v.rsplit("/", 1)[-1]) for v in own}
    try:
        return _resolve_voice(voice, table)
    except ValueError:
        raise ValueError(
            f"unknown voice {voice!r}; allowed: one of the languages' voices ({', '.join(own)}),"
            f" or another of the {len(table)} espeak-ng voices by id (e.g. gmw/en-gb-x-rp), its"
            " last part, its language code or its name"
        ) from None


def check_speech() -> float:
    """Speak a short English phrase to a temporary file; return its duration in seconds.

    A health check: it proves the library loads, the data is found and a WAV comes out.
    Raises SpeechError if it does not.
    """
    with tempfile.TemporaryDirectory(prefix="videogen-speech-") as tmp:
        return synthesize(
            _CHECK_PHRASE,
            voice=LANGUAGES["english"].voice,
            rate=_CHECK_RATE,
            out_path=os.path.join(tmp, "check.wav"),
        )


def _expected_seconds(text: str, rate: int) -> tuple[float, float] | None:
    """The range a valid recording of `text` at `rate` wpm falls in; None if nothing to say.

    Spaced scripts are counted in words, Han in characters and kana in half characters. The
    upper bound also counts long words by letters and each digit as a word, because espeak
    reads "1234567" as seven words and a Malayalam compound as several.
    """
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    rest = _KANA.sub(" ", _HAN.sub(" ", text))
    words = sum(1 for token in rest.split() if any(ch.isalnum() for ch in token))
    letters = sum(1 for ch in rest if unicodedata.category(ch).startswith("L"))
    digits = sum(1 for ch in rest if ch.isdigit())
    low_units = words + han + kana / 2
    if low_units == 0:
        return None
    high_units = max(words, letters / 4) + digits + han + kana
    minute = 60 / rate
    low = _LOW_FACTOR * low_units * minute
    high = _HIGH_FACTOR * high_units * minute + _HIGH_SLACK_SECONDS
    return low, high


def _preview(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- voices --------------------------------------------------------------------------------


def _voice_table() -> dict[str, _Voice]:
    """Every usable voice by id, read once per process. Call with `_lock` held."""
    state = _espeak()
    if state.voices is None:
        # ListVoices needs the data path, which espeak otherwise only learns in Initialize.
        state.binding.dll.espeak_ng_InitializePath(None)
        voices = (_voice_from(raw) for raw in state.binding.ListVoices(None))
        # mbrola voices need the separate mbrola program, which is not installed.
        table = {voice.id: voice for voice in voices if not voice.id.startswith("mb/")}
        if not table:
            raise SpeechError(f"espeak-ng found no voices in {os.environ['ESPEAK_DATA_PATH']}")
        state.voices = table
    return state.voices


def _voice_from(raw: Any) -> _Voice:
    # `languages` is a priority byte followed by the first language code; ids are lowercased
    # the way pyttsx3 reports them.
    return _Voice(
        id=raw.identifier.decode("utf-8").lower(),
        name=raw.name.decode("utf-8"),
        language=(raw.languages or b"")[1:].decode("utf-8", errors="replace").lower(),
    )


def _resolve_voice(requested: str, table: dict[str, _Voice]) -> str:
    """The id of the voice `requested` names; raises ValueError if none or several match."""
    wanted = requested.strip().lower()
    if wanted in table:
        return wanted
    for matches in (
        [v.id for v in table.values() if v.id.endswith("/" + wanted)],
        [v.id for v in table.values() if v.language == wanted],
        [v.id for v in table.values() if v.name.lower() == wanted],
    ):
        if len(matches) == 1:
            return matches[0]
    raise ValueError(f"unknown voice {requested!r}; see GET /api/options")


# --- the engine ----------------------------------------------------------------------------


def _espeak() -> _Espeak:
    """This process's espeak-ng, loading the library on first use. Call with `_lock` held.

    Raises SpeechError if the library cannot be loaded, or was started in a parent process
    that forked this one.
    """
    global _state
    if _state is None:
        _state = _Espeak(binding=_load_binding())
    if _state.engine_pid not in (None, os.getpid()):
        # Speaking here would wait forever for a thread that only exists in the parent.
        raise SpeechError(
            "espeak-ng was started before this process was forked and cannot speak in it; "
            "start speech workers with spawn"
        )
    return _state


def _load_binding() -> Any:
    """Load libespeak-ng from espeakng-loader, then pyttsx3's binding to it.

    pyttsx3 looks the library up by name ("libespeak-ng.so.1") when its binding is imported.
    Loading the wheel's copy first, globally, makes the dynamic loader hand pyttsx3 that copy:
    setting LD_LIBRARY_PATH now would be too late, the loader reads it at process start.
    Raises SpeechError if it cannot be loaded.
    """
    try:
        import espeakng_loader

        # espeak-ng wants the directory that holds `espeak-ng-data`; the data must match this
        # library's version, so it replaces any path set for another copy of espeak.
        os.environ["ESPEAK_DATA_PATH"] = os.path.dirname(espeakng_loader.get_data_path())
        library = espeakng_loader.get_library_path()
        ctypes.CDLL(library + ".1", mode=ctypes.RTLD_GLOBAL)
        from pyttsx3.drivers import _espeak as binding
    except (ImportError, OSError, RuntimeError) as exc:
        raise SpeechError(f"could not load libespeak-ng from espeakng-loader: {exc}") from exc
    return binding


def _engine(*, fresh: bool) -> Any:
    """The process's pyttsx3 engine, built on first use or rebuilt if `fresh`.

    Call with `_lock` held. Raises SpeechError if espeak cannot be initialised.
    """
    state = _espeak()
    if fresh or state.engine is None:
        state.engine = _new_engine(state)
    return state.engine


def _new_engine(state: _Espeak) -> Any:
    import pyttsx3

    try:
        # Not `pyttsx3.init()`: it returns the cached engine while any reference to it lives,
        # so it would not give a fresh one.
        engine = pyttsx3.Engine("espeak")
    except RuntimeError as exc:
        raise SpeechError(f"could not initialise espeak-ng: {exc}") from exc
    # pyttsx3 swallows errors in queued commands (an unknown voice, say) and only notifies.
    engine.connect("error", lambda **event: state.errors.append(repr(event.get("exception"))))
    state.engine_pid = os.getpid()
    # The driver sets its default voice and rate on creation; let espeak apply them first.
    state.binding.Synchronize()
    return engine


# --- speaking ------------------------------------------------------------------------------


def _speak_checked(
    text: str, voice: str, rate: int, out_path: str, expected: tuple[float, float]
) -> float:
    """Speak `text` into `out_path`, checking and retrying; return the duration in seconds.

    Call with `_lock` held. Raises SpeechError after the last failed attempt.
    """
    tmp = out_path + ".tmp"
    reasons: list[str] = []
    try:
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                _render(_engine(fresh=attempt == _ATTEMPTS), text, voice, rate, tmp)
                seconds = _checked_duration(tmp, expected)
            except _Unusable as exc:
                reasons.append(f"attempt {attempt}: {exc}")
                log.warning("speech attempt %d of %d failed: %s", attempt, _ATTEMPTS, exc)
                continue
            os.replace(tmp, out_path)
            return seconds
        raise SpeechError(
            f"speech failed for slide text {_preview(text)} with voice {voice} at {rate} wpm: "
            + "; ".join(reasons)
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def _render(engine: Any, text: str, voice: str, rate: int, path: str) -> None:
    """One attempt: the engine writes `text` to `path`. Raises SpeechStorageError when the file
    could not be written, _Unusable on another error."""
    state = _espeak()
    state.errors.clear()
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)  # so that a file from an earlier attempt cannot pass for this one
    failures: list[BaseException] = []
    try:
        engine.setProperty("voice", voice)
        engine.setProperty("rate", rate)
        # Bug 3: the rate reaches espeak through its command queue; let it apply first. (A new
        # engine queues both settings until runAndWait, which applies them before speaking.)
        state.binding.Synchronize()
        # pyttsx3 prints "Audio saved to ..." from espeak's thread when the file is written,
        # which happens before the final Synchronize returns. The redirect is process-wide;
        # in a speech worker nothing else prints meanwhile.
        with contextlib.redirect_stdout(io.StringIO()), write_failures(engine, failures):
            engine.save_to_file(text, path)
            engine.runAndWait()
            # Bug 1: runAndWait can return before espeak's thread has written the file.
            state.binding.Synchronize()
    except (RuntimeError, ValueError, OSError, ctypes.ArgumentError) as exc:
        failures.append(exc)
    for failure in failures:
        if (os_error := os_error_in(failure)) is not None:
            state.engine = None  # its loop was ended by force: the next call builds a fresh one
            raise storage_error(os_error, path) from failure
    if failures:
        raise _Unusable(f"pyttsx3 raised {failures[0]!r}") from failures[0]
    if state.errors:
        raise _Unusable("pyttsx3 reported " + ", ".join(state.errors))


def _checked_duration(path: str, expected: tuple[float, float]) -> float:
    """The duration of the WAV at `path` if it is a plausible recording; raises _Unusable."""
    if not os.path.exists(path):
        raise _Unusable("no WAV was written")
    try:
        fmt, frames = wav_format(path), wav_frames(path)
    except ValueError as exc:
        raise _Unusable(str(exc)) from exc
    if fmt != SPEECH_FORMAT:
        raise _Unusable(f"the WAV is {fmt}, expected {SPEECH_FORMAT}")
    if frames == 0:
        raise _Unusable("the WAV is empty")
    seconds = frames_to_seconds(frames)
    low, high = expected
    if not low <= seconds <= high:
        raise _Unusable(f"{seconds:.2f} s of audio where {low:.2f}-{high:.2f} s was expected")
    return seconds
