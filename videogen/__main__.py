"""`python -m videogen`: the same as the `videogen` command."""

from videogen.cli import main

raise SystemExit(main())
