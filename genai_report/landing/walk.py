"""The landing folder as it is on disk: which entries are read, and which are not and why.

DuckDB's ``read_blob('<landing>/**')`` silently passes over symbolic links (never following them),
named pipes, devices and sockets, and fails outright on a file name that is not valid UTF-8. So the
loader walks the folder itself (``os.scandir``, links never followed), hands DuckDB the regular files
by name, and turns every other entry into a 'file' record whose ``file_error`` says what it is: the
entry is listed, counted and rejected, never silently dropped. Sub-folders are walked (their files
land in the period of the folder they are in, as before).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from genai_report.landing.contract import is_ignored
from genai_report.landing.table import FileResult

#: the start of every ``file_error`` of an entry that is not read (staging decides the reason by it).
NOT_READ = "not read: "
INVALID_NAME = NOT_READ + "the file name is not valid UTF-8"


@dataclass(frozen=True)
class Entry:
    source_file: str  # relative to the landing dir, '/' separators
    location: str  # the path DuckDB reads it by ('' for an entry that is not read)
    problem: str | None  # None: a regular file to read
    #: size, modification and change times (ns) of a regular file: the same signature means the same
    #: bytes, so the loader reuses the checksum it recorded for it instead of reading the file again.
    signature: str = field(default="", compare=False)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never followed; put the file itself in the folder)"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISBLK(mode) or stat.S_ISCHR(mode):
        return "a device, not a regular file"
    return "not a regular file"


def _printable(name: str) -> str:
    """A name read with surrogateescape, with its undecodable bytes shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def landing_entries(landing_dir: str | Path) -> list[Entry]:
    """Every entry under ``landing_dir`` except ignored ones (hidden, Office lock files), by name."""
    root = Path(landing_dir)
    entries: list[Entry] = []
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                relative = prefix + _printable(item.name)
                if is_ignored(relative):
                    continue
                status = item.stat(follow_symlinks=False)
                mode = status.st_mode
                if stat.S_ISDIR(mode):
                    folders.append((Path(item.path), relative + "/"))
                    continue
                try:
                    item.path.encode("utf-8")
                except UnicodeEncodeError:
                    entries.append(Entry(relative, "", INVALID_NAME))
                    continue
                if stat.S_ISREG(mode):
                    signature = f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"
                    entries.append(Entry(relative, item.path, None, signature))
                else:
                    entries.append(Entry(relative, "", NOT_READ + _kind(mode)))
    return sorted(entries, key=lambda entry: entry.source_file)


def unread_record(entry: Entry) -> FileResult:
    """The 'file' record of an entry that is not read. Its checksum is the md5 of the reason, so an
    entry that changes kind (a link replaced by a pipe) changes its period's fingerprint."""
    res = FileResult.for_path(entry.source_file)
    res.file_error = entry.problem
    res.file_checksum = hashlib.md5((entry.problem or "").encode(), usedforsecurity=False).hexdigest()
    return res
