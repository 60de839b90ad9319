"""Files we write, written whole or not at all.

Every output file (populations, reports, CSVs, calendars) goes through here, so
an interrupted run (Ctrl-C, SIGTERM, a full disk) never leaves a half-written
file where a reader expects a whole one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it only when the block succeeds:
    an interrupted run (Ctrl-C, SIGTERM) leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
    try:
        yield Path(temp)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    with atomic_path(path) as temp:
        write(temp)
