"""A landing that says what it did not read: every entry of a period folder that is not a regular file,
or whose name is not UTF-8, is listed in marts.submission_files and rejected with its reason; a link
is never followed. (docs/hostile-input.md, "Entries that are not read")"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from genai_report.landing.walk import INVALID_NAME, NOT_READ, Entry, landing_entries
from genai_report.warehouse import build_warehouse
from tests.python.conftest import SHIPPED_LANDING, query

PERIOD = "2025-12-31"
QUARANTINE = {"quarantine_rejects": True, "check_publication": False}
LINK = NOT_READ + "a symbolic link (links are never followed; put the file itself in the folder)"
FIFO = NOT_READ + "a named pipe (FIFO), not a regular file"
SOCKET = NOT_READ + "a socket, not a regular file"
BAD_NAME = os.fsdecode(b"bad\xff.csv")


def _odd_entries(landing: Path, outside: Path) -> None:
    """Beside the period's real files: links (to a file outside, dangling, to a folder), a pipe, a
    socket, a name that is not UTF-8, a hidden file and a sub-folder with a file."""
    folder = landing / PERIOD
    outside.mkdir()
    shutil.copy(folder / "cas.csv", outside / "secret.csv")
    (folder / "link.csv").symlink_to(outside / "secret.csv")
    (folder / "dangling.csv").symlink_to(outside / "gone.csv")
    (folder / "linked_folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.csv")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.csv"))
    server.close()
    (folder / BAD_NAME).write_bytes(b"x")
    (folder / ".hidden.csv").write_bytes(b"x")


UNREAD = {
    f"{PERIOD}/bad\\xff.csv": INVALID_NAME,
    f"{PERIOD}/dangling.csv": LINK,
    f"{PERIOD}/link.csv": LINK,
    f"{PERIOD}/linked_folder": LINK,
    f"{PERIOD}/pipe.csv": FIFO,
    f"{PERIOD}/sock.csv": SOCKET,
}


def test_walk_lists_every_entry_and_follows_no_link(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SHIPPED_LANDING / PERIOD, landing / PERIOD)
    (landing / PERIOD / "sub").mkdir()
    (landing / PERIOD / "sub" / "inner.csv").write_bytes(b"x")
    _odd_entries(landing, tmp_path / "outside")
    entries = landing_entries(landing)
    unread = {entry.source_file: entry.problem for entry in entries if entry.problem is not None}
    assert unread == UNREAD
    regular = [entry for entry in entries if entry.problem is None]
    shipped = sorted(path.name for path in (SHIPPED_LANDING / PERIOD).iterdir())
    assert [entry.source_file for entry in regular] == sorted(
        [f"{PERIOD}/{name}" for name in shipped] + [f"{PERIOD}/sub/inner.csv"]
    )
    assert all(not Path(entry.location).is_symlink() for entry in regular)
    assert Entry(f"{PERIOD}/sub/inner.csv", str(landing / PERIOD / "sub" / "inner.csv"), None) in regular


@pytest.fixture(scope="module")
def unread_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("unread")
    landing = root / "landing"
    shutil.copytree(SHIPPED_LANDING / PERIOD, landing / PERIOD)
    _odd_entries(landing, root / "outside")
    database = root / "warehouse.duckdb"
    build_warehouse(database, landing, dbt_vars=QUARANTINE)
    return database


def test_unread_entries_are_listed_rejected_and_counted(unread_warehouse):
    files = query(
        unread_warehouse,
        "select source_file, period_end::varchar, ministry_code, file_issue, rows_landed, rows_accepted, "
        "rows_rejected from marts.submission_files where file_issue in ('NOT_A_REGULAR_FILE', 'INVALID_FILE_NAME') "
        "order by source_file",
    )
    expected_issue = {INVALID_NAME: "INVALID_FILE_NAME"}
    assert files == [
        (source_file, PERIOD, None, expected_issue.get(problem, "NOT_A_REGULAR_FILE"), 0, 0, 0)
        for source_file, problem in sorted(UNREAD.items())
    ]
    rejects = query(
        unread_warehouse,
        "select source_file, row_number, reason, message_en from marts.submission_rejects "
        "where reason in ('NOT_A_REGULAR_FILE', 'INVALID_FILE_NAME') order by source_file",
    )
    assert [row[:3] for row in rejects] == [
        (source_file, None, expected_issue.get(problem, "NOT_A_REGULAR_FILE"))
        for source_file, problem in sorted(UNREAD.items())
    ]
    # The secret file behind the link never landed: no row of it, no file of its name.
    landed = query(unread_warehouse, "select count(*) from marts.submission_files where source_file like '%secret%'")
    assert landed == [(0,)]


def test_the_real_files_land_as_before(unread_warehouse):
    shipped = len(list((SHIPPED_LANDING / PERIOD).iterdir()))
    assert query(
        unread_warehouse,
        "select count(*), count(file_issue) from marts.submission_files where file_issue is null "
        "or file_issue not in ('NOT_A_REGULAR_FILE', 'INVALID_FILE_NAME')",
    ) == [(shipped, 0)]


def test_every_ministry_of_the_period_sees_the_entries_not_read(unread_warehouse):
    status = query(
        unread_warehouse,
        "select count(*), min(period_entries_not_read), max(period_entries_not_read) from marts.submission_status "
        f"where period_end = '{PERIOD}'",
    )
    assert status == [(25, len(UNREAD), len(UNREAD))]
