"""Benchmark of the user's documents: a 20-page PDF to an 8-slide grounded deck.

    python -m bench.documents [--quick] [--json]

The PDF is written by hand like the tests' (`tests/pdfs.py`: a text layer in Helvetica, headings
set larger), 20 pages of about 480 words, each page a section. Timed, warm, median of the
repeats: reading it (`read_document`: pypdf, sections, paragraphs), then writing the deck
(`grounded_deck` for 8 slides, and the faithfulness check of its claims). The target (issue 11)
is ≤ 2 s of writing for the whole; nothing is asserted.
"""

from __future__ import annotations

import time
from typing import Final

from bench._common import bench_args, emit, median, table
from tests.pdfs import text_pdf
from videogen.media.knowledge.documents.read import read_document
from videogen.media.knowledge.own import from_documents
from videogen.media.models import GenerationRequest
from videogen.media.writer.faithfulness import assess, claims
from videogen.media.writer.grounded_deck import grounded_deck

PAGES: Final = 20
SLIDES: Final = 8
GOAL_S: Final = 2.0
_LINE: Final = (
    "Section {page} explains how the {thing} of the {place} changed in {year}, when {count}"
)
_THINGS: Final = ("harbour", "railway", "market", "school", "bridge", "library", "mill")


def _page(page: int) -> list[str | tuple[str, int]]:
    lines: list[str | tuple[str, int]] = [(f"Part {page}: the {_THINGS[page % 7]}", 16)]
    for line in range(40):
        thing = _THINGS[(page + line) % len(_THINGS)]
        lines.append(
            _LINE.format(page=page, thing=thing, place="town", year=1850 + line, count=line + 3)
            + " people took part."
        )
        if line % 6 == 5:
            lines.append("")
    return lines


def main() -> None:
    args = bench_args(__doc__ or "")
    repeats = 2 if args.quick else 7
    data = text_pdf([_page(n) for n in range(1, PAGES + 1)], title="A town's history")
    request = GenerationRequest(topic="A town's history", num_slides=SLIDES)
    reads, writes, checks = [], [], []
    for _ in range(repeats):
        start = time.perf_counter()
        document = read_document(data, filename="town.pdf", content_type=None, origin="town.pdf")
        read = time.perf_counter()
        grounding = from_documents([document])
        drafts = grounded_deck(request, grounding)
        written = time.perf_counter()
        faith = assess(claims(drafts), grounding, request.language)
        reads.append(read - start)
        writes.append(written - read)
        checks.append(time.perf_counter() - written)
    words = len(document.text.split())
    total = median(reads) + median(writes) + median(checks)
    results = {
        "pages": PAGES,
        "words": words,
        "bytes": len(data),
        "slides": len(drafts),
        "sections": len(document.sections),
        "read_s": median(reads),
        "write_s": median(writes),
        "check_s": median(checks),
        "total_s": total,
        "supported": faith.supported,
        "claims": faith.sentences,
        "goal_met": total <= GOAL_S,
    }
    text = (
        table(
            ["measure", "result"],
            [
                ["PDF", f"{PAGES} pages, {words:,} words, {len(data):,} bytes"],
                ["read (pypdf, sections)", f"{median(reads) * 1000:.0f} ms"],
                ["write the deck", f"{median(writes) * 1000:.1f} ms ({len(drafts)} slides)"],
                ["faithfulness check", f"{median(checks) * 1000:.1f} ms"],
                ["supported", f"{faith.supported}/{faith.sentences}"],
            ],
        )
        + f"\n\n20-page PDF to an 8-slide deck: {total:.2f} s"
        + f" (goal {GOAL_S:g} s: {'met' if total <= GOAL_S else 'NOT met'})"
    )
    emit(args, results, text)


if __name__ == "__main__":
    main()
