"""The report's tables as grids of cells, read from the report-layout marts (marts.rpt_t01 … rpt_t09).

A layout mart is already the publication's wide table: label columns in the report's order, one
column per printed column named by its labels joined with "_" (汎用型1_開始済), then 総計 and the
previous period's figures. This module only arranges it for print: it splits the column names into
header rows with merged cells, merges repeated row labels, and adds the headers the publication
prints around the figures (利用類型, 利用者の範囲, …). The workbook and the HTML report render the
same grid, so they cannot disagree. No figure is computed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from genai_report.exports.common import (
    CodeLabels,
    ExportError,
    Period,
    fetch_dicts,
    relation_exists,
    require_relations,
)

#: Columns and rows that are totals or the previous report's figures, not a code.
TOTAL_NAMES = ("総計", "集計")
PRIOR_NAMES = ("前回報告件数", "前報告件数")
DISPLAY_SUFFIX = "_表示"
SHARE_SUFFIX = "_割合"


@dataclass(frozen=True)
class TableSpec:
    table_id: str
    title_ja: str
    # The publication states the period in the title of the tables about government staff.
    title_has_as_of: bool = False
    # Header spanning the figures' columns (利用類型 / 利用類型・利用開始状況); None: no such header.
    column_group_ja: str | None = None
    # Header printed down the left of the body rows (利用開始時期); None: the label columns carry
    # their own names as column headers instead (T05, T06).
    row_group_ja: str | None = None
    # T07 prints each count beside its share: the count column gets this sub-header.
    count_header_ja: str | None = None

    @property
    def mart(self) -> str:
        return f"rpt_{self.table_id.lower()}"

    def title_for(self, period: Period) -> str:
        return f"{self.title_ja}（{period.as_of_label_ja}）" if self.title_has_as_of else self.title_ja


TABLES: tuple[TableSpec, ...] = (
    TableSpec("T01", "利用類型・利用時期", column_group_ja="利用類型", row_group_ja="利用開始時期"),
    TableSpec(
        "T02",
        "政府職員の生成AIシステムの利用類型・利用者の範囲",
        title_has_as_of=True,
        column_group_ja="利用類型/利用開始状況",
        row_group_ja="利用者の範囲",
    ),
    TableSpec(
        "T03",
        "政府職員の生成AIシステムの導入段階ごとの利用類型・利用者の範囲",
        title_has_as_of=True,
        column_group_ja="利用類型・利用開始状況",
        row_group_ja="利用者の範囲・導入段階",
    ),
    TableSpec(
        "T04",
        "政府職員の利用する生成AIシステムの取扱情報の機密性",
        title_has_as_of=True,
        column_group_ja="利用類型・利用開始状況",
        row_group_ja="情報の機密性",
    ),
    TableSpec(
        "T05",
        "政府の生成AIシステムの外部向けの利用類型・導入段階",
        title_has_as_of=True,
        column_group_ja="利用類型・利用開始状況",
    ),
    TableSpec("T06", "出力データの種類"),
    TableSpec("T07", "成果目標", column_group_ja="利用類型", row_group_ja="成果目標", count_header_ja="件数"),
    TableSpec(
        "T08",
        "利用廃止となった案件",
        column_group_ja="利用類型・利用開始状況",
        row_group_ja="利用者の範囲・導入段階",
    ),
    TableSpec("T09", "モデル利用状況", column_group_ja="利用類型", row_group_ja="モデル"),
)

TABLES_BY_ID = {spec.table_id: spec for spec in TABLES}


@dataclass
class GridCell:
    row: int
    col: int
    value: str | int | float | None
    # Headers: corner, group_header, column_header, row_group, row_label, total_label.
    # Figures: body, total (a 総計 row or column), prior (the previous report's row or column); a
    # figure cell may hold text: "37(18)", or "-" where the publication prints no figure.
    role: str
    row_span: int = 1
    col_span: int = 1
    is_share: bool = False

    @property
    def is_figure(self) -> bool:
        return self.role in ("body", "total", "prior")


@dataclass
class Grid:
    table_id: str
    n_rows: int
    n_cols: int
    header_rows: int
    label_cols: int
    cells: list[GridCell] = field(default_factory=list)

    def rows(self) -> list[list[GridCell]]:
        """The cells row by row, each row left to right (cells covered by a span are absent)."""
        by_row: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            by_row[cell.row].append(cell)
        return [sorted(row, key=lambda cell: cell.col) for row in by_row]


@dataclass
class TableContent:
    """One table of one period as the report prints it: title, ○ bullets, grid, editorial, ※ notes."""

    spec: TableSpec
    title_ja: str
    bullets: list[str]
    grid: Grid
    editorial: list[tuple[str, list[tuple[str, str]]]]  # (block heading, [(item kind, text)])
    footnotes: list[str]


def _column_levels(name: str, spec: TableSpec) -> list[str]:
    if spec.count_header_ja:
        if name.endswith(SHARE_SUFFIX):
            return [*name[: -len(SHARE_SUFFIX)].split("_"), "割合"]
        return [*name.split("_"), spec.count_header_ja]
    return name.split("_")


def _is_grouped(levels: list[str]) -> bool:
    return levels[0] not in TOTAL_NAMES + PRIOR_NAMES


def _merge_runs(keys: list[object]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


def build_grid(connection: duckdb.DuckDBPyConnection, spec: TableSpec, period_end: dt.date) -> Grid:
    require_relations(connection, f"marts.{spec.mart}")
    result = connection.execute(
        f"select * from marts.{spec.mart} where period_end = ? order by row_order", [period_end]
    )
    names = [column[0] for column in result.description]
    types = [str(column[1]) for column in result.description]
    records = result.fetchall()
    if not records:
        raise ExportError(f"marts.{spec.mart} has no rows for {period_end}")
    columns = [(name, kind) for name, kind in zip(names, types, strict=True) if name not in ("period_end", "row_order")]
    displays = {name[: -len(DISPLAY_SUFFIX)]: name for name, _ in columns if name.endswith(DISPLAY_SUFFIX)}
    label_names: list[str] = []
    for name, kind in columns:
        if "VARCHAR" not in kind.upper() and kind.upper() not in ("STRING", "STR"):
            break
        label_names.append(name)
    data_names = [name for name, _ in columns if name not in label_names and not name.endswith(DISPLAY_SUFFIX)]
    rows = [dict(zip(names, record, strict=True)) for record in records]

    levels = [_column_levels(name, spec) for name in data_names]
    depth = max([len(level) for level in levels if _is_grouped(level)] or [1])
    group_row = 1 if spec.column_group_ja and any(_is_grouped(level) for level in levels) else 0
    header_rows = group_row + depth
    row_group_col = 1 if spec.row_group_ja else 0
    label_cols = row_group_col + len(label_names)
    body_count = len(rows)
    grid = Grid(spec.table_id, header_rows + body_count, label_cols + len(data_names), header_rows, label_cols)
    cells = grid.cells

    # Header rows over the label columns.
    if spec.row_group_ja:
        cells.append(GridCell(0, 0, None, "corner", row_span=header_rows, col_span=label_cols))
    else:
        for index, name in enumerate(label_names):
            cells.append(GridCell(0, index, name, "column_header", row_span=header_rows))

    # Header rows over the figures: the group header, then one row per level of the column names,
    # adjacent columns with the same labels so far merged.
    grouped = [index for index, level in enumerate(levels) if _is_grouped(level)]
    if group_row and grouped:
        for start, length in _merge_runs([_is_grouped(level) for level in levels]):
            if _is_grouped(levels[start]):
                cells.append(GridCell(0, label_cols + start, spec.column_group_ja, "group_header", col_span=length))
    for depth_index in range(header_rows):
        keys = []
        for level in levels:
            if _is_grouped(level):
                row_of_level = depth_index - group_row
                keys.append((True, tuple(level[: row_of_level + 1])) if 0 <= row_of_level < len(level) else None)
            else:
                # An ungrouped column (総計, 前回報告件数) fills the header from the top; its last
                # levels (T07: 件数 / 割合) sit on the bottom rows.
                first_rows = header_rows - (len(level) - 1)
                if depth_index == 0:
                    keys.append((False, tuple(level[:1]), first_rows))
                elif depth_index >= first_rows:
                    keys.append((False, tuple(level[: depth_index - first_rows + 2])))
                else:
                    keys.append(None)
        for start, length in _merge_runs(keys):
            key = keys[start]
            if key is None:
                continue
            level = levels[start]
            if key[0]:
                row_of_level = depth_index - group_row
                text = level[row_of_level]
                row_span = header_rows - depth_index if row_of_level == len(level) - 1 else 1
            else:
                text = key[1][-1]
                row_span = key[2] if len(key) == 3 else 1
            cells.append(GridCell(depth_index, label_cols + start, text, "column_header", row_span, length))

    # Body: label columns (repeated labels merged, totals spanning every label column), figures.
    kinds = []
    for row in rows:
        first = row[label_names[0]]
        kinds.append("total" if first in TOTAL_NAMES else "prior" if first in PRIOR_NAMES else "body")
    body_indexes = [index for index, kind in enumerate(kinds) if kind == "body"]
    if spec.row_group_ja and body_indexes:
        cells.append(GridCell(header_rows, 0, spec.row_group_ja, "row_group", row_span=len(body_indexes)))
    for label_index, name in enumerate(label_names):
        keys = [
            (
                kinds[index],
                tuple(row[label] for label in label_names[: label_index + 1]),
                index if label_index == len(label_names) - 1 or kinds[index] != "body" else None,
            )
            for index, row in enumerate(rows)
        ]
        for start, length in _merge_runs(keys):
            kind = kinds[start]
            if kind != "body":
                if label_index == 0:
                    cells.append(
                        GridCell(header_rows + start, 0, rows[start][name], "total_label", col_span=label_cols)
                    )
                continue
            cells.append(
                GridCell(header_rows + start, row_group_col + label_index, rows[start][name], "row_label", length)
            )
    for index, row in enumerate(rows):
        for column_index, (name, level) in enumerate(zip(data_names, levels, strict=True)):
            value = row[name]
            display = row.get(displays[name]) if name in displays else None
            is_prior_column = level[0] in PRIOR_NAMES
            role = (
                "prior"
                if kinds[index] == "prior" or is_prior_column
                else "total"
                if kinds[index] == "total" or not _is_grouped(level)
                else "body"
            )
            if value is None:
                # The publication's "-": the 総計 row under 前回報告件数 and the other way round.
                shown = display if display is not None else "-"
            elif display is not None and display != str(value):
                shown = display  # 37(18): the count with its distinct ministries
            elif isinstance(value, float):
                shown = float(value)
            else:
                shown = int(value)
            cells.append(
                GridCell(
                    header_rows + index,
                    label_cols + column_index,
                    shown,
                    role,
                    is_share=name.endswith(SHARE_SUFFIX),
                )
            )
    return grid


def _bullets(connection: duckdb.DuckDBPyConnection, table_id: str, period_end: dt.date) -> list[str]:
    if not relation_exists(connection, "marts", "rpt_bullets"):
        return []
    rows = connection.execute(
        "select text_ja from marts.rpt_bullets where table_id = ? and period_end = ? order by bullet_order",
        [table_id, period_end],
    ).fetchall()
    return [text for (text,) in rows]


def _footnotes(connection: duckdb.DuckDBPyConnection, table_id: str, period_end: dt.date) -> list[str]:
    if not relation_exists(connection, "marts", "rpt_footnotes"):
        return []
    rows = connection.execute(
        "select text_ja from marts.rpt_footnotes where table_id = ? and period_end = ? order by footnote_order",
        [table_id, period_end],
    ).fetchall()
    return [text for (text,) in rows]


def _editorial(
    connection: duckdb.DuckDBPyConnection, table_id: str, period_end: dt.date
) -> list[tuple[str, list[tuple[str, str]]]]:
    if not relation_exists(connection, "editorial", "editorial_content"):
        return []
    rows = fetch_dicts(
        connection,
        "select block_order, block_ja, item_order, item_kind, text_ja from editorial.editorial_content "
        "where table_id = ? and period_end = ? order by block_order, item_order",
        [table_id, period_end],
    )
    blocks: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for row in rows:
        blocks.setdefault(row["block_order"], (row["block_ja"], []))[1].append((row["item_kind"], row["text_ja"]))
    return list(blocks.values())


def table_contents(connection: duckdb.DuckDBPyConnection, period: Period) -> list[TableContent]:
    """Every table T01–T09 of the period, in the report's order."""
    CodeLabels(connection, period.period_end)  # fails early, and clearly, on a warehouse without layouts
    return [
        TableContent(
            spec=spec,
            title_ja=spec.title_for(period),
            bullets=_bullets(connection, spec.table_id, period.period_end),
            grid=build_grid(connection, spec, period.period_end),
            editorial=_editorial(connection, spec.table_id, period.period_end),
            footnotes=_footnotes(connection, spec.table_id, period.period_end),
        )
        for spec in TABLES
    ]


def headline(connection: duckdb.DuckDBPyConnection, period_end: dt.date) -> list[str]:
    """The headline sentences (rpt_headline), in the publication's order."""
    require_relations(connection, "marts.rpt_headline")
    rows = connection.execute(
        "select sentence_ja from marts.rpt_headline "
        "where period_end = ? and headline_order is not null and sentence_ja is not null "
        "order by headline_order",
        [period_end],
    ).fetchall()
    return [text for (text,) in rows]
