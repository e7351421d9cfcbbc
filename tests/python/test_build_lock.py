"""genai_report.build_lock: one build at a time per warehouse folder, the next one waits.

Fast checks of the lock itself with small processes; tests/python/test_publish.py runs two real
`make build`s at once against one published file.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from genai_report.build_lock import build_lock, lock_path
from tests.python.conftest import PROJECT_DIR

# Takes the lock of argv[1]'s folder, records when it got and released it, holds it argv[2] seconds.
HOLDER = r"""
import json, sys, time
from pathlib import Path
from genai_report.build_lock import build_lock

published, hold, record = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
with build_lock(published):
    got = time.time()
    record.with_suffix(".held").touch()
    time.sleep(hold)
    released = time.time()
record.write_text(json.dumps({"got": got, "released": released}))
"""


def _hold(published: Path, seconds: float, record: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(published), str(seconds), str(record)],
        cwd=PROJECT_DIR,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_held(record: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not record.with_suffix(".held").exists():
        assert process.poll() is None and time.monotonic() < deadline, "the holder did not take the lock"
        time.sleep(0.05)


def test_second_holder_waits_for_the_first_and_says_so(tmp_path):
    published = tmp_path / "warehouse" / "genai_report.duckdb"
    first = _hold(published, 2.0, tmp_path / "first.json")
    _wait_until_held(tmp_path / "first.json", first)
    assert lock_path(published).read_text(encoding="utf-8").startswith(f"pid {first.pid}, started ")
    second = _hold(published, 0.0, tmp_path / "second.json")
    _, second_err = second.communicate(timeout=60)
    _, first_err = first.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0)
    one = json.loads((tmp_path / "first.json").read_text())
    two = json.loads((tmp_path / "second.json").read_text())
    assert two["got"] >= one["released"]  # never both inside at once
    assert (
        f"another make build is running on {published.parent} (pid {first.pid}, started " in second_err
        and f"waiting for it to finish (lock {lock_path(published)})" in second_err
    ), second_err
    assert "building now" in second_err
    assert first_err == ""
    assert lock_path(published).read_text(encoding="utf-8") == ""  # released and emptied


def test_a_killed_holder_does_not_block_the_next_build(tmp_path):
    published = tmp_path / "genai_report.duckdb"
    killed = _hold(published, 600.0, tmp_path / "killed.json")
    _wait_until_held(tmp_path / "killed.json", killed)
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=60)
    log = io.StringIO()
    started = time.monotonic()
    with build_lock(published, log=log) as path:
        assert path == tmp_path / ".building.lock"
        assert path.read_text(encoding="utf-8").startswith(f"pid {os.getpid()}, started ")
    assert time.monotonic() - started < 5
    assert log.getvalue() == ""  # the kernel released the dead holder's lock: nothing to wait for
