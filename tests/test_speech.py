"""media.speech: real espeak-ng through pyttsx3, in this process and in spawned workers."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import weakref
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

import pytest

from videogen.media import speech
from videogen.media.audio import SPEECH_FORMAT, wav_duration, wav_format
from videogen.media.languages import LANGUAGES
from videogen.media.speech import (
    SILENCE_SECONDS,
    SpeechError,
    available_voices,
    check_speech,
    speakable_text,
    synthesize,
    voice_for,
)

if TYPE_CHECKING:
    from pathlib import Path

# One short sentence per language, in its own script: "Plants make their own food from sunlight".
SENTENCES = {
    "english": "Plants make their own food from sunlight, water and air.",
    "hindi": "पौधे सूरज की रोशनी से अपना भोजन खुद बनाते हैं।",
    "kannada": "ಸಸ್ಯಗಳು ಸೂರ್ಯನ ಬೆಳಕಿನಿಂದ ತಮ್ಮ ಆಹಾರವನ್ನು ತಯಾರಿಸುತ್ತವೆ.",
    "telugu": "మొక్కలు సూర్యరశ్మి నుండి తమ ఆహారాన్ని తయారు చేసుకుంటాయి.",
    "tamil": "தாவரங்கள் சூரிய ஒளியிலிருந்து தங்கள் உணவைத் தயாரிக்கின்றன.",
    "bengali": "গাছ সূর্যের আলো থেকে নিজের খাবার নিজেই তৈরি করে।",
    "gujarati": "છોડ સૂર્યપ્રકાશથી પોતાનો ખોરાક જાતે બનાવે છે.",
    "malayalam": "സസ്യങ്ങൾ സൂര്യപ്രകാശത്തിൽ നിന്ന് സ്വന്തം ഭക്ഷണം ഉണ്ടാക്കുന്നു.",
    "marathi": "वनस्पती सूर्यप्रकाशापासून स्वतःचे अन्न तयार करतात.",
    "odia": "ଗଛ ସୂର୍ଯ୍ୟ ଆଲୋକରୁ ନିଜର ଖାଦ୍ୟ ନିଜେ ତିଆରି କରେ।",
    "punjabi": "ਪੌਦੇ ਸੂਰਜ ਦੀ ਰੌਸ਼ਨੀ ਤੋਂ ਆਪਣਾ ਭੋਜਨ ਆਪ ਬਣਾਉਂਦੇ ਹਨ।",
    "spanish": "Las plantas fabrican su propio alimento con la luz del sol.",
    "french": "Les plantes fabriquent leur nourriture grâce à la lumière du soleil.",
    "german": "Pflanzen stellen ihre Nahrung mit Hilfe des Sonnenlichts selbst her.",
    "portuguese": "As plantas produzem o próprio alimento com a luz do sol.",
    "russian": "Растения сами создают себе пищу с помощью солнечного света.",
    "chinese": "植物利用阳光、水和空气制造自己的食物。",
    "japanese": "植物は太陽の光と水と空気から自分の食べ物を作ります。",
    "arabic": "تصنع النباتات غذاءها بنفسها بمساعدة ضوء الشمس والماء والهواء.",
}

ENGLISH = (
    "Photosynthesis is the process by which green plants use sunlight to turn water and carbon "
    "dioxide into sugar and oxygen. It happens mostly in the leaves."
)


def _assert_valid_wav(path: Path, duration: float) -> None:
    assert wav_format(str(path)) == SPEECH_FORMAT
    assert wav_duration(str(path)) == duration
    assert not os.path.exists(f"{path}.tmp")


def test_every_language_has_a_sentence() -> None:
    assert set(SENTENCES) == set(LANGUAGES)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_speaks_every_language(tmp_path: Path, language: str) -> None:
    out = tmp_path / f"{language}.wav"
    duration = synthesize(
        SENTENCES[language], voice=LANGUAGES[language].voice, rate=165, out_path=str(out)
    )
    assert duration > 0.3
    _assert_valid_wav(out, duration)


def test_every_language_voice_is_available() -> None:
    voices = available_voices()
    assert {lang.voice for lang in LANGUAGES.values()} <= set(voices)
    assert voices["inc/hi"] == "Hindi"


def test_rate_changes_duration(tmp_path: Path) -> None:
    slow = synthesize(ENGLISH, voice="gmw/en-us", rate=100, out_path=str(tmp_path / "slow.wav"))
    fast = synthesize(ENGLISH, voice="gmw/en-us", rate=300, out_path=str(tmp_path / "fast.wav"))
    assert slow / fast > 2


def test_alternating_rates_never_mix_up(tmp_path: Path) -> None:
    # pyttsx3 bug 3: rate changes used to race with synthesis and give wrong-rate or empty WAVs.
    durations: dict[int, list[float]] = {100: [], 300: []}
    for i in range(30):
        rate = (100, 300)[i % 2]
        out = tmp_path / f"{i}.wav"
        duration = synthesize(ENGLISH, voice="gmw/en-us", rate=rate, out_path=str(out))
        _assert_valid_wav(out, duration)
        durations[rate].append(duration)
    # espeak's output varies by a few milliseconds between utterances, a wrong rate by 3x.
    for values in durations.values():
        middle = statistics.median(values)
        assert all(abs(value - middle) < 0.03 * middle for value in values)
    assert min(durations[100]) > 2 * max(durations[300])


def test_parallel_processes(tmp_path: Path) -> None:
    # spawn, not fork: a forked child would inherit an espeak whose thread did not come along.
    jobs = [
        (SENTENCES[language], LANGUAGES[language].voice, rate)
        for language, rate in [
            ("english", 165),
            ("hindi", 180),
            ("chinese", 150),
            ("arabic", 195),
            ("english", 300),
            ("tamil", 165),
        ]
    ]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [
            pool.submit(synthesize, text, voice=voice, rate=rate, out_path=str(tmp_path / f"{i}"))
            for i, (text, voice, rate) in enumerate(jobs)
        ]
        durations = [future.result(timeout=60) for future in futures]
    for i, ((text, voice, rate), duration) in enumerate(zip(jobs, durations, strict=True)):
        _assert_valid_wav(tmp_path / f"{i}", duration)
        here = synthesize(text, voice=voice, rate=rate, out_path=str(tmp_path / f"{i}-here"))
        assert duration == pytest.approx(here, rel=0.03)


def test_a_forked_child_gets_an_error_not_a_hang(tmp_path: Path) -> None:
    synthesize("Started here.", voice="gmw/en-us", rate=165, out_path=str(tmp_path / "a.wav"))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(
            synthesize, "Hello.", voice="gmw/en-us", rate=165, out_path=str(tmp_path / "b.wav")
        )
        with pytest.raises(SpeechError, match="start speech workers with spawn"):
            future.result(timeout=30)


@pytest.mark.parametrize("text", ["", "   \n\t ", "- \n* ✅ 🎉", "..."])
def test_nothing_to_say_gives_a_second_of_silence(tmp_path: Path, text: str) -> None:
    out = tmp_path / "silence.wav"
    assert synthesize(text, voice="inc/hi", rate=165, out_path=str(out)) == SILENCE_SECONDS
    _assert_valid_wav(out, SILENCE_SECONDS)


def test_check_speech() -> None:
    assert check_speech() > 0.5


def test_voice_for_defaults_to_the_language_voice() -> None:
    for name, language in LANGUAGES.items():
        assert voice_for(name, None) == language.voice
    assert voice_for("hindi", "  ") == "inc/hi"


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("gmw/en-gb-scotland", "gmw/en-gb-scotland"),  # an id
        ("GMW/EN-US", "gmw/en-us"),  # ids are matched without case
        ("en-us", "gmw/en-us"),  # the id's last part
        ("en-gb", "gmw/en"),  # a language code ("gmw/en" speaks en-gb)
        ("Hindi", "inc/hi"),  # a name
    ],
)
def test_voice_for_honours_an_explicit_voice(requested: str, expected: str) -> None:
    assert voice_for("english", requested) == expected


def test_voice_for_rejects_unknown_voice_and_language() -> None:
    # Not "klingon": espeak-ng has that one ("art/piqd").
    with pytest.raises(ValueError, match=r"unknown voice 'no-such-voice'; see GET /api/options"):
        voice_for("english", "no-such-voice")
    with pytest.raises(ValueError, match="unknown language"):
        voice_for("vulcan", None)


def test_synthesize_rejects_bad_voice_rate_and_directory(tmp_path: Path) -> None:
    out = str(tmp_path / "x.wav")
    with pytest.raises(ValueError, match="unknown voice"):
        synthesize("hello", voice="xx/nope", rate=165, out_path=out)
    with pytest.raises(ValueError, match="80-450"):
        synthesize("hello", voice="gmw/en-us", rate=50, out_path=out)
    with pytest.raises(FileNotFoundError):
        synthesize("hello", voice="gmw/en-us", rate=165, out_path=str(tmp_path / "no" / "x.wav"))


def test_failure_after_retries_names_text_voice_and_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x.wav"
    synthesize("Warm up.", voice="gmw/en-us", rate=165, out_path=str(out))
    out.unlink()
    assert speech._state is not None
    first_engine = weakref.ref(speech._state.engine)
    # No recording can be this short, so every attempt fails, the last with a fresh engine.
    monkeypatch.setattr(speech, "_HIGH_FACTOR", 0.0)
    monkeypatch.setattr(speech, "_HIGH_SLACK_SECONDS", 0.01)
    with pytest.raises(
        SpeechError, match=r"slide text 'पौधे .* with voice inc/hi at 165 wpm: "
    ) as info:
        synthesize(SENTENCES["hindi"], voice="inc/hi", rate=165, out_path=str(out))
    assert "attempt 3" in str(info.value)
    assert not out.exists()
    assert not (tmp_path / "x.wav.tmp").exists()
    monkeypatch.undo()
    # The last attempt built a fresh engine, the old one is gone, and the new one speaks.
    assert first_engine() is None
    assert synthesize("Still speaking.", voice="gmw/en-us", rate=165, out_path=str(out)) > 0.3


def test_a_bad_attempt_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = speech._checked_duration
    calls: list[str] = []

    def fail_once(path: str, expected: tuple[float, float]) -> float:
        calls.append(path)
        if len(calls) == 1:
            raise speech._Unusable("simulated wrong rate")
        return real(path, expected)

    monkeypatch.setattr(speech, "_checked_duration", fail_once)
    out = tmp_path / "x.wav"
    duration = synthesize(ENGLISH, voice="gmw/en-us", rate=165, out_path=str(out))
    assert len(calls) == 2
    _assert_valid_wav(out, duration)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("- First point\n- Second point!\n* Third", "First point. Second point! Third."),
        ("## Heading\nBody text", "Heading. Body text"),
        ("Use **bold** and `code` and [a link](https://x.org)", "Use bold and code and a link"),
        ("Fast 🚀 and ✅ done → next", "Fast and done next"),
        ("Cats • dogs • birds", "Cats, dogs, birds"),
        ("• पहला बिंदु\n• दूसरा बिंदु।", "पहला बिंदु. दूसरा बिंदु।"),
        ("25 °C, snake_case", "25 °C, snake case"),
        ("  spaced \t out\n\n text ", "spaced out text"),
    ],
)
def test_speakable_text(text: str, spoken: str) -> None:
    assert speakable_text(text) == spoken


def test_japanese_kanji_are_read_as_kana(tmp_path: Path) -> None:
    from videogen.media.speech import synthesize
    from videogen.media.speech_text import kana_reading

    text = "水循環は地球上の水の動きです。"
    reading = kana_reading(text)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in reading)
    assert reading.startswith("すいじゅんかん")
    seconds = synthesize(text, voice="jpx/ja", rate=165, out_path=str(tmp_path / "ja.wav"))
    # Read as kana this is ~2 s; read as "Chinese letter" per kanji it was over 5 s.
    assert 1.0 < seconds < 4.0, seconds
