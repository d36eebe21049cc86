"""Benchmark: today's single-call compose against per-slide segments joined by stream copy.

    python -m bench.segments [--quick] [--json]

One 20-slide deck (offline writer, "The water cycle"): real drawn slides and real speech,
made once through the media port as the stages make them (`bench.compose.prepare_assets`'s
recipe, kept per slide). Then, interleaved in every repeat in a rotating order, medians of:

(A) `RealMedia.encode`: today's one ffmpeg call (concat list of every frame + narration), its
    decode check and verification;
(B) from scratch with segments: every slide's segment encoded (two at a time, the machine's
    cores), each put into a fresh `ArtifactCache`, then the join (video copied, narration
    encoded once), the decode check and the same verification;
(C) incremental: one slide's segment encoded again (a new key), the other 19 got from the
    cache (B's), then join, decode check, verification.

Every output's slide changes are measured against the script's boundaries by decoding its frame
timestamps (`media.segments.boundary_errors`); the worst is reported per approach. Ratios B/A
and C/A are of medians, and the median of the per-repeat ratios. Speech and drawing are the
same for every approach here; their one-time cost is reported beside (the stages' share).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from bench._common import bench_args, emit, median, table
from videogen.actors.adapters.artifact_cache import ArtifactCache, segment_key
from videogen.actors.adapters.media_port import RealMedia, open_media
from videogen.actors.adapters.processes import run_checked
from videogen.actors.stages.speech import FINAL_PAUSE
from videogen.media import compose, segments
from videogen.media.models import GenerationRequest
from videogen.media.speech import voice_for
from videogen.media.timeline import PAUSE_SECONDS, SpokenSlide, frame_entries
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

TOPIC = "The water cycle"
SLIDES = 20
# The bounds: a full render from segments within 10 % of the single call; every slide
# change within 40 ms of the script.
TARGET_B_OVER_A = 1.10
TARGET_SYNC_MS = segments.BOUNDARY_TOLERANCE * 1000
_SIZE = (1280, 720)


@dataclass(frozen=True, slots=True)
class Deck:
    """Per slide: its frames with their seconds, and its whole slot; the joined narration."""

    slides: list[list[tuple[Path, float]]]
    seconds: list[float]
    narration: Path

    @property
    def total(self) -> float:
        return sum(self.seconds)

    @property
    def entries(self) -> list[tuple[Path, float]]:
        return [e for slide in self.slides for e in slide]


def _noop(_fraction: float) -> None:
    pass


async def prepare(media: RealMedia, request: GenerationRequest, work: Path) -> tuple[Deck, float]:
    """Content, script, speech per slide, narration, frames (as the stages); and its wall time."""
    start = time.perf_counter()
    content = await media.write_content(request)
    script = await media.write_script(request, content)
    voice = voice_for(request.language, request.voice)
    count = len(script.slide_scripts)
    spoken: dict[int, SpokenSlide] = {}
    frames: dict[int, tuple[Path, ...]] = {}

    async def speak(i: int) -> None:
        entry = script.slide_scripts[i]
        wav = work / f"narration_{i + 1:02d}.wav"
        secs = await media.speak(entry.narration_text, voice=voice, rate=request.rate, out_path=wav)
        pause = FINAL_PAUSE if i == count - 1 else PAUSE_SECONDS
        spoken[i] = SpokenSlide(entry.slide_number, entry.narration_text, wav, secs, pause)

    async def draw(i: int) -> None:
        slide = content.slides[i]
        reveal = slide.needs_animation and len(slide.bullets) >= 2
        drawn = await media.draw(slide, request=request, total=count, out_dir=work, reveal=reveal)
        frames[i] = drawn.frames

    async with trio.open_nursery() as nursery:
        for i in range(count):
            nursery.start_soon(speak, i)
            nursery.start_soon(draw, i)
    ordered = [spoken[i] for i in range(count)]
    narration = work / "narration.wav"
    await media.combine([(s.wav, s.pause) for s in ordered], narration)
    per_slide = [frame_entries([frames[i]], [ordered[i]]) for i in range(count)]
    deck = Deck(per_slide, [s.seconds for s in ordered], narration)
    return deck, time.perf_counter() - start


# -- the approaches ---------------------------------------------------------------------------


async def _verify(video: Path, total: float, ffmpeg: str) -> None:
    errors = await run_checked(compose.decode_check_argv(video, ffmpeg=ffmpeg))
    await trio.to_thread.run_sync(
        lambda: compose.verify_video(video, expected_seconds=total, decode_errors=errors)
    )


async def encode_segment(
    entries: list[tuple[Path, float]], seconds: float, out: Path, ffmpeg: str
) -> None:
    listing = out.with_suffix(".ffconcat")
    await trio.to_thread.run_sync(segments.write_frame_list, entries, listing)
    errors = await run_checked(
        segments.segment_argv(concat_list=listing, seconds=seconds, output=out, ffmpeg=ffmpeg)
    )
    if errors.strip() or not await trio.Path(out).exists():
        raise RuntimeError(f"segment {out.name}: {errors[:300]}")


async def join(deck: Deck, segs: list[Path], out: Path, ffmpeg: str) -> None:
    listing = out.with_suffix(".ffconcat")
    await trio.to_thread.run_sync(
        segments.write_segment_list, list(zip(segs, deck.seconds, strict=True)), listing
    )
    errors = await run_checked(
        segments.join_argv(
            segment_list=listing,
            audio=deck.narration,
            total_seconds=deck.total,
            output=out,
            ffmpeg=ffmpeg,
        )
    )
    if errors.strip():
        raise RuntimeError(f"join: {errors[:300]}")
    await _verify(out, deck.total, ffmpeg)


def _key(deck: Deck, i: int, salt: str = "") -> str:
    # The bench's stand-in for the slide's frames key: one per slide (and per redo).
    frames = f"bench-slide-{i}{salt}"
    seconds = [s for _p, s in deck.slides[i]]
    return segment_key(frames=frames, seconds=seconds, width=_SIZE[0], height=_SIZE[1])


async def from_scratch(deck: Deck, cache: ArtifactCache, out: Path, ffmpeg: str, cpus: int) -> None:
    """(B) every segment encoded and cached, then joined."""
    limiter = trio.CapacityLimiter(cpus)
    made: dict[int, Path] = {}

    async def one(i: int) -> None:
        async with limiter:
            seg = out.parent / f"{out.stem}_seg{i:02d}{segments.SEGMENT_SUFFIX}"
            await encode_segment(deck.slides[i], deck.seconds[i], seg, ffmpeg)
            art = await cache.put("segment", _key(deck, i), {"segment.mp4": seg})
            made[i] = art.file("segment.mp4")

    async with trio.open_nursery() as nursery:
        for i in range(len(deck.slides)):
            nursery.start_soon(one, i)
    await join(deck, [made[i] for i in range(len(deck.slides))], out, ffmpeg)


async def incremental(
    deck: Deck, cache: ArtifactCache, out: Path, ffmpeg: str, redo: int, salt: str
) -> int:
    """(C) one segment redone, the others from the cache; returns how many came from it."""
    segs: list[Path] = []
    reused = 0
    async with cache.leased() as lease:
        for i in range(len(deck.slides)):
            if i == redo:
                seg = out.parent / f"{out.stem}_redo{segments.SEGMENT_SUFFIX}"
                await encode_segment(deck.slides[i], deck.seconds[i], seg, ffmpeg)
                art = await cache.put(
                    "segment", _key(deck, i, salt), {"segment.mp4": seg}, lease=lease
                )
            else:
                got = await cache.get("segment", _key(deck, i), lease=lease)
                if got is None:
                    raise RuntimeError(f"slide {i}'s segment is not in the cache")
                art, reused = got, reused + 1
            segs.append(art.file("segment.mp4"))
        await join(deck, segs, out, ffmpeg)
    return reused


async def sync_ms(video: Path, deck: Deck, ffmpeg: str) -> float:
    """The worst slide change's distance from the script's boundary, in milliseconds."""
    text = await run_checked_stdout(segments.frame_times_argv(video, ffmpeg=ffmpeg))
    frames = segments.parse_frame_times(text)
    return max(segments.boundary_errors(frames, segments.boundaries(deck.seconds))) * 1000


async def run_checked_stdout(argv: list[str]) -> str:
    done = await trio.run_process(argv, capture_stdout=True, capture_stderr=True, check=True)
    return done.stdout.decode()


# -- the run ----------------------------------------------------------------------------------


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await fn()
    return time.perf_counter() - start


async def main_async(repeats: int) -> dict[str, Any]:
    ffmpeg = compose.ffmpeg_exe()
    cpus = os.cpu_count() or 2
    request = GenerationRequest(topic=TOPIC, num_slides=SLIDES)
    with tempfile.TemporaryDirectory(prefix="bench-segments-") as tmp:
        root = Path(tmp)
        (root / "deck").mkdir()
        async with open_media(OfflineWriter()) as media:
            deck, prep_wall = await prepare(media, request, root / "deck")
            cache = await ArtifactCache.open(root, root / "videogen.db", max_bytes=1 << 30)
            runs: dict[str, list[float]] = {"A": [], "B": [], "C": []}
            reused: list[int] = []
            counter = 0

            async def a() -> None:
                out = root / "a.mp4"
                runs["A"].append(
                    await timed(
                        lambda: media.encode(
                            deck.entries,
                            narration=deck.narration,
                            total_seconds=deck.total,
                            output=out,
                            on_progress=_noop,
                        )
                    )
                )

            async def b() -> None:
                # A fresh cache each time: every segment is made, as for a first render.
                fresh = await ArtifactCache.open(
                    root / f"fresh{len(runs['B'])}", root / "fresh.db", max_bytes=1 << 30
                )
                runs["B"].append(
                    await timed(lambda: from_scratch(deck, fresh, root / "b.mp4", ffmpeg, cpus))
                )
                await fresh.aclose()

            async def c() -> None:
                nonlocal counter
                counter += 1
                redo = (7 * counter) % SLIDES

                async def go() -> None:
                    reused.append(
                        await incremental(deck, cache, root / "c.mp4", ffmpeg, redo, f"r{counter}")
                    )

                runs["C"].append(await timed(go))

            # The cache C reads from: filled once, untimed.
            await from_scratch(deck, cache, root / "seed.mp4", ffmpeg, cpus)
            steps = [a, b, c]
            for rep in range(repeats):
                shift = rep % len(steps)
                for step in steps[shift:] + steps[:shift]:
                    await step()
            sync = {
                name: await sync_ms(root / f"{name.lower()}.mp4", deck, ffmpeg)
                for name in ("A", "B", "C")
            }
            await cache.aclose()
    med = {k: median(v) for k, v in runs.items()}
    return {
        "slides": SLIDES,
        "video_seconds": round(deck.total, 3),
        "frames": len(deck.entries),
        "repeats": repeats,
        "prep_wall_s": prep_wall,
        "median_wall_s": med,
        "b_over_a": med["B"] / med["A"],
        "c_over_a": med["C"] / med["A"],
        "b_over_a_paired": statistics.median(
            x / y for x, y in zip(runs["B"], runs["A"], strict=True)
        ),
        "c_over_a_paired": statistics.median(
            x / y for x, y in zip(runs["C"], runs["A"], strict=True)
        ),
        "slides_reused": min(reused),
        "sync_worst_ms": sync,
        "raw": runs,
    }


def report(r: dict[str, Any]) -> str:
    m = r["median_wall_s"]
    rows: list[list[object]] = [
        ["(A) single call: encode + verify", m["A"], "1.00", r["sync_worst_ms"]["A"], ""],
        [
            "(B) 20 segments + cache + join + verify",
            m["B"],
            r["b_over_a"],
            r["sync_worst_ms"]["B"],
            f"B/A ≤ {TARGET_B_OVER_A}",
        ],
        [
            f"(C) 1 segment redone, {r['slides_reused']} from cache",
            m["C"],
            r["c_over_a"],
            r["sync_worst_ms"]["C"],
            "",
        ],
    ]
    text = table(["approach", "wall s (median)", "÷ A", "worst sync ms", "target"], rows)
    return (
        text + f"\n(paired ratios: B/A {r['b_over_a_paired']:.2f}, C/A {r['c_over_a_paired']:.2f};"
        f" {r['slides']} slides, {r['frames']} frames, {r['video_seconds']} s of video,"
        f" {r['repeats']} repeats; speech + drawing once: {r['prep_wall_s']:.2f} s;"
        f" sync bound {TARGET_SYNC_MS:.0f} ms)"
    )


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    result = trio.run(main_async, 2 if args.quick else 5)
    load = (load_start, os.getloadavg())
    text = report(result) + f"\n(1-min load average {load[0][0]:.1f} → {load[1][0]:.1f})"
    emit(args, {"bench": "segments", "quick": args.quick, **result, "loadavg": load}, text)


if __name__ == "__main__":
    main()
