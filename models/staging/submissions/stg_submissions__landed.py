"""Landing loader: every file under $GENAI_LANDING_DIR, decoded and mapped to canonical columns.

SQL is the wrong tool for detecting CP932 versus UTF-8 or for reading XLSX, so this one model
does it in Python (genai_report.landing) on the bytes DuckDB's read_blob() hands over. Values stay
as typed; staging SQL normalises them. One 'file' record per file plus one 'row' record per
landed row, so files with no rows are still accounted for.
"""

from genai_report.landing import parse_landing_files, relative_path


def model(dbt, session):
    dbt.config(materialized="table")
    landing_dir = dbt.config.get("landing_dir")
    blobs = dbt.source("landing", "submission_files").project("filename, content").fetchall()
    files = [(relative_path(filename, landing_dir), bytes(content)) for filename, content in blobs]
    return parse_landing_files(files)
