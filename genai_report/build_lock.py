"""One `make build` at a time per warehouse folder: a second one waits for the first.

`make build` builds in `<warehouse folder>/.building/` and renames the result over the published
file. Two builds at once on one checkout would share that building copy (and build/, target/), so
:func:`build_lock` takes an exclusive ``fcntl.flock`` on ``<warehouse folder>/.building.lock`` for
the whole build. A second build says which process holds the lock and waits; when the first one has
published (or failed), the second starts from what is published then. The kernel releases the lock
when its holder exits or is killed, so a crashed build never blocks the next one. The lock file
stays (empty between builds); it holds no data.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

LOCK_NAME = ".building.lock"


def lock_path(published: Path) -> Path:
    """The lock file guarding the `.building/` folder beside the published warehouse."""
    return Path(published).parent / LOCK_NAME


@contextmanager
def build_lock(published: Path, *, log: TextIO | None = None) -> Iterator[Path]:
    """Hold the build lock of `published`'s folder for the body of the `with`, waiting for it if needed."""
    log = log or sys.stderr
    path = lock_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            print(
                f"another make build is running on {path.parent} ({holder}); waiting for it to finish (lock {path})",
                file=log,
                flush=True,
            )
            waited = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            print(
                f"the other build finished after {time.monotonic() - waited:.0f} s; building now", file=log, flush=True
            )
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}, started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        try:
            yield path
        finally:
            handle.truncate(0)
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
