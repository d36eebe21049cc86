"""Per-slide AAC narration, joined without re-encoding: the audio half of incremental rendering.

Only argv builders, filter text and the ADTS joiner live here (plain sync code); the media port
runs the processes. The recipe, and why each part of it:

* Every slide's slot (its speech and its pause) is a whole number of AAC frames (`AAC_FRAME`
  samples: `slot_pause` lengthens the pause, by less than one frame, 46 ms at 22,050 Hz), so a
  slide's audio starts on a frame boundary of the whole track and its frames can be copied.
* ffmpeg's AAC encoder delays its output by one frame (its priming): encoding n frames gives
  n + 1 packets, packet j carrying input samples [(j - 1) · 1024, (j + 1) · 1024) as its
  transform's window and decoding to [(j - 1) · 1024, j · 1024) after the overlap with j - 1.
  Each slide is encoded with a lead-in of one frame of silence before it (`encode_argv`): that
  is exactly what precedes it in the whole track, since every slot ends in a pause of digital
  silence far longer than a frame. The slide's packets 1 … k (k its frames) then carry the same
  windows a whole encode would at those places: packet 1's window is [the previous slot's last
  frame, the slide's first], packet k's ends at the slot's end. `join_adts` takes packets 1 … k
  of every slide, and the last slide's packet k + 1 (the frame a whole encode flushes last), so
  the joined track has a whole encode's packet count and timing, its first packet the priming.
  The mux (`-itsoffset` by one frame, `PRIMING`) puts that packet at −1024 samples; the MP4
  muxer then writes the edit list that skips it, as it does for a whole encode.
* Loudness is set per slide (`media.loudness`'s gain and limiter on each slide's own speech):
  an edit then measures and encodes only the edited slide, and every slide is at the target
  (−16 LUFS, true peak under −1 dBTP), so the whole track is too. One measuring pass takes
  every slide to be encoded at once, through the limiter at `loudness.GRID_DB`'s gains
  (`probes_argv`); only a slide whose gain lies far off that grid is probed again.
* ADTS (`.aac`): raw frames each with a 7-byte header stating its length, so a slide's packets
  are counted and cut here without a demuxer, and the joined file is read by ffmpeg as is.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from videogen.media import loudness

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "AAC_BITRATE",
    "AAC_FRAME",
    "AAC_SUFFIX",
    "SlideAudio",
    "adts_packets",
    "adts_rate",
    "encode_argv",
    "join_adts",
    "priming_seconds",
    "probes_argv",
    "slot_pause",
]

# Samples per AAC-LC frame (ISO/IEC 14496-3): the grid every slide's slot is padded to.
AAC_FRAME: Final = 1024
# The narration's bitrate, as `compose` encodes it whole.
AAC_BITRATE: Final = "96k"
# A slide's audio artifact: raw ADTS frames.
AAC_SUFFIX: Final = ".aac"
# ADTS's sampling_frequency_index → samples per second (ISO/IEC 14496-3, table 1.18).
_RATES: Final = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000)
# An ADTS header without CRC; with CRC two bytes more (the header says which).
_ADTS_HEADER: Final = 7


def slot_pause(speech_seconds: float, pause: float, *, rate: int) -> float:
    """The pause after `speech_seconds` of speech, at least `pause`, making the slot a whole
    number of AAC frames at `rate` (counted in samples, as `media.audio` joins them)."""
    speech = round(speech_seconds * rate)
    slot = speech + round(pause * rate)
    frames = -(-slot // AAC_FRAME)
    return (frames * AAC_FRAME - speech) / rate


def priming_seconds(rate: int) -> float:
    """The encoder's priming (one frame) in seconds: the joined track's `-itsoffset`, negated."""
    return AAC_FRAME / rate


def _head(ffmpeg: str, wavs: Sequence[Path]) -> list[str]:
    inputs = [arg for wav in wavs for arg in ("-i", os.fspath(wav))]
    return [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info", *inputs]


def probes_argv(parts: Sequence[tuple[Path, Sequence[float]]], *, ffmpeg: str) -> list[str]:
    """One pass measuring each WAV through the limiter at each of its gains (split branches):
    one summary per (WAV, gain), in order (`loudness.parse_ebur128_all`)."""
    chains: list[str] = []
    labels: list[str] = []
    for n, (_, gains) in enumerate(parts):
        mine = [f"p{n}_{k}" for k in range(len(gains))]
        chains.append(f"[{n}:a:0]asplit={len(gains)}" + "".join(f"[{x}]" for x in mine))
        for label, g in zip(mine, gains, strict=True):
            chains.append(
                f"[{label}]{loudness.audio_filter(g)},ebur128=peak=none:framelog=quiet[o{label}]"
            )
        labels += mine
    maps = [arg for label in labels for arg in ("-map", f"[o{label}]", "-f", "null", "-")]
    return [*_head(ffmpeg, [wav for wav, _ in parts]), "-filter_complex", ";".join(chains), *maps]


class SlideAudio:
    """One slide to encode: its speech WAV, its slot in samples (whole AAC frames), the
    loudness gain (None: as it is, for silence) and the ADTS file to write."""

    __slots__ = ("gain_db", "output", "slot", "wav")

    def __init__(self, wav: Path, slot: int, gain_db: float | None, output: Path) -> None:
        if slot <= 0 or slot % AAC_FRAME:
            raise ValueError(f"a slot must be a positive multiple of {AAC_FRAME}, not {slot}")
        self.wav, self.slot, self.gain_db, self.output = wav, slot, gain_db, output


def encode_argv(slides: Sequence[SlideAudio], *, ffmpeg: str) -> list[str]:
    """One ffmpeg run encoding each slide's speech, padded with silence to its slot, after a
    frame of silence (the lead-in, see the module docstring), through its gain and limiter,
    to its ADTS file (`AAC_FRAME` · (frames + 2) samples of packets: priming, lead-in, slot).
    """
    chains: list[str] = []
    outputs: list[str] = []
    for n, slide in enumerate(slides):
        length = AAC_FRAME + slide.slot
        level = "" if slide.gain_db is None else loudness.audio_filter(slide.gain_db) + ","
        # Padded before the limiter, trimmed after it: exactly the lead-in and the slot.
        chains.append(
            f"[{n}:a:0]adelay=delays={AAC_FRAME}S:all=1,apad=whole_len={length},"
            f"{level}atrim=end_sample={length}[o{n}]"
        )
        outputs += [
            "-map",
            f"[o{n}]",
            "-c:a",
            "aac",
            # The fast coder, as compose: the default one spends most of the time on speech.
            "-aac_coder",
            "fast",
            "-b:a",
            AAC_BITRATE,
            "-f",
            "adts",
            os.fspath(slide.output),
        ]
    head = [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y"]
    inputs = [arg for slide in slides for arg in ("-i", os.fspath(slide.wav))]
    return [*head, *inputs, "-filter_complex", ";".join(chains), *outputs]


def adts_packets(data: bytes) -> list[bytes]:
    """The ADTS frames of `data`, each with its header.

    Raises `ValueError` when `data` is not a whole run of ADTS frames.
    """
    packets: list[bytes] = []
    at = 0
    while at < len(data):
        head = data[at : at + _ADTS_HEADER]
        if len(head) < _ADTS_HEADER or head[0] != 0xFF or head[1] & 0xF0 != 0xF0:
            raise ValueError(f"not an ADTS frame at byte {at}")
        length = ((head[3] & 0x03) << 11) | (head[4] << 3) | (head[5] >> 5)
        if length < _ADTS_HEADER or at + length > len(data):
            raise ValueError(f"an ADTS frame at byte {at} runs past the data")
        packets.append(data[at : at + length])
        at += length
    return packets


def adts_rate(path: Path) -> int:
    """The sample rate the first ADTS header of `path` states.

    Raises `ValueError` when `path` does not start with an ADTS header naming a known rate.
    """
    with path.open("rb") as f:
        head = f.read(_ADTS_HEADER)
    index = (head[2] >> 2) & 0x0F if len(head) == _ADTS_HEADER else len(_RATES)
    if head[:1] != b"\xff" or index >= len(_RATES):
        raise ValueError(f"{path} does not start with an ADTS header naming its rate")
    return _RATES[index]


def join_adts(slides: Sequence[tuple[Path, int]], output: Path) -> int:
    """Join slides' ADTS files (each with its slot in samples, as `encode_argv` made it) into
    one track a whole encode's shape (see the module docstring); returns its packet count.

    Raises `ValueError` when a file does not hold its slot's packets.
    """
    if not slides:
        raise ValueError("nothing to join: no slides")
    joined: list[bytes] = []
    for n, (path, slot) in enumerate(slides):
        packets = adts_packets(path.read_bytes())
        frames = slot // AAC_FRAME
        if len(packets) != frames + 2:
            raise ValueError(f"{path} holds {len(packets)} AAC packets, not {frames + 2}")
        last = n == len(slides) - 1
        joined += packets[1 : frames + 2 if last else frames + 1]
    output.write_bytes(b"".join(joined))
    return len(joined)
