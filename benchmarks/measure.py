"""Run a command in a subprocess and measure its wall time and peak memory.

Peak memory is reported two ways: ``peak_rss_mb``, the largest sum of the resident set sizes of
the process and all its descendants seen by a sampler (psutil, every 50 ms), and ``max_rss_mb``,
the kernel's high-water mark of the largest single process of the tree (``wait4`` rusage). The
sampler can miss a spike shorter than its period; the kernel figure cannot, but does not add
processes up, and counts the forking parent's pages (see memory_mb).
dbt runs its threads in one process, so both agree for the builds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    max_rss_mb: float
    returncode: int
    output_tail: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def memory_mb(self) -> float:
        """The sampled tree peak; the kernel figure only when the process was too short to sample.

        (A forked child starts with its parent's pages counted in its RSS until it execs, so the
        kernel's ru_maxrss is at least the benchmark process's own size: an upper bound only.)"""
        return self.peak_rss_mb if self.peak_rss_mb > 0 else self.max_rss_mb


def _tree_rss(pid: int) -> int:
    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(
    cmd: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``cmd`` (output to ``log`` if given), sampling the process tree's memory.

    After ``timeout`` seconds the command's process group (it is started as its own session) is
    killed and the measurement says so.
    """
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    peak = 0
    timed_out = False
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, timed_out
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            if timeout is not None and not timed_out and time.perf_counter() - started > timeout:
                timed_out = True
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
        text = log.read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(text.splitlines()[-40:])
    else:
        tail = ""
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(wall, cpu, peak / 2**20, usage.ru_maxrss / 1024, process.returncode, tail, timed_out)
