"""Background music: audio uploads checked with the bundled ffmpeg, `music` checked at the edge.

Every audio file here is made with ffmpeg's `sine` and `anullsrc` sources (nothing downloaded);
the checks run the real ffmpeg. The mix on real generations is in `test_music_mix.py`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.test_uploads import ASYNC, MARKDOWN, _state, _upload
from videogen.actors.adapters.sources import prepare_sources
from videogen.actors.adapters.uploads import UploadStore
from videogen.actors.errors import SourceRejected, UploadWrongKind
from videogen.media import music
from videogen.media.compose import compose_argv, ffmpeg_exe
from videogen.media.models import GenerationRequest

if TYPE_CHECKING:
    from quart.typing import TestAppProtocol, TestClientProtocol

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"
FORMATS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "ogg": ["-c:a", "libvorbis"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "aac": ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
    "flac": ["-c:a", "flac"],
}


def make_audio(
    path: Path, *, seconds: float = 3.0, codec: list[str] | None = None, source: str = ""
) -> Path:
    """A tone (or `source`, a lavfi graph) of `seconds` written by ffmpeg to `path`."""
    lavfi = source or f"sine=f=220:r=44100:d={seconds}"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", lavfi, "-t", str(seconds)]
    subprocess.run([*argv, *(codec or []), str(path)], check=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def hour_long_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Silence a little over an hour long, as a 3.7 MB MP3 (within the size limit)."""
    path = tmp_path_factory.mktemp("long") / "long.mp3"
    source = "anullsrc=r=8000:cl=mono"
    make_audio(path, seconds=3700, codec=["-c:a", "libmp3lame", "-b:a", "8k"], source=source)
    return path.read_bytes()


# --- media.music: the check's parsing, the gain, the argv ------------------------------------


@pytest.mark.parametrize("kind", sorted(FORMATS))
async def test_every_accepted_format_is_stored_and_loads_back_as_audio(
    tmp_path: Path, kind: str
) -> None:
    data = make_audio(tmp_path / f"tone.{kind}", codec=FORMATS[kind]).read_bytes()
    store = UploadStore(tmp_path / "uploads")
    info = await store.save_audio(f"tone.{kind}", data, None)
    assert info.kind == "audio"
    assert info.seconds == pytest.approx(3.0, abs=0.1)
    loaded = await store.load_audio(info.upload_id)
    assert loaded.path.read_bytes() == data
    with pytest.raises(UploadWrongKind):
        await store.load(info.upload_id)  # audio is no document


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text, not audio\n" * 40, "no audio file ffmpeg can read"),
        (b"ID3" + bytes(range(256)) * 8, "no audio file ffmpeg can read"),
    ],
    ids=["text", "fake-id3"],
)
async def test_what_is_not_audio_is_refused_and_nothing_is_left(
    tmp_path: Path, data: bytes, message: str
) -> None:
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(music.AudioError, match=message):
        await store.save_audio("song.mp3", data, "audio/mpeg")
    assert list(store.root.glob("*")) == []


async def test_a_png_named_as_audio_is_refused(tmp_path: Path) -> None:
    png = SCREENSHOT.read_bytes()
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(music.AudioError):
        await store.save_audio("song.wav", png, "audio/wav")
    assert list(store.root.glob("*")) == []


async def test_over_an_hour_is_refused(tmp_path: Path, hour_long_mp3: bytes) -> None:
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(music.AudioError, match=r"lasts 3700 s; at most 3600 s"):
        await store.save_audio("long.mp3", hour_long_mp3, None)
    assert list(store.root.glob("*")) == []


async def test_over_20_mb_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(music.AudioError, match="at most 20000000"):
        await store.save_audio("big.wav", b"RIFF" + bytes(music.MAX_MUSIC_BYTES), None)
    assert not store.root.exists()


async def test_a_check_past_its_time_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_audio(tmp_path / "tone.wav").read_bytes()
    monkeypatch.setattr(music, "PROBE_TIMEOUT", 0.0)
    store = UploadStore(tmp_path / "uploads")
    with pytest.raises(music.AudioError, match="took over"):
        await store.save_audio("tone.wav", data, None)
    assert list(store.root.glob("*")) == []


def test_a_video_is_not_music_but_cover_art_is_fine() -> None:
    dump = (
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':\n  Duration: 00:00:05.00, start: 0\n"
        "  Stream #0:0: Video: h264 (High), yuv420p, 1280x720\n"
        "  Stream #0:1: Audio: aac (LC), 44100 Hz, stereo\nStream mapping:\n"
    )
    with pytest.raises(music.AudioError, match="video"):
        music.parse_probe(dump)
    cover = dump.replace("1280x720", "600x600 (attached pic)")
    assert music.parse_probe(cover) == music.AudioProbe(5.0, "mov", "aac")


@pytest.mark.parametrize(
    ("head", "name", "kind", "audio"),
    [
        (b"ID3\x04", "x", None, True),
        (b"RIFF\0\0\0\0WAVEfmt ", "x", None, True),
        (b"OggS", "x", None, True),
        (b"fLaC", "x", None, True),
        (b"\0\0\0\x20ftypM4A ", "x", None, True),
        (b"# notes", "song.MP3", None, True),
        (b"# notes", "notes.md", "audio/ogg", True),
        (b"# notes", "notes.md", "text/markdown", False),
        (b"%PDF-1.7", "a.pdf", None, False),
        (b"\x89PNG\r\n", "a.png", "image/png", False),
        (b"\xff\xfb\x90\x00", "x", None, True),  # an MP3 frame with no ID3 tag
        (b"\xff\xf1\x50\x80", "x", None, True),  # ADTS (AAC)
        # UTF-16 text (Notepad's "Unicode"): its byte-order mark is no frame sync
        ("Tides".encode("utf-16"), "notes", None, False),
        (b"\xff\xfb\x90\x00", "notes.txt", "text/plain", False),  # declared text wins
    ],
)
def test_what_is_checked_as_audio(head: bytes, name: str, kind: str | None, audio: bool) -> None:
    assert music.looks_like_audio(head, name, kind) is audio


def test_the_music_gain_puts_it_volume_under_the_target() -> None:
    assert music.music_gain(-16.0, 1.0) == pytest.approx(0.0)
    assert music.music_gain(-30.0, 0.1) == pytest.approx(14.0 - 20.0)
    assert music.music_gain(-16.0, 0.0) is None  # volume zero: no music
    assert music.music_gain(-70.0, 0.5) is None  # silent music: not amplified


def test_compose_takes_the_music_as_input_2_and_its_graph_as_the_audio(tmp_path: Path) -> None:
    levels = music.MixLevels(12.5, 22050, 4.0, -8.0)
    graph = music.mix_graph(levels, narration="1:a:0", music="2:a:0", out="aout")
    argv = compose_argv(
        concat_list=tmp_path / "l.ffconcat",
        audio=tmp_path / "n.wav",
        total_seconds=12.5,
        output=tmp_path / "v.mp4",
        ffmpeg="ffmpeg",
        metadata=tmp_path / "m.ffmetadata",
        music=music.music_input(tmp_path / "song.mp3"),
        audio_graph=graph,
    )
    inputs = [argv[n + 1] for n, arg in enumerate(argv) if arg == "-i"]
    assert [Path(i).name for i in inputs] == ["l.ffconcat", "n.wav", "song.mp3", "m.ffmetadata"]
    assert argv[argv.index("-stream_loop") + 1] == "-1"
    assert argv[argv.index("-map_chapters") + 1] == "3"
    assert argv[argv.index("-filter_complex") + 1] == graph
    assert "[aout]" in argv and "-af" not in argv
    assert "atrim=duration=12.500000" in graph and "sidechaincompress" in graph
    assert "afade=t=out:st=11.000000:d=1.500" in graph and "normalize=0" in graph


# --- the request's `music`, at the edge -------------------------------------------------------


async def test_music_must_name_a_stored_audio_upload(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    document = await store.save("notes.md", MARKDOWN, "text/markdown")
    audio = await store.save_audio("tone.wav", make_audio(tmp_path / "tone.wav").read_bytes(), None)
    for upload_id, kind in [
        ("nosuchupload0000", "upload_not_found"),
        (document.upload_id, "upload_not_audio"),
    ]:
        req = GenerationRequest.model_validate({"topic": "t", "music": {"upload_id": upload_id}})
        with pytest.raises(SourceRejected) as refused:
            await prepare_sources(req, store, None)
        assert refused.value.field == ("music", "upload_id") and refused.value.kind == kind
    req = GenerationRequest.model_validate(
        {"topic": "t", "sources": [{"type": "upload", "upload_id": audio.upload_id}]}
    )
    with pytest.raises(SourceRejected, match="is audio, not a document") as refused:
        await prepare_sources(req, store, None)
    assert refused.value.field == ("sources", 0, "upload_id")
    req = GenerationRequest.model_validate({"topic": "t", "music": {"upload_id": audio.upload_id}})
    assert (await prepare_sources(req, store, None)).music == req.music
    assert req.music is not None and req.music.volume == 0.25


# --- POST /api/uploads and POST /api/generate -------------------------------------------------


async def test_an_audio_upload_is_201_and_a_generation_names_it_as_music(
    client: TestClientProtocol, test_app: TestAppProtocol, tmp_path: Path
) -> None:
    data = make_audio(tmp_path / "tone.ogg", codec=FORMATS["ogg"]).read_bytes()
    response = await _upload(client, ("file", "tone.ogg", data, "audio/ogg"))
    assert response.status_code == 201, await response.get_data()
    body = await response.get_json()
    assert body["kind"] == "audio" and body["seconds"] == pytest.approx(3.0, abs=0.1)
    spec = {"upload_id": body["upload_id"], "volume": 0.4}
    started = await client.post(
        "/api/generate", json={"topic": "Volcanoes", "music": spec}, headers=ASYNC
    )
    assert started.status_code == 202
    gid = (await started.get_json())["generation_id"]
    record = await _state(test_app).require_registry().record(gid)
    assert record.request["music"] == spec


async def _refusal(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, await response.get_data()
    [item] = (await response.get_json())["detail"]
    assert isinstance(item, dict)
    return item


async def test_an_upload_that_is_not_audio_is_422_naming_file(
    client: TestClientProtocol, test_app: TestAppProtocol
) -> None:
    response = await _upload(client, ("file", "song.mp3", b"not audio at all\n" * 50, "audio/mpeg"))
    item = await _refusal(response)
    assert item["loc"] == ["body", "file"] and "not usable as music" in item["msg"]
    assert list(_state(test_app).uploads.root.glob("*")) == []


async def test_an_upload_over_an_hour_is_422_naming_file(
    client: TestClientProtocol, hour_long_mp3: bytes
) -> None:
    item = await _refusal(await _upload(client, ("file", "long.mp3", hour_long_mp3, "audio/mpeg")))
    assert item["loc"] == ["body", "file"] and "at most 3600 s" in item["msg"]


@pytest.mark.parametrize(
    ("spec", "loc"),
    [
        ({"upload_id": "nosuchupload0000"}, ["body", "music", "upload_id"]),
        ({"upload_id": "nosuchupload0000", "volume": 1.5}, ["body", "music", "volume"]),
        ({"upload_id": "../etc/passwd"}, ["body", "music", "upload_id"]),
    ],
    ids=["unknown", "too-loud", "not-an-id"],
)
async def test_bad_music_is_422_at_its_field(
    client: TestClientProtocol, spec: dict[str, Any], loc: list[str]
) -> None:
    response = await client.post("/api/generate", json={"topic": "t", "music": spec}, headers=ASYNC)
    assert (await _refusal(response))["loc"] == loc


async def test_a_document_named_as_music_is_422(client: TestClientProtocol) -> None:
    uploaded = await _upload(client, ("file", "notes.md", MARKDOWN, "text/markdown"))
    spec = {"upload_id": (await uploaded.get_json())["upload_id"]}
    response = await client.post("/api/generate", json={"topic": "t", "music": spec}, headers=ASYNC)
    item = await _refusal(response)
    assert item["loc"] == ["body", "music", "upload_id"] and "not audio" in item["msg"]


# --- the CLI's --music -----------------------------------------------------------------------

VIDEOGEN = str(Path(sys.executable).with_name("videogen"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--music", "missing.mp3"], "--music missing.mp3: no such file"),
        (["--music-volume", "2"], "--music-volume"),
    ],
)
def test_bad_music_options_exit_2_with_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = subprocess.run(
        [VIDEOGEN, "generate", "Tea", *args, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "data" / "generations").exists()


def test_music_that_is_not_audio_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    text = tmp_path / "song.mp3"
    text.write_text("not a song\n" * 20)
    done = subprocess.run(
        [VIDEOGEN, "generate", "Tea", "--music", str(text), "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert f"--music {text}: not usable as music" in done.stderr
    assert list((tmp_path / "d" / "uploads").glob("*")) == []
