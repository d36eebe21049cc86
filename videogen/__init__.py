"""videogen: a topic in, a narrated presentation video out.

The installed package is this folder plus the three layer folders at the project's top, linked
in here (`videogen/actors -> ../actors`, and so on), so every module has one import name:

    videogen.cli      the `videogen` command (`generate`, `serve`); `python -m videogen`
    videogen.server   HTTP: the Quart-Trio app on Hypercorn, routes, access, SSE, ranges
    videogen.actors   the runtime on Trio: registry, supervisors, stage actors, adapters
    videogen.media    plain synchronous code: writer, speech, slides, subtitles, ffmpeg argv

Dependencies point one way: cli → server → actors → media (tests/test_imports.py holds it).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("videogen")
except PackageNotFoundError:  # run from a tree that was never installed
    __version__ = "0+unknown"
