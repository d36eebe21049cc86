"""The tests' `Child` ends what its process started in sessions of its own (batch work in a
niced autogroup, `media.worker`), which its process group no longer holds."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Final

from tests.processes import Child, running

if TYPE_CHECKING:
    from pathlib import Path

# The grandchild starts its own session (as a server's ffmpeg and workers do), prints its pid
# and sleeps; the child waits for ever.
_SCRIPT: Final = """
import subprocess, sys, time
g = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                     start_new_session=True)
print(g.pid, flush=True)
time.sleep(120)
"""


def test_stop_ends_what_the_child_started_in_another_session(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    with Child([sys.executable, "-c", _SCRIPT], log) as child:
        child.wait_until(lambda: log.read_text().strip() != "", seconds=30, what="the pid")
        grandchild = int(log.read_text().split()[0])
        assert os.getsid(grandchild) != os.getpgid(child.process.pid)
        child.stop(grace=5)
    assert not running(grandchild)
