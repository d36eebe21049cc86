"""Retrieval on real data: the shipped summaries and ZIM files written with libzim's Creator.

The main article must really be about the topic (a wrong article is worse than none) and the
related ones really related; ids, notes and timings as the writers and the progress stream use
them; a source that breaks mid-search is skipped, not fatal.
"""

from __future__ import annotations

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Final

import pytest

from tests.zims import page_of, summaries, write_zim
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.knowledge.sources.encyclopedia import Encyclopedia, _data_folder
from videogen.media.knowledge.sources.zim import ZimSource

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.knowledge.model import Grounding

NAME: Final = "Wikipedia (offline summaries)"
# What the water cycle's related articles may be: its processes and reservoirs (all in the data).
WATER_RELATED: Final = {
    "Evaporation",
    "Condensation",
    "Precipitation",
    "Transpiration",
    "Cloud",
    "Rain",
    "Ocean",
    "River",
    "Water vapor",
    "Cryosphere",
    "Hydrology",
    "Snow",
    "Ice",
    "Lake",
    "Groundwater",
}


@pytest.fixture(scope="module")
def shipped() -> Encyclopedia:
    found = Encyclopedia.shipped()
    assert found is not None
    return found


def titles(grounding: Grounding) -> list[str]:
    return [found.document.title for found in grounding.found]


@pytest.mark.parametrize(
    ("topic", "main"),
    [
        ("The water cycle", "Water cycle"),
        ("Volcanoes", "Volcano"),
        ("Photosynthesis", "Photosynthesis"),
        ("How volcanoes work", "Volcano"),
        ("Photosynthesis in plants", "Photosynthesis"),
        ("Volcanic eruptions", "Volcano"),
        ("Black holes", "Black hole"),
        ("the French Revolution", "French Revolution"),
        ("Einstein", "Albert Einstein"),
    ],
)
def test_the_main_article_is_about_the_topic(shipped: Encyclopedia, topic: str, main: str) -> None:
    grounding = retrieve(topic, "english", [shipped], related=3)
    assert grounding.grounded
    first = grounding.found[0]
    assert (first.document.title, first.main, first.relevance, first.ref.id) == (
        main,
        True,
        1.0,
        "s1",
    )
    assert [f.main for f in grounding.found[1:]] == [False] * (len(grounding.found) - 1)


def test_the_water_cycle_brings_its_processes(shipped: Encyclopedia) -> None:
    grounding = retrieve("The water cycle", "english", [shipped], related=4)
    assert titles(grounding)[0] == "Water cycle"
    related = titles(grounding)[1:]
    assert len(related) == 4
    assert set(related) <= WATER_RELATED
    assert (
        len({"Evaporation", "Condensation", "Precipitation", "Transpiration"} & set(related)) >= 2
    )
    assert [f.ref.id for f in grounding.found] == ["s1", "s2", "s3", "s4", "s5"]
    relevances = [f.relevance for f in grounding.found]
    assert relevances == sorted(relevances, reverse=True)
    assert all(0 < r < 1 for r in relevances[1:])
    assert grounding.searched == (NAME,)
    assert grounding.note == f"Found 'Water cycle' and 4 related articles in {NAME}."
    assert grounding.passages_ms > 0
    ref = grounding.found[0].ref
    assert (ref.title, ref.origin, ref.license) == (
        "Water cycle",
        "https://en.wikipedia.org/wiki/Water_cycle",
        "CC BY-SA 4.0",
    )


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("Volcano", {"Lava", "Magma", "Hotspot (geology)", "Mid-ocean ridge", "Plate tectonics"}),
        ("Photosynthesis", {"Cyanobacteria", "Algae", "Chloroplast", "Chlorophyll", "Plant"}),
    ],
)
def test_related_articles_are_related(
    shipped: Encyclopedia, topic: str, expected: set[str]
) -> None:
    related = titles(retrieve(topic, "english", [shipped], related=4))[1:]
    assert len(set(related) & expected) >= 2, related


@pytest.mark.parametrize(
    "topic",
    ["Qzxv blorp", "My cat Fluffy's birthday", "Cat birthday party ideas", "   "],
)
def test_an_unknown_topic_finds_nothing(shipped: Encyclopedia, topic: str) -> None:
    grounding = retrieve(topic, "english", [shipped], related=4)
    assert not grounding.grounded
    assert grounding.searched == (NAME,)
    assert grounding.note == f"No article about '{topic.strip()}' in {NAME}."


def test_a_language_the_source_lacks_is_said(shipped: Encyclopedia) -> None:
    grounding = retrieve("Water cycle", "hindi", [shipped], related=4)
    assert not grounding.grounded
    assert grounding.searched == ()
    assert grounding.note == f"{NAME} has no Hindi articles."


def test_french_and_spanish(shipped: Encyclopedia) -> None:
    french = retrieve("Le cycle de l'eau", "french", [shipped], related=3)
    assert titles(french)[0] == "Cycle de l'eau"
    assert french.found[0].ref.origin == "https://fr.wikipedia.org/wiki/Cycle_de_l'eau"
    assert french.found[0].document.language == "french"
    assert len(french.found) > 1
    spanish = retrieve("El agua potable", "spanish", [shipped], related=3)
    assert titles(spanish)[0] == "Agua potable"
    assert spanish.found[0].ref.origin.startswith("https://es.wikipedia.org/wiki/Agua_potable")


def test_related_zero_is_the_main_article_only(shipped: Encyclopedia) -> None:
    grounding = retrieve("Volcano", "english", [shipped], related=0)
    assert titles(grounding) == ["Volcano"]
    assert grounding.note == f"Found 'Volcano' in {NAME}."


def test_no_sources_is_said() -> None:
    grounding = retrieve("Volcano", "english", [], related=3)
    assert not grounding.grounded
    assert grounding.note == "No knowledge source is configured."


def test_retrieval_is_fast_when_warm(shipped: Encyclopedia) -> None:
    retrieve("Volcano", "english", [shipped], related=4)  # builds the English index
    timings = []
    for topic in ("The water cycle", "Volcanoes", "Photosynthesis", "Black holes", "DNA"):
        started = time.perf_counter()
        retrieve(topic, "english", [shipped], related=4)
        timings.append((time.perf_counter() - started) * 1000)
    assert statistics.median(timings) <= 100, timings


# -- with ZIM files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def water_zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    english = summaries("english")
    chosen = ("Water cycle", "Evaporation", "Condensation", "Precipitation", "Cloud", "Volcano")
    return write_zim(
        tmp_path_factory.mktemp("zim") / "water.zim",
        [page_of(t, english[t]["extract"]) for t in chosen],
        metadata={"Language": "eng", "License": "CC BY-SA 4.0"},
        redirects={"Hydrological cycle": "Water cycle"},
    )


def test_a_zim_source_is_retrieved_from(water_zim: Path) -> None:
    zim = ZimSource.open(water_zim)
    grounding = retrieve("The water cycle", "english", [zim], related=3)
    assert titles(grounding)[0] == "Water cycle"
    assert set(titles(grounding)[1:]) <= {"Evaporation", "Condensation", "Precipitation", "Cloud"}
    assert len(grounding.found) >= 3
    assert grounding.found[0].ref.origin == "water.zim/Water_cycle"
    assert "Volcano" not in titles(grounding)
    assert not retrieve("Qzxv blorp", "english", [zim], related=3).grounded
    assert retrieve("Water cycle", "french", [zim], related=3).note == (
        "water.zim has no French articles."
    )


def test_several_sources_rank_mains_first_with_unique_ids(
    shipped: Encyclopedia, water_zim: Path
) -> None:
    zim = ZimSource.open(water_zim)
    grounding = retrieve("Water cycle", "english", [shipped, zim], related=4)
    assert [f.main for f in grounding.found][:2] == [True, True]
    assert [f.ref.origin for f in grounding.found][:2] == [
        "https://en.wikipedia.org/wiki/Water_cycle",
        "water.zim/Water_cycle",
    ]
    assert len(grounding.found) == 6  # two mains and the 4 best related of both
    assert [f.ref.id for f in grounding.found] == [f"s{n}" for n in range(1, 7)]
    assert grounding.searched == (NAME, "water.zim")
    assert grounding.note.startswith("Found 'Water cycle' and ")
    assert "; Found 'Water cycle'" in grounding.note


def test_a_source_broken_mid_search_is_skipped_and_said(
    shipped: Encyclopedia, water_zim: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "broken.zim"
    copy.write_bytes(water_zim.read_bytes())
    zim = ZimSource.open(copy)
    copy.write_bytes(os.urandom(copy.stat().st_size))  # the file goes bad after startup
    grounding = retrieve("Volcano", "english", [zim, shipped], related=2)
    assert titles(grounding)[0] == "Volcano"
    assert grounding.found[0].ref.origin.startswith("https://en.wikipedia.org/")
    assert grounding.searched == ("broken.zim", NAME)
    assert grounding.note.startswith("broken.zim was skipped (broken.zim: ")
    assert f"; Found 'Volcano' and 2 related articles in {NAME}." in grounding.note


def test_concurrent_retrievals_agree_with_serial_ones(water_zim: Path) -> None:
    folder = _data_folder()
    assert folder is not None
    sources = (Encyclopedia(folder), ZimSource.open(water_zim))  # fresh: built under the race
    topics = ["The water cycle", "Volcano", "Evaporation", "Cloud"] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(
            pool.map(lambda t: titles(retrieve(t, "english", sources, related=3)), topics)
        )
    alone = [titles(retrieve(t, "english", sources, related=3)) for t in topics]
    assert together == alone
