"""The source pictures of a review file: written in a folder beside it, read back by `render`.

A slide that shows a source's picture (an `image` visual naming it by content, `data.picture`)
gets the picture's bytes written beside the review file, in `<stem>.pictures/` (`water.md` →
`water.pictures/slide-03.png`), and its slide lists them by the name its visual uses:

    "pictures": {"<content name>": "water.pictures/slide-03.png"}

(in the Markdown form's json block; in the JSON form, on the content's slide). Paths are
relative to the review file, so the file and its folder can be moved together. `render` reads
each one back, checks it (`media.pictures.checked`: PNG, JPEG or WebP within the limits) and
names the visual's picture by the bytes it found, so a picture file replaced by another is
drawn as the new one. The files then reach the renderer the way an uploaded picture does (the
CLI stores them as uploads: `cli.review.run_render`).

`resolved` raises `PictureFileError` with the sentence to print after the slide's location.
Reading and writing files is all the I/O here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from videogen.media.pictures import FORMATS, PictureError, checked, identify, picture_name

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from videogen.media.models import Content

__all__ = ["PICTURES_KEY", "PictureFileError", "picture_folder", "resolved", "write_pictures"]

# The slide key that lists its picture files (content name → path relative to the file).
PICTURES_KEY: Final = "pictures"


class PictureFileError(ValueError):
    """A slide's picture file is missing, unreadable or not a picture; `str()` says which."""


def picture_folder(target: Path) -> Path:
    """Where the pictures of the review file `target` go: `<stem>.pictures` beside it."""
    return target.with_name(f"{target.stem}.pictures")


def _image_names(visuals: Any) -> list[str]:
    """The content names of a slide's image visuals (as dumped: dicts), in order."""
    names: list[str] = []
    for visual in visuals if isinstance(visuals, list | tuple) else ():
        if isinstance(visual, dict) and visual.get("kind") == "image":
            data = visual.get("data")
            name = data.get("picture") if isinstance(data, dict) else None
            if isinstance(name, str) and name and name not in names:
                names.append(name)
    return names


def write_pictures(
    target: Path, content: Content, pictures: Mapping[str, bytes]
) -> dict[int, dict[str, str]]:
    """Write the pictures `content`'s slides show (of `pictures`, by content name) into
    `picture_folder(target)`; slide number → {content name: path relative to `target`}.
    Nothing is written (no folder) for a deck without pictures. Raises OSError."""
    folder = picture_folder(target)
    listed: dict[int, dict[str, str]] = {}
    for slide in content.slides:
        dumped = [v.model_dump(mode="json") for v in slide.visuals]
        for index, name in enumerate(_image_names(dumped), start=1):
            data = pictures.get(name)
            if data is None:
                continue  # not drawn in the first place: the slide shows its caption alone
            extension = FORMATS[identify(data).format]
            suffix = "" if index == 1 else f"-{index}"
            file = folder / f"slide-{slide.slide_number:02d}{suffix}.{extension}"
            folder.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            listed.setdefault(slide.slide_number, {})[name] = f"{folder.name}/{file.name}"
    return listed


def _read(path: Path, shown: str) -> tuple[bytes, str, tuple[int, int]]:
    """The bytes of one picture file, its content name and its size; raises naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PictureFileError(f"picture {shown}: cannot read it: {exc.strerror}") from None
    try:
        info = checked(data)
    except PictureError as exc:
        raise PictureFileError(f"picture {shown}: {exc}") from None
    return data, picture_name(data, info), (info.width, info.height)


def resolved(fields: dict[str, Any], base: Path) -> tuple[dict[str, Any], list[Path]]:
    """One slide's fields (as read from the file) with its `pictures` read from `base` and
    taken out: each image visual named by the bytes its file holds now; and the files read.

    Raises `PictureFileError` (a missing or invalid file, or a listing that names no visual).
    """
    listing = fields.get(PICTURES_KEY)
    rest = {k: v for k, v in fields.items() if k != PICTURES_KEY}
    if listing is None:
        return rest, []
    if not isinstance(listing, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in listing.items()
    ):
        raise PictureFileError(
            f"{PICTURES_KEY}: an object of picture name → file path (relative to this file)"
        )
    visuals = rest.get("visuals")
    known = _image_names(visuals)
    renamed: dict[str, tuple[str, tuple[int, int]]] = {}
    files: list[Path] = []
    for name, shown in listing.items():
        if name not in known:
            raise PictureFileError(
                f"{PICTURES_KEY}: {name!r} is the picture of none of the slide's image visuals"
            )
        path = base / shown
        _, new_name, size = _read(path, shown)
        renamed[name] = (new_name, size)
        files.append(path)
    rest["visuals"] = [_renamed(v, renamed) for v in visuals or ()]
    return rest, files


def _renamed(visual: Any, renamed: Mapping[str, tuple[str, tuple[int, int]]]) -> Any:
    """An image visual naming the picture its file holds now (and that picture's size)."""
    if not isinstance(visual, dict) or visual.get("kind") != "image":
        return visual
    data = visual.get("data")
    if not isinstance(data, dict) or data.get("picture") not in renamed:
        return visual
    name, (width, height) = renamed[data["picture"]]
    return {**visual, "data": {**data, "picture": name, "width": width, "height": height}}
