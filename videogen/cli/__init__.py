"""The `videogen` command: `generate` makes one video through the actor runtime, `serve` runs
the HTTP server. It sits above both layers it drives (cli → server → actors → media)."""

from videogen.cli.main import main

__all__ = ["main"]
