"""Landing loader: every file under $GENAI_LANDING_DIR, decoded and mapped to canonical columns.

The base of the staging layer: the only model that reads the source; the staging models read it
(through macro landed_records) and seeds, nothing else.

genai_report.landing.load_landing (the one records function; the Spark landing step calls it too)
reads the files one small batch at a time: Parquet and UTF-8/CP932 CSV through DuckDB's own readers
wherever they give exactly what the Python reader gives, XLSX and the CSV files DuckDB would read
differently in Python. Values stay as typed; staging SQL normalises them. One 'file' record per file
(with file_checksum, the md5 of the file's bytes) plus one 'row' record per landed row, so files with
no rows are still accounted for.

Incremental by period folder: a folder whose files (names and checksums) are exactly those landed
before is not read again. A folder with a new, resubmitted or removed file is landed again whole,
and the records of a folder that is gone are dropped, so the table always equals a full reload.
"""

from genai_report.landing import is_ignored, load_landing, relative_path
from genai_report.landing.contract import period_folder as folder_of


def period_folder(source_file):
    """The landing partition of a file: its period folder, '' for a file at the landing root."""
    return folder_of(source_file) or ""


def sql_text(text):
    return "'" + text.replace("'", "''") + "'"


def model(dbt, session):
    dbt.config(materialized="incremental")
    landing_dir = dbt.config.get("landing_dir")
    blobs = dbt.source("landing", "submission_files")
    # md5 reads every file's bytes once per build; parsing, the expensive part, only changed folders.
    checksums = {
        relative_path(name, landing_dir): (name, checksum)
        for name, checksum in blobs.project("filename, md5(content)").fetchall()
    }
    current = {}
    for source_file, (_name, checksum) in checksums.items():
        if not is_ignored(source_file):
            current.setdefault(period_folder(source_file), set()).add((source_file, checksum))

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

    wanted = [name for source_file, (name, _) in checksums.items() if period_folder(source_file) in changed]
    names = ", ".join(sql_text(name) for name in wanted) or "null"
    return load_landing(session, blobs.filter(f"filename in ({names})"), landing_dir)
