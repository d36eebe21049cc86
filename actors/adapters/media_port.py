"""The actors' one door to `media/`: an async protocol and its real implementation.

Stage actors depend on `MediaPort`, never on `media` directly, so a unit test can hand them a
fake whose work is `await trio.sleep(cost)`. `open_media` builds the real one: CPU work
(speech, drawing) runs in worker processes that are killed on cancellation (pyttsx3 is not
thread-safe and holds one engine per process), ffmpeg runs as a child process that is
terminated then killed on cancellation.
"""

from __future__ import annotations

import functools
import os
import shutil
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol

import trio
import trio_parallel

from videogen.actors.adapters import audio_levels, joining, slide_audio
from videogen.actors.adapters.knowledge import Knowledge
from videogen.actors.adapters.processes import run_checked, stream_lines
from videogen.actors.adapters.storage import probe_data_dir
from videogen.actors.adapters.writers import as_content_writer
from videogen.actors.errors import ProcessFailed
from videogen.media import audio, burn, compose, loudness, segments, slides, speech, worker
from videogen.media.aac_segments import adts_rate, priming_seconds
from videogen.media.knowledge.model import NO_GROUNDING

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence
    from pathlib import Path

    from videogen.actors.adapters.writers import ContentWriter, Progress
    from videogen.media.join_check import Fresh
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, GenerationRequest, MusicSpec, Script, Slide
    from videogen.media.timeline import Cue
    from videogen.media.writer import Writer

__all__ = ["MediaPort", "RealMedia", "open_media"]


class MediaPort(Protocol):
    """What the stage actors need done. Every method may be cancelled at any checkpoint."""

    writer_name: str

    async def check_speech(self) -> float: ...

    async def save_text(self, path: Path, text: str) -> None:
        """Write `text` under a temporary name, then rename: readers never see half a file."""
        ...

    async def remove_tree(self, path: Path) -> None:
        """Remove a directory and everything in it; a missing one is fine."""
        ...

    async def check_storage(self, data_dir: Path, min_free: int) -> str | None:
        """`actors.storage.probe_data_dir`: None when `data_dir` takes files and has room."""
        ...

    def knowledge_sources(self) -> list[dict[str, object]]:
        """The knowledge sources decks are written from, as `/api/options` lists them."""
        ...

    async def ground(self, request: GenerationRequest) -> Grounding:
        """What the deck may say: the user's documents, else what the knowledge sources know
        about the topic (`NO_GROUNDING`-like, with a note, when nothing)."""
        ...

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content: ...

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script: ...

    async def speak(self, text: str, *, voice: str, rate: int, out_path: Path) -> float: ...

    async def combine(self, parts: Sequence[tuple[Path, float]], out_path: Path) -> float: ...

    async def draw(
        self,
        slide: Slide,
        *,
        request: GenerationRequest,
        total: int,
        out_dir: Path,
        reveal: bool,
    ) -> slides.SlideImages:
        """The slide's frames and its quality report (`media.slides.quality`)."""
        ...

    async def burn(
        self,
        entries: Sequence[tuple[Path, float]],
        cues: Sequence[Cue],
        *,
        language: str,
        out_dir: Path,
    ) -> list[tuple[Path, float]]: ...

    async def encode(
        self,
        entries: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        music: MusicSpec | None = None,
    ) -> None:
        """Encode, verify; the narration normalised to −16 LUFS (`media.loudness`), the
        `music` upload looped and ducked under it (`media.music`; the mix then normalised) and
        the MP4 given `metadata`'s chapters (an ffmetadata file), all in the same ffmpeg call.
        Raises `UploadNotFound` when the music's upload is gone."""
        ...

    async def encode_segmented(
        self,
        slides: Sequence[Sequence[tuple[Path, float]]],
        *,
        narration: Path | None,
        total_seconds: float,
        output: Path,
        segments_dir: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
    ) -> list[Path]:
        """`encode` with `narration` an encoded track (`join_audio`'s, copied in) and
        `metadata`'s chapters, or video only (`narration` None, for `join` to add the
        narration later), and one video-only segment per slide left in `segments_dir` (in
        order), from the same single ffmpeg run (`media.segments.segmented_argv`). Verified
        as `encode` is; video only, not decoded (the join decodes the segments' packets)."""
        ...

    async def encode_audio(self, slides: Sequence[tuple[Path, float, Path]]) -> None:
        """Each (speech WAV, slot seconds, output) encoded to its own AAC track, padded to the
        slot, normalised on its own (`slide_audio.encode_slides`)."""
        ...

    async def join_audio(self, parts: Sequence[tuple[Path, float]], output: Path) -> None:
        """Slides' AAC tracks (with their slots' seconds) joined into `output`, the narration
        as one encode would make it (`media.aac_segments.join_adts`)."""
        ...

    async def encode_segment(
        self, entries: Sequence[tuple[Path, float]], *, seconds: float, output: Path
    ) -> None:
        """One slide's frames as a video-only segment lasting `seconds`
        (`media.segments.segment_argv`), written to `output`."""
        ...

    async def join(
        self,
        parts: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        fresh: Fresh | None = None,
    ) -> None:
        """Segments (with their slides' seconds) and `narration` (`join_audio`'s track) joined
        by stream copy (`media.segments.join_argv`), given `metadata`'s chapters as `encode`
        does; verified (`actors.adapters.joining`; with `fresh`, decoding only what is new)."""
        ...


def _save_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


class RealMedia:
    """`MediaPort` on real espeak-ng, Pillow and ffmpeg. Build it with `open_media`."""

    def __init__(
        self,
        writer: ContentWriter | Writer,
        workers: trio_parallel.WorkerContext,
        cpus: int,
        knowledge: Knowledge,
    ) -> None:
        self._writer = as_content_writer(writer)
        self._knowledge = knowledge
        self._workers = workers
        self._limiter = trio.CapacityLimiter(cpus)
        # Health checks never queue behind generations' work.
        self._check_limiter = trio.CapacityLimiter(1)
        self._ffmpeg = compose.ffmpeg_exe()
        self.writer_name = self._writer.name

    async def _in_worker(self, fn: Callable[[], object]) -> object:
        return await self._workers.run_sync(fn, kill_on_cancel=True, limiter=self._limiter)

    async def save_text(self, path: Path, text: str) -> None:
        await trio.to_thread.run_sync(_save_text, path, text)

    async def remove_tree(self, path: Path) -> None:
        # Abandoned on cancel: a hung disk must not hold up the caller's bound (the thread
        # finishes or fails on its own; removing is idempotent).
        remove = functools.partial(shutil.rmtree, path, ignore_errors=True)
        await trio.to_thread.run_sync(remove, abandon_on_cancel=True)

    async def check_storage(self, data_dir: Path, min_free: int) -> str | None:
        # Abandoned on cancel: a hung mount must not hold up the caller's deadline.
        return await trio.to_thread.run_sync(
            probe_data_dir, data_dir, min_free, abandon_on_cancel=True
        )

    async def check_speech(self) -> float:
        seconds = await self._workers.run_sync(
            speech.check_speech, kill_on_cancel=True, limiter=self._check_limiter
        )
        assert isinstance(seconds, float)
        return seconds

    def knowledge_sources(self) -> list[dict[str, object]]:
        return self._knowledge.describe()

    async def ground(self, request: GenerationRequest) -> Grounding:
        return await self._knowledge.ground(request)

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        return await self._writer.write_content(request, grounding=grounding, progress=progress)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        return await self._writer.write_script(
            request, content, grounding=grounding, progress=progress
        )

    async def speak(self, text: str, *, voice: str, rate: int, out_path: Path) -> float:
        job = functools.partial(
            speech.synthesize, text, voice=voice, rate=rate, out_path=os.fspath(out_path)
        )
        seconds = await self._in_worker(job)
        assert isinstance(seconds, float)
        return seconds

    async def combine(self, parts: Sequence[tuple[Path, float]], out_path: Path) -> float:
        pairs = [(os.fspath(p), pad) for p, pad in parts]
        return await trio.to_thread.run_sync(audio.concat_wavs, pairs, os.fspath(out_path))

    async def draw(
        self,
        slide: Slide,
        *,
        request: GenerationRequest,
        total: int,
        out_dir: Path,
        reveal: bool,
    ) -> slides.SlideImages:
        job = functools.partial(
            slides.render_slide_images,
            slide,
            topic=request.topic,
            total=total,
            language=request.language,
            theme=request.style,
            size=request.size,
            out_dir=out_dir,
            reveal=reveal,
        )
        images = await self._in_worker(job)
        assert isinstance(images, slides.SlideImages)
        return images

    async def burn(
        self,
        entries: Sequence[tuple[Path, float]],
        cues: Sequence[Cue],
        *,
        language: str,
        out_dir: Path,
    ) -> list[tuple[Path, float]]:
        job = functools.partial(
            burn.burn_subtitles, list(entries), list(cues), language=language, out_dir=out_dir
        )
        burned = await self._in_worker(job)
        assert isinstance(burned, list)
        return burned

    async def narration_gain(self, narration: Path) -> float | None:
        """See `audio_levels.narration_gain`."""
        return await audio_levels.narration_gain(narration, ffmpeg=self._ffmpeg)

    async def music_mix(
        self, narration: Path, spec: MusicSpec, *, total_seconds: float
    ) -> tuple[list[str], str] | None:
        """See `audio_levels.music_mix` (the music read from this port's uploads store)."""
        uploads = self._knowledge.uploads
        if uploads is None:
            raise RuntimeError("this media port has no uploads store")  # a wiring bug
        track = (await uploads.load_audio(spec.upload_id)).path
        return await audio_levels.music_mix(
            narration, track, spec, total_seconds=total_seconds, ffmpeg=self._ffmpeg
        )

    async def encode(
        self,
        entries: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        music: MusicSpec | None = None,
    ) -> None:
        concat_list = output.with_suffix(".ffconcat")
        await trio.to_thread.run_sync(compose.write_concat_list, entries, concat_list)
        mixed = None
        if music is not None:
            mixed = await self.music_mix(narration, music, total_seconds=total_seconds)
        gain = None if mixed is not None else await self.narration_gain(narration)
        argv = compose.compose_argv(
            concat_list=concat_list,
            audio=narration,
            total_seconds=total_seconds,
            output=output,
            ffmpeg=self._ffmpeg,
            metadata=metadata,
            audio_filter=None if gain is None else loudness.audio_filter(gain),
            music=() if mixed is None else mixed[0],
            audio_graph=None if mixed is None else mixed[1],
        )
        await self._encode_verified(argv, output, total_seconds, on_progress)

    async def _encode_verified(
        self,
        argv: list[str],
        output: Path,
        total_seconds: float,
        on_progress: Callable[[float], None],
        *,
        decode: bool = True,
    ) -> None:
        """Run an encode reporting `-progress`, then decode-check (unless not `decode`) and
        verify its output."""

        def progress(line: str) -> None:
            if (seconds := compose.parse_progress(line)) is not None:
                on_progress(min(seconds / total_seconds, 1.0))

        code, errors = await stream_lines(argv, progress)
        if code != 0:
            raise ProcessFailed("ffmpeg", code, errors)
        decode_errors = ""
        if decode:
            check = compose.decode_check_argv(output, ffmpeg=self._ffmpeg)
            decode_errors = await run_checked(check)
        await trio.to_thread.run_sync(
            functools.partial(
                compose.verify_video,
                output,
                expected_seconds=total_seconds,
                decode_errors=decode_errors,
            )
        )

    async def encode_segmented(
        self,
        slides: Sequence[Sequence[tuple[Path, float]]],
        *,
        narration: Path | None,
        total_seconds: float,
        output: Path,
        segments_dir: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
    ) -> list[Path]:
        concat_list = output.with_suffix(".ffconcat")
        entries = [entry for slide in slides for entry in slide]
        await trio.to_thread.run_sync(segments.write_frame_list, entries, concat_list)
        await trio.Path(segments_dir).mkdir(parents=True, exist_ok=True)
        argv = segments.segmented_argv(
            concat_list=concat_list,
            audio=narration,
            total_seconds=total_seconds,
            cuts=segments.segment_cuts([sum(s for _, s in slide) for slide in slides]),
            output=output,
            segment_pattern=segments_dir / f"segment_%03d{segments.SEGMENT_SUFFIX}",
            ffmpeg=self._ffmpeg,
            audio_offset=None if narration is None else await self._priming(narration),
        )
        # Video only, the file is thrown away: its packets are the segments', and the join
        # that uses them decode-checks its own file (a decode here was 0.2 s for 351 s).
        decode = narration is not None
        await self._encode_verified(argv, output, total_seconds, on_progress, decode=decode)
        if metadata is not None and narration is not None:
            # The tee passes no chapters on: they are copied in.
            await joining.add_chapters(output, metadata, total_seconds, ffmpeg=self._ffmpeg)
        made = sorted(await trio.to_thread.run_sync(lambda: list(segments_dir.iterdir())))
        if len(made) != len(slides):
            raise compose.VerifyError(
                f"the encode left {len(made)} segments for {len(slides)} slides"
            )
        return made

    async def encode_segment(
        self, entries: Sequence[tuple[Path, float]], *, seconds: float, output: Path
    ) -> None:
        concat_list = output.with_suffix(".ffconcat")
        await trio.to_thread.run_sync(segments.write_frame_list, entries, concat_list)
        argv = segments.segment_argv(
            concat_list=concat_list, seconds=seconds, output=output, ffmpeg=self._ffmpeg
        )
        # Bounded like the worker processes: each encode is a core's worth of work. Decoded
        # once made (a proportional join check decodes only new segments: `join_check`).
        async with self._limiter:
            await joining.make_segment(argv, output, ffmpeg=self._ffmpeg)

    async def join(
        self,
        parts: Sequence[tuple[Path, float]],
        *,
        narration: Path,
        total_seconds: float,
        output: Path,
        on_progress: Callable[[float], None],
        metadata: Path | None = None,
        fresh: Fresh | None = None,
    ) -> None:
        await joining.join_parts(
            parts,
            narration=narration,
            audio_offset=await self._priming(narration),
            total_seconds=total_seconds,
            output=output,
            on_progress=on_progress,
            metadata=metadata,
            fresh=fresh,
            ffmpeg=self._ffmpeg,
        )

    async def encode_audio(self, slides: Sequence[tuple[Path, float, Path]]) -> None:
        # Bounded like the worker processes: a core's worth of work per group of slides.
        await slide_audio.encode_slides(slides, ffmpeg=self._ffmpeg, limiter=self._limiter)

    async def join_audio(self, parts: Sequence[tuple[Path, float]], output: Path) -> None:
        await slide_audio.join_slides(parts, output)

    async def _priming(self, track: Path) -> float:
        return priming_seconds(await trio.to_thread.run_sync(adts_rate, track))


@asynccontextmanager
async def open_media(
    writer: ContentWriter | Writer,
    *,
    cpus: int | None = None,
    knowledge: Knowledge | None = None,
) -> AsyncIterator[RealMedia]:
    """The real media port; its worker processes live exactly as long as the block. `writer`
    is async (`actors.writers.ContentWriter`) or one of `media.writer`'s sync writers;
    `knowledge` finds what decks say (default: the shipped encyclopedia, no uploads)."""
    count = cpus or os.cpu_count() or 2
    async with trio_parallel.open_worker_context(init=worker.warm) as workers:
        yield RealMedia(writer, workers, count, knowledge or Knowledge.shipped())
