"""Landing loader: every file under $GENAI_LANDING_DIR, decoded and mapped to canonical columns.

SQL is the wrong tool for detecting CP932 versus UTF-8 or for reading XLSX, so this one model
does it in Python (genai_report.landing) on the bytes DuckDB's read_blob() hands over. Parquet
landing files are the exception: DuckDB reads them itself (read_parquet), and the model returns a
relation that unions those records with the parsed CSV/XLSX records, in the same column layout.
Values stay as typed; staging SQL normalises them. One 'file' record per file plus one 'row'
record per landed row, so files with no rows are still accounted for.
"""

from genai_report.landing import load_landing


def model(dbt, session):
    dbt.config(materialized="table")
    landing_dir = dbt.config.get("landing_dir")
    return load_landing(session, dbt.source("landing", "submission_files"), landing_dir)
