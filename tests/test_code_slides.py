"""Code slides: a listing drawn monospace and highlighted (`media.slides.layouts.code`), fitted
so nothing leaves its box; a user's notes with a fenced block get one, narrated in the notes'
own prose, never the code read aloud."""

from __future__ import annotations

import pytest

from videogen.media import slides
from videogen.media.models import GenerationRequest, Slide
from videogen.media.slides.layouts.code import code_of, highlighted
from videogen.media.writer import OfflineWriter

LISTING = """# read every line
with open("notes.txt") as f:
    for line in f:
        print(line.strip())  # no newline"""
SIZES = ((1280, 720), (720, 1280), (1080, 1080))


def _slide(code: str, language: str = "python") -> Slide:
    return Slide(
        slide_number=2,
        title="Reading a file",
        content_text=f"```{language}\n{code}\n```",
        duration=5,
        layout="code",
        bullets=("Open the file", "Print each line"),
    )


def test_the_fenced_listing_is_read_with_its_language_and_highlighted() -> None:
    assert code_of(f"```python\n{LISTING}\n```") == (LISTING, "python")
    assert code_of("x = 1\n") == ("x = 1", "")
    lines = highlighted(LISTING, "python")
    assert len(lines) == 4
    assert lines[0] == [("# read every line", "muted")]
    roles = {text.strip(): role for runs in lines for text, role in runs}
    assert roles["with"] == roles["for"] == roles["in"] == "accent"  # keywords
    assert roles['"notes.txt"'] == "title"  # a string
    assert "".join(t for t, _ in lines[3]) == "        print(line.strip())  # no newline"


@pytest.mark.parametrize("size", SIZES)
def test_a_code_slide_is_drawn_monospace_inside_its_box(size: tuple[int, int]) -> None:
    layout = slides.layout_slide(
        _slide(LISTING), topic="Python", total=4, language="english", size=size
    )
    assert layout.body is not None and not layout.truncated
    code = [line for line in layout.lines if line.mono]
    assert {line.role for line in code} >= {"accent", "muted", "body"}
    assert "".join(line.text for line in code).replace(" ", "") == LISTING.replace(" ", "").replace(
        "\n", ""
    )
    for line in code:
        assert line.box.inside(layout.body) and not line.rtl
    assert all(shape.box.inside(layout.body) for shape in layout.shapes)
    image = slides.render_slide(
        _slide(LISTING), topic="Python", total=4, language="english", theme="classic", size=size
    )
    assert image.size == size


def test_a_listing_too_long_for_the_slide_is_cut_and_says_so() -> None:
    long = "\n".join(
        f"value_{n} = compute(argument_{n}, {', '.join(f'other_{k}' for k in range(12))})"
        for n in range(60)
    )
    layout = slides.layout_slide(
        _slide(long), topic="Python", total=4, language="english", size=(1280, 720)
    )
    assert layout.truncated and layout.body is not None
    code = [line for line in layout.lines if line.mono]
    assert all(line.box.inside(layout.body) for line in code)
    assert code[-1].text == "…"  # the rows left out
    assert any(line.text.endswith("…") and len(line.text) > 1 for line in code)  # a cut line


NOTES = """# Reading a file

Open the file with a context manager, so it is closed even on an error. Then print each line.

```python
with open("notes.txt") as f:
    for line in f:
        print(line)
```

# Writing a file

Open the file for writing and write the text to it.
"""


def test_notes_with_a_fenced_block_get_a_code_slide_narrated_in_their_prose() -> None:
    request = GenerationRequest(topic="Python files", num_slides=3, source_text=NOTES)
    writer = OfflineWriter()
    content = writer.write_content(request)
    code = content.slides[1]
    assert [s.layout for s in content.slides] == ["title", "code", "bullets"]
    assert code_of(code.content_text) == (
        'with open("notes.txt") as f:\n    for line in f:\n        print(line)',
        "python",
    )
    said = writer.write_script(request, content).slide_scripts[1].narration_text
    assert said.startswith("Open the file with a context manager")
    for symbol in ("open(", '"notes.txt"', "print(", ":"):
        assert symbol not in said
    assert (
        slides.layout_slide(
            code, topic="Python files", total=3, language="english", size=(1280, 720)
        ).body
        is not None
    )
