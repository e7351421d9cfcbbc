"""Landing loader: every file of the source landing.submission_files, as one record relation.

genai_report.landing.load_landing (the one records function; the Spark landing step calls it too)
reads the files one small batch at a time: Parquet and UTF-8/CP932 CSV through DuckDB's own readers
wherever they give exactly what the Python reader gives, XLSX and the CSV files DuckDB would read
differently in Python. Values stay as typed; staging SQL normalises them. One 'file' record per file
(with file_checksum, the md5 of the file's bytes) plus one 'row' record per landed row, so files with
no rows are still accounted for.
"""

from genai_report.landing import load_landing


def model(dbt, session):
    dbt.config(materialized="table")
    landing_dir = dbt.config.get("landing_dir")
    return load_landing(session, dbt.source("landing", "submission_files"), landing_dir)
