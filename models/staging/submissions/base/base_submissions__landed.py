"""Landing loader: every file under $GENAI_LANDING_DIR, decoded and mapped to canonical columns.

The base of the staging layer: the only model that reads the source; the staging models read it
(through macro landed_records) and seeds, nothing else.

genai_report.landing.load_landing (the one records function; the Spark landing step calls it too)
reads the files one small batch at a time: Parquet and UTF-8/CP932 CSV through DuckDB's own readers
wherever they give exactly what the Python reader gives, XLSX and the CSV files DuckDB would read
differently in Python. Values stay as typed; staging SQL normalises them. One 'file' record per file
(with file_checksum, the md5 of the file's bytes) plus one 'row' record per landed row, so files with
no rows are still accounted for.

The folder is walked in Python (genai_report.landing.walk, links never followed): DuckDB reads the
regular files by name, and every other entry (symbolic link, named pipe, device, socket, a name that is
not UTF-8) lands as a 'file' record whose file_error says what it is, so nothing is dropped unseen.

Incremental by period folder: a folder whose files (names and checksums) are exactly those landed
before is not read again. A file whose size, modification and change times are those recorded with
its checksum is not even hashed again (incremental_state.landing_file_checksums); a full build
hashes every file. A folder with a new, resubmitted or removed file is landed again whole,
and the records of a folder that is gone are dropped, so the table always equals a full reload.
"""

from genai_report.landing import load_landing, relative_path
from genai_report.landing.contract import GLOB_CHARS
from genai_report.landing.contract import period_folder as folder_of
from genai_report.landing.walk import landing_entries, unread_record


def period_folder(source_file):
    """The landing partition of a file: its period folder, '' for a file at the landing root."""
    return folder_of(source_file) or ""


def sql_text(text):
    return "'" + text.replace("'", "''") + "'"


def readable_blobs(session, source, locations):
    """read_blob() of the regular files the walk found, by name: DuckDB never lists the folder itself
    (its glob would fail on a name that is not UTF-8). A name DuckDB would take for a pattern is
    read by filtering the source."""
    plain = [location for location in locations if not GLOB_CHARS.intersection(location)]
    patterns = [location for location in locations if GLOB_CHARS.intersection(location)]
    named = source.filter(f"filename in ({', '.join(sql_text(name) for name in patterns)})") if patterns else None
    if not plain:
        return named if named is not None else source.filter("false")
    listed = session.sql(f"select * from read_blob([{', '.join(sql_text(name) for name in plain)}])")
    return listed if named is None else listed.union(named)


#: the checksum each landed file had at the signature (size, mtime, ctime) it had then: bookkeeping
#: beside the incremental state of the period models, outside the schemas dbt documents.
CHECKSUMS = "incremental_state.landing_file_checksums"


def recorded_checksums(session):
    """{(source_file, signature): (md5, hashed_at)} recorded by the previous build of this warehouse."""
    exists = session.sql(
        "select count(*) from information_schema.tables"
        " where table_schema = 'incremental_state' and table_name = 'landing_file_checksums'"
    ).fetchone()[0]
    if not exists:
        return {}
    return {
        (source_file, signature): (checksum, hashed_at)
        for source_file, signature, checksum, hashed_at in session.sql(
            f"select source_file, file_signature, file_checksum, hashed_at from {CHECKSUMS}"
        ).fetchall()
    }


def record_checksums(session, rows):
    """rows: (source_file, signature, md5, hashed_at or None for a file hashed now)."""
    session.execute("create schema if not exists incremental_state")
    session.execute(
        f"create or replace table {CHECKSUMS}"
        " (source_file varchar, file_signature varchar, file_checksum varchar, hashed_at timestamp)"
    )
    if rows:
        session.executemany(f"insert into {CHECKSUMS} values (?, ?, ?, coalesce(?, now()::timestamp))", rows)


def model(dbt, session):
    dbt.config(materialized="incremental")
    landing_dir = dbt.config.get("landing_dir")
    entries = landing_entries(landing_dir)
    unread = {entry.source_file: unread_record(entry) for entry in entries if entry.problem is not None}
    readable = [entry for entry in entries if entry.problem is None]
    source = dbt.source("landing", "submission_files")

    # An incremental build reads only the files whose signature is new; a full build reads every one.
    known = recorded_checksums(session) if dbt.is_incremental else {}
    reused = {
        entry.source_file: known[(entry.source_file, entry.signature)]
        for entry in readable
        if (entry.source_file, entry.signature) in known
    }
    checksums = {source_file: checksum for source_file, (checksum, _) in reused.items()}
    hashed_before = {source_file: hashed_at for source_file, (_, hashed_at) in reused.items()}
    to_hash = [entry.location for entry in readable if entry.source_file not in reused]
    if to_hash:
        hashed = readable_blobs(session, source, to_hash).project("filename, md5(content)").fetchall()
        checksums |= {relative_path(name, landing_dir): checksum for name, checksum in hashed}
    record_checksums(
        session,
        [
            (
                entry.source_file,
                entry.signature,
                checksums[entry.source_file],
                hashed_before.get(entry.source_file),
            )
            for entry in readable
        ],
    )

    current = {}
    for source_file, checksum in checksums.items():
        current.setdefault(period_folder(source_file), set()).add((source_file, checksum))
    for source_file, record in unread.items():
        current.setdefault(period_folder(source_file), set()).add((source_file, record.file_checksum))

    changed = set(current)
    if dbt.is_incremental:
        landed = {}
        for source_file, checksum in session.sql(
            f"select source_file, file_checksum from {dbt.this} where record_type = 'file'"
        ).fetchall():
            landed.setdefault(period_folder(source_file), set()).add((source_file, checksum))
        changed = {folder for folder in set(current) | set(landed) if current.get(folder) != landed.get(folder)}
        gone = [folder for folder in landed if folder in changed]
        if gone:
            folders = ", ".join(sql_text(folder) for folder in gone)
            session.execute(f"delete from {dbt.this} where coalesce(period_folder, '') in ({folders})")

    wanted = [entry.location for entry in readable if period_folder(entry.source_file) in changed]
    unread_changed = [record for source_file, record in unread.items() if period_folder(source_file) in changed]
    return load_landing(session, readable_blobs(session, source, wanted), landing_dir, unread=unread_changed)
