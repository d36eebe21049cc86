"""Code: a listing in a monospace face on a panel, highlighted by Pygments' tokens.

The listing comes from the slide's `content_text`: the fenced block in it (```python ... ```),
else the whole text. Keywords are drawn in the accent colour, strings and names of functions and
classes in the title colour, comments muted, the rest in the body colour: the theme's own
colours, so a theme's contrast holds for code too. Code is always left to right.

Fitting, as the other layouts do: the largest size in the frame's range (down to the fitting
code's smallest readable size, `MIN_TEXT`) at which the longest line and every line fit the
panel; below that, lines too long end with an ellipsis and lines too many are left out after an
ellipsis line, and the layout reports `truncated`. One body item: the listing appears whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.lexers.special import TextLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String, Token
from pygments.util import ClassNotFound

from videogen.media import fonts
from videogen.media.slides.geometry import Box, Shape, TextLine
from videogen.media.slides.layouts.common import MIN_TEXT, Drawn, inset

if TYPE_CHECKING:
    from pygments.lexer import Lexer

    from videogen.media.slides.geometry import Role
    from videogen.media.slides.place import Frame

__all__ = ["code_of", "draw_code", "highlighted"]

_FENCED: Final = re.compile(
    r"^\s*(?:```|~~~)[ \t]*([\w+#.-]*)[^\n]*\n(.*?)\n\s*(?:```|~~~)\s*$", re.S
)
# Sizes as fractions of the short side: code starts smaller than bullets (lines are long).
_HIGH: Final = 0.045
# A line's pitch, in ems; a tab is this many spaces.
_PITCH: Final = 1.3
_TAB: Final = 4
_ELLIPSIS: Final = "…"

_ROLES: Final[tuple[tuple[object, Role], ...]] = (
    (Comment, "muted"),
    (Keyword, "accent"),
    (Operator.Word, "accent"),
    (String, "title"),
    (Number, "accent"),
    (Name.Function, "title"),
    (Name.Class, "title"),
    (Name.Decorator, "accent"),
    (Name.Builtin, "title"),
)


def code_of(content_text: str) -> tuple[str, str]:
    """The listing of a code slide's `content_text` and its language ("" when not named)."""
    match = _FENCED.match(content_text)
    if match:
        return match.group(2).expandtabs(_TAB), match.group(1).lower()
    return content_text.strip("\n").expandtabs(_TAB), ""


def _lexer(code: str, language: str) -> Lexer:
    try:
        return get_lexer_by_name(language) if language else guess_lexer(code)
    except ClassNotFound:
        return TextLexer()


def _role(kind: object) -> Role:
    for parent, role in _ROLES:
        if kind in parent:  # type: ignore[operator]
            return role
    return "body"


def highlighted(code: str, language: str = "") -> list[list[tuple[str, Role]]]:
    """`code` as lines of (text, role) runs, neighbouring runs of one role joined."""
    lines: list[list[tuple[str, Role]]] = [[]]
    for kind, value in _lexer(code, language).get_tokens(code):
        role = _role(kind if kind is not Token.Text else Token.Text)
        for index, piece in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if not piece:
                continue
            runs = lines[-1]
            if runs and runs[-1][1] == role:
                runs[-1] = (runs[-1][0] + piece, role)
            else:
                runs.append((piece, role))
    # Pygments ends the text with a newline of its own.
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _cut(runs: list[tuple[str, Role]], room: int) -> list[tuple[str, Role]]:
    """The runs of a line kept to `room` characters, the last one ending in an ellipsis."""
    kept: list[tuple[str, Role]] = []
    left = room - 1
    for text, role in runs:
        if len(text) >= left:
            kept.append((text[:left] + _ELLIPSIS, role))
            return kept
        kept.append((text, role))
        left -= len(text)
    return kept


def draw_code(code: str, language: str, frame: Frame, area: Box) -> Drawn:
    """The listing on a panel filling `area`, highlighted, at the largest size that fits."""
    lines = highlighted(code, language)
    panel = Box(area.left, area.top, area.right, area.bottom)
    room = inset(panel, frame.px(0.03))
    width, height = room.right - room.left, room.bottom - room.top
    longest = max((sum(len(t) for t, _ in runs) for runs in lines), default=1) or 1
    sizes = frame.sizes(_HIGH, MIN_TEXT)
    size = sizes[-1]
    for candidate in sizes:
        advance = fonts.mono_font(candidate).getlength("M")
        if longest * advance <= width and len(lines) * round(candidate * _PITCH) <= height:
            size = candidate
            break
    font = fonts.mono_font(size)
    advance = font.getlength("M")
    pitch = round(size * _PITCH)
    ascent = font.getmetrics()[0]
    columns = max(1, int(width // advance))
    rows = max(1, height // pitch)
    truncated = longest > columns or len(lines) > rows
    if len(lines) > rows:
        lines = [*lines[: rows - 1], [(_ELLIPSIS, "muted")]]
    # The listing sits at the top of the panel, which ends under it.
    used = len(lines) * pitch
    top = room.top
    text_lines: list[TextLine] = []
    for row, runs in enumerate(lines):
        column = 0
        baseline = top + row * pitch + ascent
        for text, role in _cut(runs, columns) if sum(len(t) for t, _ in runs) > columns else runs:
            left = room.left + round(column * advance)
            right = room.left + round((column + len(text)) * advance)
            column += len(text)
            if not text.strip():
                continue
            box = Box(left, top + row * pitch, min(right, room.right), top + (row + 1) * pitch)
            text_lines.append(
                TextLine(text, box, baseline, size, False, role, False, item=0, mono=True)
            )
    pad = room.top - panel.top
    shown = Box(panel.left, panel.top, panel.right, min(panel.bottom, top + used + pad))
    return Drawn(tuple(text_lines), (Shape("panel", shown, "track", 0),), 1, truncated)
