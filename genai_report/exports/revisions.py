"""The revisions of earlier publications (marts.rpt_revisions), as the workbook and the HTML report list them.

Every period's revisions are listed in every report: a revision is news about an earlier
publication, whichever period is being published now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from genai_report.contract import DIMENSIONS
from genai_report.exports.common import CodeLabels, fetch_dicts, require_relations

#: what the report says when no published figure was ever revised.
NO_REVISIONS = "改定なし / no revisions：公表したすべての数値が最初の公表値のままである。"
INTRODUCTION = (
    "一度公表した数値のうち、その後の公表（提出ファイルの再提出・追加・削除による再集計）で値が変わったもの。"
    "最初の公表値と最新の値、変更の原因となった提出ファイル（前回値の改定は前の期のファイル）を示す。"
    "出典：marts.rpt_revisions（公表の記録 vintages）。"
)
FIGURE_JA = {"value": "値", "prior_value": "前回値"}
HEADERS = ("表", "期末日", "セル", "指標", "数値", "最初の公表値", "最新の値", "差", "原因のファイル", "ヴィンテージ")


@dataclass(frozen=True)
class Revision:
    table_id: str
    period_end: dt.date
    cell_ja: str
    measure: str
    figure_ja: str
    first_value: int | None
    latest_value: int | None
    difference: int | None
    files_ja: str
    vintages: str

    def row(self) -> tuple:
        """The values in HEADERS order."""
        return (
            self.table_id,
            self.period_end.isoformat(),
            self.cell_ja,
            self.measure,
            self.figure_ja,
            self.first_value,
            self.latest_value,
            self.difference,
            self.files_ja,
            self.vintages,
        )


def load_revisions(connection: duckdb.DuckDBPyConnection) -> list[Revision]:
    require_relations(connection, "marts.rpt_revisions")
    rows = fetch_dicts(
        connection,
        "select * from marts.rpt_revisions order by period_end, table_id, measure, figure, "
        + ", ".join(f"{name} nulls first" for name in DIMENSIONS),
    )
    labels: dict[dt.date, CodeLabels] = {}
    revisions = []
    for row in rows:
        period_labels = labels.setdefault(row["period_end"], CodeLabels(connection, row["period_end"]))
        cell_ja = " / ".join(
            f"{name_ja}={period_labels.printed(name, row[name])}"
            for name, name_ja in DIMENSIONS.items()
            if row[name] is not None
        )
        files = [
            f"{change}: {row[column]}"
            for change, column in (("追加", "files_added"), ("削除", "files_removed"), ("変更", "files_changed"))
            if row[column]
        ]
        revisions.append(
            Revision(
                table_id=row["table_id"],
                period_end=row["period_end"],
                cell_ja=cell_ja,
                measure=row["measure"],
                figure_ja=FIGURE_JA[row["figure"]],
                first_value=row["first_value"],
                latest_value=row["latest_value"],
                difference=row["difference"],
                files_ja="; ".join(files),
                vintages=f"{row['first_vintage_id']} → {row['latest_vintage_id']}",
            )
        )
    return revisions
