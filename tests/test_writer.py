"""The offline writer: deck shapes, notes, languages, tones, timings and sentence splitting."""

from __future__ import annotations

import itertools
import json
import random
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from videogen.media.languages import LANGUAGES
from videogen.media.models import MAX_SLIDES, TONES, Content, GenerationRequest, Script, UserSlide
from videogen.media.phrases import NARRATION_KEYS, PHRASES, REQUIRED_KEYS, phrases
from videogen.media.writer import (
    ANIMATION_DESCRIPTION,
    MAX_CONTENT_SECONDS,
    MIN_SLIDE_SECONDS,
    OfflineWriter,
    Writer,
    bullets_from_text,
    estimate_seconds,
    narration_from_text,
    plan_deck,
    split_sentences,
)

WRITER = OfflineWriter()

# Characters of each writing system in `LANGUAGES` (latin is checked by wording instead).
SCRIPT_RANGES = {
    "devanagari": (0x0900, 0x097F),
    "bengali": (0x0980, 0x09FF),
    "gurmukhi": (0x0A00, 0x0A7F),
    "gujarati": (0x0A80, 0x0AFF),
    "oriya": (0x0B00, 0x0B7F),
    "tamil": (0x0B80, 0x0BFF),
    "telugu": (0x0C00, 0x0C7F),
    "kannada": (0x0C80, 0x0CFF),
    "malayalam": (0x0D00, 0x0D7F),
    "cyrillic": (0x0400, 0x04FF),
    "han-sc": (0x4E00, 0x9FFF),
    "han-jp": (0x3040, 0x30FF),
    "arabic": (0x0600, 0x06FF),
}

CONTENT_KEYS = {
    "slide_number",
    "title",
    "content_text",
    "needs_image",
    "image_keyword",
    "needs_animation",
    "animation_description",
    "duration",
}


def request(topic: str = "photosynthesis", **fields: object) -> GenerationRequest:
    return GenerationRequest.model_validate({"topic": topic, **fields})


def deck(req: GenerationRequest) -> tuple[Content, Script]:
    content = WRITER.write_content(req)
    return content, WRITER.write_script(req, content)


def narrations(req: GenerationRequest) -> list[str]:
    return [s.narration_text for s in deck(req)[1].slide_scripts]


def all_text(content: Content, script: Script) -> str:
    parts = [f"{s.title}\n{s.content_text}" for s in content.slides]
    return "\n".join(parts + [s.narration_text for s in script.slide_scripts])


def in_script(text: str, script: str) -> bool:
    low, high = SCRIPT_RANGES[script]
    return any(low <= ord(char) <= high for char in text)


# --- the topic alone -----------------------------------------------------------------------------


def test_offline_writer_is_a_writer() -> None:
    writer: Writer = OfflineWriter()
    assert writer.name == "offline"


@pytest.mark.parametrize("count", range(1, MAX_SLIDES + 1))
def test_topic_deck_has_exactly_num_slides(count: int) -> None:
    content, script = deck(request(num_slides=count))
    assert content.total_slides == len(content.slides) == count
    assert [s.slide_number for s in content.slides] == list(range(1, count + 1))
    assert [s.slide_number for s in script.slide_scripts] == list(range(1, count + 1))
    assert content.slides[0].title == "photosynthesis"
    assert content.slides[0].bullets == ()
    if count >= 2:
        assert content.slides[-1].title == "Key takeaways"
    if count >= 5:
        assert content.slides[1].title == "Overview"


def test_short_decks_have_the_promised_shape() -> None:
    titles = {
        n: [s.title for s in WRITER.write_content(request(num_slides=n)).slides]
        for n in (1, 2, 3, 4)
    }
    assert titles[1] == ["photosynthesis"]
    assert titles[2] == ["photosynthesis", "Key takeaways"]
    assert titles[3] == ["photosynthesis", "What is photosynthesis?", "Key takeaways"]
    assert titles[4][1:3] == ["What is photosynthesis?", "Why photosynthesis matters"]


def test_overview_names_the_sections_that_follow() -> None:
    content = WRITER.write_content(request(num_slides=8))
    overview, sections = content.slides[1], content.slides[2:-1]
    assert overview.bullets == tuple(s.title for s in sections)
    assert [s.title for s in sections] == [
        "What is photosynthesis?",
        "Why photosynthesis matters",
        "How photosynthesis works",
        "Key ideas",
        "Real-world examples",
    ]


@pytest.mark.parametrize("count", [3, 5, 9, 13, 20, 30])
def test_content_slides_have_bullets_and_a_marked_body(count: int) -> None:
    content = WRITER.write_content(request(num_slides=count))
    for slide in content.slides[1:]:
        if slide.title != "Overview":
            assert 2 <= len(slide.bullets) <= 4, slide.title
        assert slide.content_text == "\n".join(f"- {b}" for b in slide.bullets)
        assert slide.needs_animation
        assert slide.animation_description == ANIMATION_DESCRIPTION
        assert not slide.needs_image
        assert slide.image_keyword.startswith("photosynthesis")
    title = content.slides[0]
    assert title.content_text == "An introduction to photosynthesis"
    assert not title.needs_animation
    assert title.animation_description == ""


@pytest.mark.parametrize("count", [5, 13, 30])
def test_every_slide_mentions_the_topic_and_none_repeats(count: int) -> None:
    content, script = deck(request("quantum computing", num_slides=count))
    spoken = [s.narration_text for s in script.slide_scripts]
    assert len(set(spoken)) == len(spoken)
    assert len({s.title for s in content.slides}) == len(content.slides)
    for slide, line in zip(content.slides, spoken, strict=True):
        assert "quantum computing" in f"{slide.title} {slide.content_text} {line}".casefold()
    if count <= 13:  # every section once: no bullet said twice
        bullets = [b for s in content.slides for b in s.bullets]
        assert len(set(bullets)) == len(bullets)


def test_narration_speaks_about_the_bullets_not_reads_them() -> None:
    content, script = deck(request(num_slides=12))
    for slide, line in zip(content.slides, script.slide_scripts, strict=True):
        sentences = split_sentences(line.narration_text)
        assert len(sentences) >= 2 or slide.slide_number == 1
        assert line.narration_text != slide.content_text
        assert not set(slide.bullets) & {s.rstrip(".") for s in sentences}


@pytest.mark.parametrize("tone", TONES)
def test_english_narration_fits_a_natural_duration(tone: str) -> None:
    for count in (5, 30):
        for slide, line in plan_deck(request("machine learning", num_slides=count, tone=tone)):
            low, high = (3.5, 6.5) if slide.slide_number == 1 else (6.0, 12.0)
            assert low <= slide.duration <= high, (slide.title, slide.duration)
            rate = request(tone=tone).rate
            expected = estimate_seconds(line, rate_wpm=rate, language="english")
            assert slide.duration == round(expected, 1)


def test_speech_rate_scales_durations() -> None:
    slow = WRITER.write_content(request(num_slides=4, speech_rate=100))
    fast = WRITER.write_content(request(num_slides=4, speech_rate=200))
    for a, b in zip(slow.slides, fast.slides, strict=True):
        assert a.duration == pytest.approx(2 * b.duration, abs=0.2)


def test_topic_is_inserted_as_given() -> None:
    content, script = deck(request("{point} & C++", num_slides=5))
    assert content.slides[0].title == "{point} & C++"
    assert "What is {point} & C++?" in [s.title for s in content.slides]
    assert "{topic}" not in all_text(content, script)


def test_topic_starting_a_sentence_gets_a_capital() -> None:
    summary = WRITER.write_content(request("photosynthesis", num_slides=2)).slides[-1]
    assert summary.bullets[0] == "Photosynthesis rests on a few clear core ideas"
    history = narrations(request("iPhone", num_slides=30, tone="storytelling"))
    assert any(line.startswith("Once, iPhone looked") for line in history)
    brand = WRITER.write_content(request("iPhone", num_slides=2)).slides[-1]
    assert brand.bullets[0].startswith("iPhone rests")


# --- tones ---------------------------------------------------------------------------------------


def test_tones_change_the_narration() -> None:
    spoken = {tone: narrations(request(num_slides=6, tone=tone)) for tone in TONES}
    for a, b in itertools.combinations(TONES, 2):
        assert all(x != y for x, y in zip(spoken[a], spoken[b], strict=True)), (a, b)
    assert sum(line.count("!") for line in spoken["enthusiastic"]) >= 6
    assert sum(line.count("!") for line in spoken["formal"]) == 0
    story = " ".join(spoken["storytelling"])
    assert "Imagine" in story
    assert "story" in story


def test_tones_keep_the_slides_the_same() -> None:
    formal = WRITER.write_content(request(num_slides=6, tone="formal"))
    casual = WRITER.write_content(request(num_slides=6, tone="casual"))
    assert [s.bullets for s in formal.slides] == [s.bullets for s in casual.slides]


def test_enthusiastic_exclaims_in_other_languages() -> None:
    formal = narrations(request(num_slides=5, language="hindi"))
    excited = narrations(request(num_slides=5, language="hindi", tone="enthusiastic"))
    assert formal != excited
    assert all(line.endswith("!") for line in excited)
    assert all(line.endswith("।") for line in formal)
    chinese = narrations(request("光合作用", num_slides=3, language="chinese", tone="enthusiastic"))
    assert all(line.endswith("！") for line in chinese)


# --- languages -----------------------------------------------------------------------------------


def test_every_language_has_every_key_in_every_tone() -> None:
    assert set(PHRASES) == set(LANGUAGES)
    for language in LANGUAGES:
        assert set(PHRASES[language]) == set(TONES)
        for tone in TONES:
            table = phrases(language, tone)
            assert set(table) == REQUIRED_KEYS, (language, tone)
            for key, template in table.items():
                assert template, (language, key)
                assert template.strip() == template, (language, key)
                assert set(re.findall(r"\{(\w*)\}", template)) <= {"topic", "point"}, key
                if key in NARRATION_KEYS:
                    assert "{topic}" in template, (language, key)
            assert "{point}" in table["closer_say"]


def test_phrases_rejects_unknown_language_and_tone() -> None:
    with pytest.raises(ValueError, match="klingon"):
        phrases("klingon", "formal")
    with pytest.raises(ValueError, match="grumpy"):
        phrases("english", "grumpy")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_language_writes_in_its_own_words(language: str) -> None:
    content, script = deck(request("Photosynthesis", num_slides=30, language=language))
    text = all_text(content, script)
    table = phrases(language, "formal")
    assert content.total_slides == 30
    assert script.language == language
    assert content.slides[0].title == "Photosynthesis"
    assert table["overview_title"] == content.slides[1].title
    assert "Photosynthesis" in script.slide_scripts[2].narration_text
    script_name = LANGUAGES[language].script
    if script_name == "latin":
        english = phrases("english", "formal")
        if language != "english":
            assert english["overview_title"] not in text
            assert english["summary_title"] not in text
    else:
        assert in_script(text, script_name)
        # Apart from the topic, the narration is not in Latin letters.
        for line in script.slide_scripts:
            rest = line.narration_text.replace("Photosynthesis", "")
            assert not re.search(r"[A-Za-z]", rest), line.narration_text
    for slide in content.slides[1:]:
        low = 3.0 if language != "english" else 6.0
        assert low <= slide.duration <= 13.0, (slide.title, slide.duration)


def test_hindi_deck_is_in_devanagari() -> None:
    content, script = deck(request("प्रकाश संश्लेषण", num_slides=5, language="hindi"))
    assert content.slides[2].title == "प्रकाश संश्लेषण क्या है?"
    assert in_script(script.slide_scripts[3].narration_text, "devanagari")


# --- the user's slides ---------------------------------------------------------------------------


def test_user_slides_are_used_as_given() -> None:
    slides = (
        UserSlide(title="Welcome", content_text="", narration="Hello and welcome."),
        UserSlide(title="Plan", content_text="- First step\n- Second step\n- Third step"),
        UserSlide(title="Detail", content_text="One short point. Another short point."),
        UserSlide(title="Essay", content_text="A single sentence that stands alone here."),
        UserSlide(title="Bare"),
    )
    content, script = deck(request(slides=slides, num_slides=9))
    assert content.total_slides == 5
    assert [s.title for s in content.slides] == ["Welcome", "Plan", "Detail", "Essay", "Bare"]
    assert [s.content_text for s in content.slides] == [s.content_text for s in slides]
    spoken = [s.narration_text for s in script.slide_scripts]
    assert spoken == [
        "Hello and welcome.",
        "First step. Second step. Third step.",
        "One short point. Another short point.",
        "A single sentence that stands alone here.",
        "Bare",
    ]
    assert content.slides[1].bullets == ("First step", "Second step", "Third step")
    assert content.slides[2].bullets == ("One short point", "Another short point")
    assert content.slides[3].bullets == ()
    assert [s.needs_animation for s in content.slides] == [False, True, True, False, False]
    assert content.slides[4].duration == MIN_SLIDE_SECONDS


def test_user_slides_win_over_notes() -> None:
    slides = (UserSlide(title="Mine", content_text="My text."),)
    content = WRITER.write_content(request(slides=slides, source_text="# Theirs\n\nOther text."))
    assert [s.title for s in content.slides] == ["Mine"]


@pytest.mark.parametrize(
    ("text", "bullets"),
    [
        ("- a\n* b\n• c\n1. d", ("a", "b", "c", "d")),
        ("line one\n\nline two", ("line one", "line two")),
        ("- only one", ("only one",)),
        ("Short one. Short two!", ("Short one", "Short two!")),
        ("Just one sentence.", ()),
        ("Short. " + "This sentence is far too long to be a bullet " * 3 + ".", ()),
        ("", ()),
    ],
)
def test_bullets_from_text(text: str, bullets: tuple[str, ...]) -> None:
    assert bullets_from_text(text) == bullets


# --- the user's notes ----------------------------------------------------------------------------

NOTES = """\
# Photosynthesis

Photosynthesis is how plants turn light into chemical energy. It happens in chloroplasts.

## Light reactions

The light reactions take place in the thylakoid membranes. Chlorophyll absorbs light.

## The *Calvin* cycle

- Carbon dioxide is fixed by **RuBisCO**
- Sugars are built using ATP and NADPH
  and a lot of patience
- The cycle regenerates its starting molecule

Why it matters

Almost all food chains depend on photosynthesis. It produced the oxygen we breathe.

Looking ahead
-------------

Scientists study [artificial photosynthesis](https://example.com) for clean fuels.
"""


def test_notes_headings_become_titles() -> None:
    content, script = deck(request("Photosynthesis", num_slides=6, source_text=NOTES))
    titles = [s.title for s in content.slides]
    assert titles == [
        "Photosynthesis",
        "Introduction",
        "Light reactions",
        "The Calvin cycle",
        "Why it matters",
        "Looking ahead",
    ]
    calvin = content.slides[3]
    assert calvin.bullets == (
        "Carbon dioxide is fixed by RuBisCO",
        "Sugars are built using ATP and NADPH and a lot of patience",
        "The cycle regenerates its starting molecule",
    )
    assert calvin.content_text.startswith("- Carbon dioxide")
    assert script.slide_scripts[2].narration_text == (
        "The light reactions take place in the thylakoid membranes. Chlorophyll absorbs light."
    )
    assert content.slides[5].content_text == (
        "Scientists study artificial photosynthesis for clean fuels."
    )


def test_notes_with_more_sections_than_slides_are_merged() -> None:
    content, script = deck(request("Photosynthesis", num_slides=3, source_text=NOTES))
    assert content.total_slides == 3
    assert content.slides[0].title == "Photosynthesis"
    spoken = " ".join(s.narration_text for s in script.slide_scripts[1:])
    assert "Carbon dioxide is fixed by RuBisCO." in spoken


def test_notes_with_fewer_sections_than_slides_are_split() -> None:
    content = WRITER.write_content(request("Photosynthesis", num_slides=9, source_text=NOTES))
    titles = [s.title for s in content.slides]
    assert len(titles) == 9
    assert "The Calvin cycle (2)" in titles


def test_tiny_notes_make_a_short_deck_with_a_summary() -> None:
    content = WRITER.write_content(
        request("Leaves", num_slides=10, source_text="Leaves are green.")
    )
    assert [s.title for s in content.slides] == ["Leaves", "Introduction", "Key takeaways"]
    assert content.slides[1].content_text == "Leaves are green."


def test_blank_notes_fall_back_to_the_topic() -> None:
    content = WRITER.write_content(request(num_slides=4, source_text="  \n\n# \n"))
    assert content.slides[1].title == "What is photosynthesis?"


def test_notes_in_a_fence_are_skipped() -> None:
    notes = "Intro text here.\n\n```\n# not a heading\ncode\n```\n\n## Real\n\nReal text."
    content = WRITER.write_content(request(num_slides=3, source_text=notes))
    assert [s.title for s in content.slides] == ["photosynthesis", "Introduction", "Real"]


WORDS = {
    "subject": "the river|a farmer|the old bridge|each valley|the council|a young engineer|"
    "the northern forest|every harbour|the market town|a travelling merchant",
    "verb": "shaped|protected|connected|supplied|challenged|transformed|described|measured",
    "object": "the grain trade|seasonal floods|the coastal road|local water rights|"
    "the stone quarries|winter pastures|the salt routes|early schools|the tidal mills",
    "tail": "for many generations|during the long drought|after the great storm|"
    "within a single decade|despite fierce resistance|with surprising speed",
}


def synthetic_notes(sections: int, headings: bool = True) -> str:
    """About 3,000 words of varied text, deterministic."""
    rng = random.Random(7)
    pick = {key: value.split("|") for key, value in WORDS.items()}
    parts: list[str] = []
    for section in range(sections):
        if headings:
            parts.append(f"## Chapter {section + 1} of the valley")
        for _ in range(3):
            sentences = []
            for _ in range(5):
                s, v, o, t, s2, v2 = (
                    rng.choice(pick[k])
                    for k in ("subject", "verb", "object", "tail", "subject", "verb")
                )
                sentences.append(f"{s[0].upper()}{s[1:]} {v} {o} {t}, and {s2} {v2} it.")
            parts.append(" ".join(sentences))
    return "\n\n".join(parts)


@pytest.mark.parametrize(("headings", "count"), [(True, 8), (True, 20), (False, 10)])
def test_long_notes_are_condensed_from_their_own_sentences(headings: bool, count: int) -> None:
    notes = synthetic_notes(13, headings)
    assert 2800 <= len(notes.split()) <= 3600
    source = {s for paragraph in notes.split("\n\n") for s in split_sentences(paragraph)}
    req = request("The valley", num_slides=count, source_text=notes)
    content, script = deck(req)
    assert content.total_slides == count
    for slide, line in zip(content.slides[1:], script.slide_scripts[1:], strict=True):
        seconds = estimate_seconds(line.narration_text, rate_wpm=req.rate, language="english")
        assert 4.0 <= seconds <= MAX_CONTENT_SECONDS, slide.title
        assert set(split_sentences(line.narration_text)) <= source
    if headings:
        assert content.slides[1].title.startswith("Chapter 1")
    else:
        assert content.slides[1].title == "Introduction"
        assert len({s.title for s in content.slides}) == count


# --- the script ----------------------------------------------------------------------------------


def test_script_times_are_cumulative() -> None:
    req = request(num_slides=7, language="german", tone="casual")
    content, script = deck(req)
    assert script.topic == req.topic
    assert script.language == "german"
    clock = 0.0
    for slide, line in zip(content.slides, script.slide_scripts, strict=True):
        assert line.slide_number == slide.slide_number
        assert line.start_time == pytest.approx(clock)
        assert line.end_time - line.start_time == pytest.approx(slide.duration)
        clock = line.end_time
    assert script.total_duration == pytest.approx(clock)
    total = sum(line.end_time - line.start_time for line in script.slide_scripts)
    assert script.total_duration == pytest.approx(total)
    assert script.total_duration == pytest.approx(sum(s.duration for s in content.slides))


def test_script_of_edited_content_narrates_its_body() -> None:
    req = request(num_slides=3)
    content = WRITER.write_content(req)
    edited = content.slides[1].model_copy(update={"content_text": "- New point\n- Other point"})
    content = content.model_copy(update={"slides": (content.slides[0], edited, content.slides[2])})
    script = WRITER.write_script(req, content)
    assert script.slide_scripts[1].narration_text == "New point. Other point."
    assert script.slide_scripts[0].narration_text.startswith("Welcome.")


def test_the_writer_is_deterministic_across_threads() -> None:
    req = request("volcanoes", num_slides=12, tone="storytelling", language="spanish")
    first = deck(req)
    assert deck(req) == first
    assert OfflineWriter().write_content(req) == first[0]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: deck(req), range(16)))
    assert all(result == first for result in results)


def test_shapes_round_trip_through_the_contract() -> None:
    content, script = deck(request(num_slides=5))
    data = json.loads(json.dumps(content.model_dump()))
    assert {"topic", "total_slides", "slides"} <= set(data)
    assert data["total_slides"] == len(data["slides"]) == 5
    for slide in data["slides"]:
        assert set(slide) >= CONTENT_KEYS
        assert isinstance(slide["duration"], float)
    assert Content.model_validate(data) == content
    spoken = json.loads(json.dumps(script.model_dump()))
    assert set(spoken) >= {"topic", "total_duration", "language", "slide_scripts"}
    for line in spoken["slide_scripts"]:
        assert set(line) >= {"slide_number", "start_time", "end_time", "narration_text"}
    assert Script.model_validate(spoken) == script


# --- measuring and splitting ---------------------------------------------------------------------


def test_estimate_seconds_counts_words_and_cjk_characters() -> None:
    assert estimate_seconds("one two three four five six", rate_wpm=120, language="english") == 3.0
    assert estimate_seconds("- — , one", rate_wpm=60, language="english") == 1.0
    # 4 characters a second at 175 words a minute, twice as fast at 350.
    assert estimate_seconds("光合作用光合作用", rate_wpm=175, language="chinese") == pytest.approx(
        2.0
    )
    assert estimate_seconds("光合作用光合作用", rate_wpm=350, language="chinese") == pytest.approx(
        1.0
    )
    mixed = estimate_seconds("光合作用 AI 模型", rate_wpm=175, language="japanese")
    assert mixed == pytest.approx(6 / 4 + 60 / 175)
    with pytest.raises(ValueError, match="rate"):
        estimate_seconds("x", rate_wpm=0, language="english")
    with pytest.raises(ValueError, match="language"):
        estimate_seconds("x", rate_wpm=100, language="elvish")


def test_split_english() -> None:
    text = 'Hello there. Is it 3.5 m? Yes!  It is, e.g. roughly so... Really "sure." Done'
    assert split_sentences(text) == [
        "Hello there.",
        "Is it 3.5 m?",
        "Yes!",
        "It is, e.g. roughly so...",
        'Really "sure."',
        "Done",
    ]


def test_split_hindi_chinese_arabic() -> None:
    assert split_sentences("यह पहला वाक्य है। यह दूसरा है।") == ["यह पहला वाक्य है।", "यह दूसरा है।"]
    assert split_sentences("光合作用很重要。它产生氧气！真的吗？") == [
        "光合作用很重要。",
        "它产生氧气！",
        "真的吗？",
    ]
    assert split_sentences("ما هذا؟ هذا كتاب. شكرا") == ["ما هذا؟", "هذا كتاب.", "شكرا"]
    assert split_sentences("  ") == []


def test_narration_of_lines_gets_the_right_full_stop() -> None:
    assert narration_from_text("- पहला बिंदु\n- second point", "hindi") == "पहला बिंदु। second point."
    assert narration_from_text("第一点\n第二点？", "chinese") == "第一点。 第二点？"
    assert narration_from_text("• One\n\n2) Two!", "english") == "One. Two!"
