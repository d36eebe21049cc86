"""The pictograms' one error: a picture that cannot be drawn (its font, icon set or glyph is
missing). Drawing code catches it and leaves the picture out: a slide never fails for one."""

from __future__ import annotations

__all__ = ["PictogramMissingError"]


class PictogramMissingError(LookupError):
    """The emoji font or icon set is not installed, or has no picture by that name."""
