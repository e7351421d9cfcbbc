"""How much memory DuckDB may use, and where it spills: decided here, for every connection of a build.

DuckDB's own default (80 % of the machine's memory) lets one build take most of a machine it shares.
A build sets:

* ``memory_limit``: ``$GENAI_DUCKDB_MEMORY_LIMIT`` (DuckDB's spelling, e.g. ``6GiB``), default half of
  the machine's physical memory;
* ``temp_directory``: ``$GENAI_DUCKDB_TEMP_DIR``, default DuckDB's own (``<database file>.tmp``), where
  DuckDB writes what does not fit in the limit.

dbt's connections get them through the dbt-duckdb plugin in :mod:`genai_report.duckdb_plugin` (named
in every duckdb target of profiles.yml; a module apart, so that importing this one does not import
dbt), so plain ``dbt build`` and ``make build`` alike run within the limit, and so does the landing
loader, which runs on dbt's connection. The build's own connections call :func:`apply`
(``duckdb.connect(config=settings())`` suits a new in-memory database).
"""

from __future__ import annotations

import os

from genai_report.contract import sql_string

#: share of the machine's physical memory DuckDB may use when $GENAI_DUCKDB_MEMORY_LIMIT is not set;
#: the rest is for Python (openpyxl, pandas) and the other processes of a build.
MEMORY_FRACTION = 0.5
MEMORY_LIMIT_VARIABLE = "GENAI_DUCKDB_MEMORY_LIMIT"
TEMP_DIRECTORY_VARIABLE = "GENAI_DUCKDB_TEMP_DIR"


def physical_memory() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def memory_limit() -> str:
    """DuckDB's ``memory_limit`` for this machine and settings (e.g. ``12288MiB``)."""
    configured = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip()
    if configured:
        return configured
    return f"{int(physical_memory() * MEMORY_FRACTION) >> 20}MiB"


def temp_directory() -> str | None:
    """DuckDB's ``temp_directory``; None keeps DuckDB's default beside the database file."""
    return os.environ.get(TEMP_DIRECTORY_VARIABLE, "").strip() or None


def settings() -> dict[str, str]:
    chosen = {"memory_limit": memory_limit()}
    spill = temp_directory()
    if spill is not None:
        chosen["temp_directory"] = spill
    return chosen


def apply(connection) -> None:
    """Set the limits on an open DuckDB connection (they hold for its whole database instance)."""
    for name, value in settings().items():
        # DuckDB refuses to move a temp directory it has spilled to, even to the same place.
        if name == "temp_directory" and connection.execute(f"select current_setting('{name}')").fetchone()[0] == value:
            continue
        connection.execute(f"set {name} = {sql_string(value)}")
