"""Landing-file reader: turns the ministries' submitted files into one raw, all-text relation.

It does *no* normalisation of values (SQL does that). It only:

* decides which files to ignore (hidden files/folders, Office lock files ``~$*``);
* detects the CSV encoding (UTF-8 with BOM, UTF-8, CP932 -- never mojibake, never mixed);
* reads the first worksheet of an XLSX (cached values of formulas, numbers as text without ``.0``);
* finds the header row (within the first 10 rows) and maps the contract headers
  (NFKC + whitespace-insensitive) to canonical column names;
* emits one ``file`` record per file and one ``row`` record per non-empty data row.

Every problem with the input becomes a ``file_error`` on the file record; only programming errors raise.

Modules: ``contract`` (the form, read from the seed; output layout; paths), ``table`` (header row
and columns), ``csv``, ``xlsx``, ``parquet`` (one per file format), ``records`` (the one records
function :func:`load_landing`, used by the dbt model and the Spark landing step).
"""

from genai_report.landing.contract import (
    CANONICAL_COLUMNS,
    CONTRACT_HEADERS,
    HEADER_SEARCH_ROWS,
    OUTPUT_COLUMNS,
    RECORD_COLUMNS,
    REQUIRED_COLUMNS,
    is_ignored,
    is_parquet,
    normalise_header,
    relative_path,
)
from genai_report.landing.parquet import parquet_landing_sql
from genai_report.landing.records import load_landing, parse_landing_files, read_file, records_frame

__all__ = [
    "CANONICAL_COLUMNS",
    "CONTRACT_HEADERS",
    "HEADER_SEARCH_ROWS",
    "OUTPUT_COLUMNS",
    "RECORD_COLUMNS",
    "REQUIRED_COLUMNS",
    "is_ignored",
    "is_parquet",
    "load_landing",
    "normalise_header",
    "parquet_landing_sql",
    "parse_landing_files",
    "read_file",
    "records_frame",
    "relative_path",
]
