"""Benchmark of the narration's loudness normalisation: what it costs and what it reaches.

    python -m bench.loudness [--quick] [--json]

(a) Cost, on the assets of a 5-slide deck ("The water cycle", offline writer; made as the
    stages make them, `bench.compose.prepare_assets`): the composition ffmpeg call as it was
    (no audio filter, no chapters), the measuring passes (`RealMedia.narration_gain`: audio-only
    ebur128 runs), and the composition call with the gain, the limiter and the chapters.
    Medians of the repeats, wall seconds per minute of video, and the added share of compose.
    With background music (docs/examples/music.mp3, looped and ducked: `RealMedia.music_mix`):
    its two measuring passes and the composition call with the music mixed in, and its share
    over the composition without music.
(b) Result: 10 generations through the real runtime (different topics, languages, voices and
    speech rates), then 3 with background music at volumes 0.25, 0.5 and 1, each finished MP4
    measured with ffmpeg's `ebur128` filter (integrated loudness and true peak of the AAC
    track). Target −16 LUFS ± 1 LU, true peak ≤ −1 dBTP.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import trio

from bench._common import bench_args, emit, median, table
from bench.compose import prepare_assets
from videogen.actors.adapters.knowledge import UPLOADS_DIR, Knowledge
from videogen.actors.adapters.media_port import open_media
from videogen.actors.adapters.uploads import UploadStore
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media import compose, loudness
from videogen.media.chapters import Chapter, ffmetadata
from videogen.media.models import GenerationRequest, MusicSpec
from videogen.media.writer import OfflineWriter

TOLERANCE_LU = 1.0
# The README's example music: a few seconds of a sine chord made with ffmpeg (CC0).
MUSIC = Path(__file__).resolve().parents[1] / "docs" / "examples" / "music.mp3"
# Topic, language and music volume of the generations with background music.
MUSIC_GENERATIONS: list[tuple[str, str, float]] = [
    ("The water cycle", "english", 0.25),
    ("Volcanoes", "spanish", 0.5),
    ("Black holes", "english", 1.0),
]

# Topic, language, voice (None: the language's default) and speech rate of each generation.
GENERATIONS: list[tuple[str, str, str | None, int | None]] = [
    ("The water cycle", "english", None, None),
    ("Photosynthesis", "english", "gmw/en-gb-x-rp", 130),
    ("Black holes", "english", "gmw/en-us-nyc", 190),
    ("Volcanoes", "spanish", None, None),
    ("The French Revolution", "french", None, 160),
    ("Plate tectonics", "german", None, None),
    ("Monsoon", "hindi", None, None),
    ("The Moon", "russian", None, 140),
    ("Rainforests", "portuguese", None, None),
    ("Mathematics", "arabic", None, None),
]


def _run(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stderr


def measure_file(video: Path) -> loudness.Loudness:
    """The finished file's loudness, by the same filter a listener's meter uses."""
    _, stderr = _run(loudness.ebur128_argv(video, ffmpeg=compose.ffmpeg_exe()))
    return loudness.parse_ebur128(stderr)


async def cost(repeats: int, workdir: Path) -> dict[str, Any]:
    """(a): medians of the plain compose call, the measuring passes, and the full compose call."""
    request = GenerationRequest(topic="The water cycle", num_slides=5)
    uploads = UploadStore(workdir / UPLOADS_DIR)
    track = await uploads.save_audio(MUSIC.name, MUSIC.read_bytes(), "audio/mpeg")
    spec = MusicSpec(upload_id=track.upload_id)
    async with open_media(OfflineWriter(), knowledge=Knowledge.open(workdir)) as media:
        assets = await prepare_assets(media, request, workdir)
        concat = workdir / "list.ffconcat"
        compose.write_concat_list(assets.entries, concat)
        meta = workdir / "chapters.ffmetadata"
        meta.write_text(ffmetadata([Chapter(0.0, assets.total_seconds, "All")]), "utf-8")
        plain, passes, full, music_passes, music_full = [], [], [], [], []
        gain: float | None = None
        for _ in range(repeats):
            argv = compose.compose_argv(
                concat_list=concat,
                audio=assets.narration,
                total_seconds=assets.total_seconds,
                output=workdir / "plain.mp4",
                ffmpeg=compose.ffmpeg_exe(),
            )
            plain.append(_run(argv)[0])
            start = time.perf_counter()
            gain = await media.narration_gain(assets.narration)
            passes.append(time.perf_counter() - start)
            argv = compose.compose_argv(
                concat_list=concat,
                audio=assets.narration,
                total_seconds=assets.total_seconds,
                output=workdir / "full.mp4",
                ffmpeg=compose.ffmpeg_exe(),
                metadata=meta,
                audio_filter=None if gain is None else loudness.audio_filter(gain),
            )
            full.append(_run(argv)[0])
            start = time.perf_counter()
            mixed = await media.music_mix(
                assets.narration, spec, total_seconds=assets.total_seconds
            )
            music_passes.append(time.perf_counter() - start)
            assert mixed is not None
            argv = compose.compose_argv(
                concat_list=concat,
                audio=assets.narration,
                total_seconds=assets.total_seconds,
                output=workdir / "music.mp4",
                ffmpeg=compose.ffmpeg_exe(),
                metadata=meta,
                music=mixed[0],
                audio_graph=mixed[1],
            )
            music_full.append(_run(argv)[0])
    minutes = assets.total_seconds / 60
    before = median(plain)
    after = median(passes) + median(full)
    with_music = median(music_passes) + median(music_full)
    return {
        "video_seconds": assets.total_seconds,
        "gain_db": gain,
        "compose_plain_s_per_min": before / minutes,
        "measuring_passes_s_per_min": median(passes) / minutes,
        "compose_full_s_per_min": median(full) / minutes,
        "added_share_of_compose": after / before - 1,
        "plain_loudness": measure_file(workdir / "plain.mp4"),
        "full_loudness": measure_file(workdir / "full.mp4"),
        "music_passes_s_per_min": median(music_passes) / minutes,
        "compose_music_s_per_min": median(music_full) / minutes,
        "music_share_over_compose": with_music / after - 1,
        "music_loudness": measure_file(workdir / "music.mp4"),
    }


async def generations(
    count: int, data_dir: Path, music_rows: list[tuple[str, str, float]]
) -> list[dict[str, Any]]:
    """(b): `count` real generations, then those of `music_rows` with background music, each
    measured as a listener would."""
    rows = []
    # cache_bytes=0: every repeat made from scratch, none from the artifact cache.
    config = RegistryConfig(data_dir=data_dir, max_running=1, max_queued=20, cache_bytes=0)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
        uploads = UploadStore(data_dir / UPLOADS_DIR)
        track = await uploads.save_audio(MUSIC.name, MUSIC.read_bytes(), "audio/mpeg")
        runs: list[tuple[str, str, str | None, int | None, float | None]] = [
            *((*row, None) for row in GENERATIONS[:count]),
            *((topic, language, None, None, volume) for topic, language, volume in music_rows),
        ]
        for topic, language, voice, rate, volume in runs:
            request = GenerationRequest.model_validate(
                {"topic": topic, "num_slides": 4, "language": language}
                | ({"voice": voice} if voice else {})
                | ({"speech_rate": rate} if rate else {})
                | ({"music": {"upload_id": track.upload_id, "volume": volume}} if volume else {})
            )
            gen = await registry.submit(request, client="bench")
            with await registry.subscribe(gen.id) as events:
                async for event in events:
                    last = event
            assert last.status == "completed", (await registry.record(gen.id)).error
            video = registry.config.artifacts(gen.id).video
            measured = measure_file(video)
            rows.append(
                {
                    "topic": topic,
                    "language": language,
                    "voice": voice or "default",
                    "rate": rate or "default",
                    "music": volume or "none",
                    "seconds": compose.mp4_layout(video).duration,
                    "integrated": measured.integrated,
                    "true_peak": measured.true_peak,
                    "ok": abs(measured.integrated - loudness.TARGET_LUFS) <= TOLERANCE_LU
                    and measured.true_peak <= loudness.TARGET_TRUE_PEAK,
                }
            )
            await registry.media.remove_tree(video.parent)
        await registry.shutdown()
    return rows


async def main() -> None:
    args = bench_args(__doc__ or "")
    with tempfile.TemporaryDirectory(prefix="bench-loudness-") as tmp:
        root = Path(tmp)
        (root / "assets").mkdir()
        spent = await cost(2 if args.quick else 5, root / "assets")
        count = 3 if args.quick else len(GENERATIONS)
        music_rows = MUSIC_GENERATIONS[:1] if args.quick else MUSIC_GENERATIONS
        rows = await generations(count, root / "data", music_rows)
    results = {"cost": spent, "generations": rows, "all_ok": all(r["ok"] for r in rows)}
    text = "\n".join(
        [
            "## Loudness normalisation (target −16 LUFS ± 1 LU, true peak ≤ −1 dBTP)",
            "",
            table(
                ["step", "wall s / min of video"],
                [
                    [
                        "compose as it was (no filter, no chapters)",
                        spent["compose_plain_s_per_min"],
                    ],
                    ["measuring passes (ebur128, audio only)", spent["measuring_passes_s_per_min"]],
                    ["compose with gain, limiter, chapters", spent["compose_full_s_per_min"]],
                    ["music: measuring passes (levels, the mix)", spent["music_passes_s_per_min"]],
                    ["compose with music mixed in, chapters", spent["compose_music_s_per_min"]],
                ],
            ),
            "",
            f"Added to compose: {100 * spent['added_share_of_compose']:.0f} % "
            f"(a {spent['video_seconds']:.1f} s deck; gain {spent['gain_db']} dB). "
            f"Before: {spent['plain_loudness']}; after: {spent['full_loudness']}.",
            f"Background music adds {100 * spent['music_share_over_compose']:.0f} % to that "
            f"(passes and compose); the mix: {spent['music_loudness']}.",
            "",
            table(
                ["topic", "language", "voice", "rate", "music", "s", "LUFS", "dBTP", "ok"],
                [
                    [
                        r["topic"],
                        r["language"],
                        r["voice"],
                        r["rate"],
                        r["music"],
                        r["seconds"],
                        r["integrated"],
                        r["true_peak"],
                        r["ok"],
                    ]
                    for r in rows
                ],
            ),
            "",
            f"All within target: {results['all_ok']}",
        ]
    )
    emit(args, results, text)


if __name__ == "__main__":
    trio.run(main)
