"""`videogen make-zim DIR OUT.zim`: a folder of documents as a ZIM file to search with `--zim`.

Every Markdown, text, HTML and PDF file in DIR (and its subfolders, in name order) is read as a
document and written as one article of OUT.zim, with title and full-text indexes in the chosen
language. A file that cannot be read is one line on stderr and exit 2, and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from videogen.media.knowledge.documents.read import read_document
from videogen.media.knowledge.errors import DocumentError, KnowledgeError
from videogen.media.knowledge.sources.zim_build import build_zim
from videogen.media.languages import LANGUAGES

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from videogen.media.knowledge.model import Document

__all__ = ["add_make_zim_arguments", "run_make_zim"]

SUFFIXES: Final = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf"})


def add_make_zim_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, help="the documents (Markdown, text, HTML, PDF)")
    p.add_argument("output", type=Path, help="the ZIM file to write (replaced if it exists)")
    p.add_argument("--language", "-l", default="english", help="the documents' language")
    p.add_argument("--title", help="the collection's title (default: the folder's name)")
    p.add_argument(
        "--license", default="provided by the user", help="what decks credit its text with"
    )


def _documents(folder: Path, license: str) -> list[Document]:
    """Each document of `folder`, in path order. Raises `DocumentError` naming the file."""
    documents: list[Document] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES):
        if not path.is_file():
            continue
        try:
            documents.append(
                read_document(
                    path.read_bytes(),
                    filename=path.name,
                    content_type=None,
                    origin=path.relative_to(folder).as_posix(),
                    license=license,
                )
            )
        except (DocumentError, OSError) as exc:
            raise DocumentError(f"{path.relative_to(folder).as_posix()}: {exc}") from None
    return documents


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """libzim's writer reports its steps on the C library's stdout; they go to stderr, so the
    command's stdout is its result line alone."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def run_make_zim(args: argparse.Namespace) -> int:
    """Write the ZIM file; 0 when written, 2 for a bad folder, file or language."""
    language = args.language.strip().lower()
    if language not in LANGUAGES:
        print(f"videogen: unknown language {args.language!r}", file=sys.stderr)
        return 2
    if not args.folder.is_dir():
        print(f"videogen: {args.folder}: no such folder", file=sys.stderr)
        return 2
    try:
        documents = _documents(args.folder, args.license)
        if not documents:
            print(f"videogen: {args.folder} holds no document", file=sys.stderr)
            return 2
        with _stdout_to_stderr():
            count = build_zim(
                args.output,
                documents,
                language=language,
                title=args.title or args.folder.absolute().name,
                license=args.license,
            )
    except (DocumentError, KnowledgeError) as exc:
        print(f"videogen: {exc}", file=sys.stderr)
        return 2
    print(f"{args.output.absolute()}: {count} articles")
    return 0
