"""Publication vintages: what every publishing `make build` published, kept for good.

The record lives in schema ``vintages`` of the warehouse file itself, not in a dbt model: dbt's
``--full-refresh`` and a change of the project rebuild every model, and the record must outlive
both. The publish step of genai_report/build.py appends to it in the building copy, after every
check has passed and before the atomic rename, so readers see it change in the same instant as the
figures, and a failed build records nothing. Its tables are declared by the pre-hook of
``marts.rpt_revisions`` (models/marts/revisions/), the dbt model that reads it.

Not a dbt snapshot: a snapshot closes a superseded row by updating its ``dbt_valid_to``, so a
recorded row would be altered, and it runs inside ``dbt build``, before the gate, the docs check and
the exports have decided whether the build publishes at all.

A vintage is one period as one build published it. A build appends a vintage for a period only when
that period's ``report_cells`` rows (value and prior_value) differ from its latest vintage, so an
"Up to date" build, and a forced build that publishes the same figures, add none. Rows are only
ever inserted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

#: the cells a vintage publishes and the files it was computed from (columns of the record's tables).
CELLS = "marts.report_cells"
FILES = "staging.stg_submissions__files"
PERIODS = "reference.periods"


def vintage_id(period_end: str, published_at: dt.datetime, landing_fingerprint: str) -> str:
    """Readable and unique: the period, the publication time (UTC) and the landing fingerprint's start."""
    return f"{period_end}/{published_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}/{landing_fingerprint[:12]}"


def _differs(connection: duckdb.DuckDBPyConnection, period_end: str, latest: str) -> bool:
    published = f"select * from {CELLS} where period_end = $period"
    recorded = "select * exclude (vintage_id) from vintages.report_cells where vintage_id = $latest"
    differences = connection.execute(
        f"select count(*) from (({published} except all {recorded}) union all ({recorded} except all {published}))",
        {"period": period_end, "latest": latest},
    ).fetchone()[0]
    return differences > 0


def record(database: Path, landing_fingerprint: str, published_at: dt.datetime | None = None) -> list[str]:
    """Append a vintage for every period whose figures differ from its latest vintage; return their ids."""
    published_at = published_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    added = []
    with duckdb.connect(str(database)) as connection:
        latest = dict(
            connection.sql(
                "select cast(period_end as varchar), arg_max(vintage_id, (published_at, vintage_id)) "
                "from vintages.publications group by period_end"
            ).fetchall()
        )
        periods = [
            row[0]
            for row in connection.sql(f"select distinct cast(period_end as varchar) from {CELLS} order by 1").fetchall()
        ]
        connection.execute("begin transaction")
        for period_end in periods:
            if period_end in latest and not _differs(connection, period_end, latest[period_end]):
                continue
            vintage = vintage_id(period_end, published_at, landing_fingerprint)
            parameters = {"vintage": vintage, "period": period_end}
            connection.execute(
                "insert into vintages.publications values ($vintage, $period, $published_at, $landing)",
                {**parameters, "published_at": published_at, "landing": landing_fingerprint},
            )
            connection.execute(
                f"insert into vintages.report_cells by name select $vintage as vintage_id, * from {CELLS} "
                "where period_end = $period",
                parameters,
            )
            # The files of the period and of the previous one (its prior_value): what caused a revision.
            connection.execute(
                "insert into vintages.submission_files by name "
                f"select $vintage as vintage_id, files.period_end, files.source_file, files.file_checksum from {FILES} "
                f"as files where files.period_end = $period or files.period_end = "
                f"(select previous_period_end from {PERIODS} where period_end = $period)",
                parameters,
            )
            added.append(vintage)
        connection.execute("commit")
    return added
