"""The report's tables as grids of cells, laid out from the cube (marts.report_cells) as the report
contract says (genai_report.contract.TABLES: each table's row and column dimensions, headers and
layout options, vars.report in dbt_project.yml).

Body rows are the cube's rows where every row dimension is a code, the 総計 row where every one is
the total (``_T``); the figures' columns are every combination of the column dimensions' codes
that every form offers (the code_lists seed), then the total column and, where the layout asks, the
previous period's figures. Row labels are the codes as the period's form prints them
(marts.rpt_code_labels). The grid adds the headers the publication prints around the figures and
merges repeated labels. The workbook and the HTML report render the same grid, so they cannot
disagree. No case is counted here: every figure is a cell of the cube (a T07 share divides two).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from genai_report import contract
from genai_report.exports.common import (
    CodeLabels,
    ExportError,
    Period,
    fetch_dicts,
    relation_exists,
    require_relations,
)

#: The layout's defaults where the contract's table entry says nothing (as macros/layouts/report_layout.sql).
DEFAULT_PRIOR_LABEL = contract.PRIOR_LABEL_JA
DEFAULT_TOTAL_LABEL = contract.TOTAL_LABEL_JA
#: The label of the row where every row dimension is the total.
TOTAL_ROW_LABEL = contract.TOTAL_LABEL_JA
#: The sub-header of a share column (layout.shares).
SHARE_HEADER_JA = "割合"
CASE_COUNT = "case_count"
MINISTRY_COUNT = "ministry_count"


@dataclass(frozen=True)
class TableSpec:
    """One table of the report contract with its layout options."""

    table: contract.Table

    def _option(self, name: str, default: object = None) -> object:
        return self.table.layout.get(name, default)

    @property
    def table_id(self) -> str:
        return self.table.table_id

    @property
    def title_ja(self) -> str:
        return self.table.title_ja

    @property
    def column_group_ja(self) -> str | None:
        """Header spanning the figures' columns (利用類型 / 利用類型・利用開始状況)."""
        return self._option("column_group_ja")

    @property
    def row_group_ja(self) -> str | None:
        """Header down the left of the body rows (利用開始時期); None: label columns headed each (T05)."""
        return self._option("row_group_ja")

    @property
    def prior_label(self) -> str:
        return self._option("prior_label", DEFAULT_PRIOR_LABEL)

    @property
    def total_label(self) -> str:
        return self._option("total_label", DEFAULT_TOTAL_LABEL)

    def title_for(self, period: Period) -> str:
        # The publication states the period in the title of the tables about government staff.
        return f"{self.title_ja}（{period.as_of_label_ja}）" if self._option("title_has_as_of") else self.title_ja


TABLES: tuple[TableSpec, ...] = tuple(TableSpec(table) for table in contract.TABLES)


@dataclass(frozen=True)
class LayoutColumn:
    """A printed column of figures: its header texts top to bottom and which cells it holds."""

    levels: tuple[str, ...]
    kind: str  # body (one combination of column codes), total, prior (the previous period's totals)
    codes: tuple[str, ...]  # the column dimensions' codes (_T for the total and prior columns)
    is_share: bool = False


@dataclass(frozen=True)
class LayoutRow:
    kind: str  # body, total, prior (the previous period's 総計 row)
    codes: tuple[str, ...]  # the row dimensions' codes (_T on the total and prior rows)
    labels: tuple[str | None, ...]  # one per label column
    # One per column: a number, a text ("37(18)": the count with its distinct ministries) or None
    # where the publication prints no figure ("-").
    figures: tuple[int | float | str | None, ...]


@dataclass(frozen=True)
class TableLayout:
    spec: TableSpec
    label_headers: tuple[str, ...]
    columns: tuple[LayoutColumn, ...]
    rows: tuple[LayoutRow, ...]


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


# --------------------------------------------------------------------------------------------
# The table from the cube
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    printed_ja: str | None = None
    display_order: int | None = None
    detail_ja: str | None = None


def _code_labels(connection: duckdb.DuckDBPyConnection, period_end: dt.date) -> dict[tuple[str, str], _Label]:
    require_relations(connection, "marts.rpt_code_labels")
    rows = connection.execute(
        "select code_list, code, printed_label_ja, display_order, detail_ja from marts.rpt_code_labels "
        "where period_end = ?",
        [period_end],
    ).fetchall()
    return {(code_list, code): _Label(printed, order, detail) for code_list, code, printed, order, detail in rows}


def _cube(
    connection: duckdb.DuckDBPyConnection, table: contract.Table, period_end: dt.date
) -> dict[tuple[str, tuple[str, ...]], tuple[int | None, int | None]]:
    """(measure, the table's dimension codes in contract order) -> (value, prior_value)."""
    require_relations(connection, "marts.report_cells")
    names = ", ".join(table.dimension_names)
    rows = connection.execute(
        f"select measure, {names}, value, prior_value from marts.report_cells where table_id = ? and period_end = ?",
        [table.table_id, period_end],
    ).fetchall()
    return {(row[0], tuple(row[1:-2])): (row[-2], row[-1]) for row in rows}


def _cell_key(table: contract.Table, row_codes: tuple[str, ...], column_codes: tuple[str, ...]) -> tuple[str, ...]:
    by_name = dict(zip([d.name for d in table.rows], row_codes, strict=True))
    by_name.update(zip([d.name for d in table.columns], column_codes, strict=True))
    return tuple(by_name[name] for name in table.dimension_names)


def _figure_columns(spec: TableSpec) -> list[LayoutColumn]:
    """Every combination of the column dimensions' codes (those every form offers, in display
    order, headed by their labels), then the total column, then the previous period's totals."""
    table = spec.table
    combinations: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((), ())] if table.columns else []
    for dimension in table.columns:
        entries = [e for e in contract.codes(dimension.name) if e.offered_on_form == contract.ALL_FORMS]
        combinations = [(levels + (e.label_ja,), codes + (e.code,)) for levels, codes in combinations for e in entries]
    totals = (contract.TOTAL,) * len(table.columns)
    columns = [LayoutColumn(levels, "body", codes) for levels, codes in combinations]
    columns.append(LayoutColumn((spec.total_label,), "total", totals))
    if spec.table.layout.get("shares"):
        count_header = spec.table.layout.get("count_header_ja")
        columns = [
            shown
            for column in columns
            for shown in (
                LayoutColumn(column.levels + ((count_header,) if count_header else ()), column.kind, column.codes),
                LayoutColumn(column.levels + (SHARE_HEADER_JA,), column.kind, column.codes, is_share=True),
            )
        ]
    if spec.table.layout.get("prior_column"):
        columns.append(LayoutColumn((spec.prior_label,), "prior", totals))
    return columns


def _share_base(
    connection: duckdb.DuckDBPyConnection, spec: TableSpec, period_end: dt.date
) -> dict[tuple[str, ...], int | None]:
    """The denominators of a table's shares: per column, the cases of its population, read from the
    total row of the table that counts that population without excluding any case (T01)."""
    base = next(t for t in contract.TABLES if t.population == spec.table.population and not t.blank_excludes)
    cube = _cube(connection, base, period_end)
    row_totals = (contract.TOTAL,) * len(base.rows)
    return {
        column.codes: cube.get((CASE_COUNT, _cell_key(base, row_totals, column.codes)), (None, None))[0]
        for column in _figure_columns(spec)
        if column.kind != "prior"
    }


def table_layout(connection: duckdb.DuckDBPyConnection, spec: TableSpec, period_end: dt.date) -> TableLayout:
    """The table of one period as printed: its label headers, figure columns and rows."""
    table, layout = spec.table, spec.table.layout
    cube = _cube(connection, table, period_end)
    if not cube:
        raise ExportError(f"marts.report_cells has no cells of {table.table_id} for {period_end}")
    labels = _code_labels(connection, period_end)
    columns = _figure_columns(spec)
    row_dimensions = [dimension.name for dimension in table.rows]
    totals = (contract.TOTAL,) * len(row_dimensions)

    # The cube also holds partial totals (one user scope over both stages); the publication prints
    # the rows where every row dimension is a code.
    def printed(codes: tuple[str, ...]) -> list[_Label]:
        return [labels.get((d, code), _Label()) for d, code in zip(row_dimensions, codes, strict=True)]

    row_codes = {tuple(key[table.dimension_names.index(d)] for d in row_dimensions) for _, key in cube}
    body_codes = sorted(
        (codes for codes in row_codes if contract.TOTAL not in codes),
        key=lambda codes: [(label.display_order is None, label.display_order) for label in printed(codes)],
    )

    def value(measure: str, row_codes: tuple[str, ...], column: LayoutColumn, prior: bool = False) -> int | None:
        cell = cube.get((measure, _cell_key(table, row_codes, column.codes)))
        return None if cell is None else cell[1 if prior else 0]

    total_column = next(column for column in columns if column.kind == "total")
    if layout.get("omit_empty_row_groups"):
        # The publication leaves out a row group that has no case in any of its rows.
        group_totals: dict[str, int] = {}
        for codes in body_codes:
            count = value(CASE_COUNT, codes, total_column)
            if count is not None:
                group_totals[codes[0]] = group_totals.get(codes[0], 0) + count
        body_codes = [codes for codes in body_codes if group_totals.get(codes[0], 0) > 0]

    shares = _share_base(connection, spec, period_end) if layout.get("shares") else {}
    counted_rows = set(table.ministry_count_rows)

    def figures(kind: str, codes: tuple[str, ...]) -> tuple[int | float | str | None, ...]:
        shown: list[int | float | str | None] = []
        for column in columns:
            if column.kind == "prior":
                if kind == "total" and layout.get("prior_row"):
                    # The previous grand total is printed once, where the 前回報告件数 row meets the
                    # 前回報告件数 column; the 総計 row shows "-" there.
                    figure = None
                else:
                    figure = value(CASE_COUNT, codes, total_column, prior=True)
            elif kind == "prior":
                figure = (
                    None
                    if column.kind == "total" and layout.get("prior_column")
                    else value(CASE_COUNT, codes, column, prior=True)
                )
            else:
                figure = value(CASE_COUNT, codes, column)
            if column.is_share:
                base = shares.get(column.codes)
                figure = figure / base if figure is not None and base else None
            elif kind == "body" and column.kind != "body" and codes[0] in counted_rows and figure is not None:
                ministries = value(MINISTRY_COUNT, codes, total_column, prior=column.kind == "prior")
                if ministries is not None:
                    figure = f"{figure}({ministries})"
            shown.append(figure)
        return tuple(shown)

    def row_labels(kind: str, codes: tuple[str, ...]) -> tuple[str | None, ...]:
        code_labels = printed(codes)
        texts = [label.printed_ja for label in code_labels]
        texts[0] = {"total": TOTAL_ROW_LABEL, "prior": spec.prior_label}.get(kind, texts[0])
        if layout.get("detail_header_ja"):
            texts.append(code_labels[0].detail_ja)
        return tuple(texts)

    rows = [LayoutRow("body", codes, row_labels("body", codes), figures("body", codes)) for codes in body_codes]
    rows.append(LayoutRow("total", totals, row_labels("total", totals), figures("total", totals)))
    if layout.get("prior_row"):
        rows.append(LayoutRow("prior", totals, row_labels("prior", totals), figures("prior", totals)))
    headers = [dimension.header_ja or dimension.name for dimension in table.rows]
    if layout.get("detail_header_ja"):
        headers.append(layout["detail_header_ja"])
    return TableLayout(spec, tuple(headers), tuple(columns), tuple(rows))


# --------------------------------------------------------------------------------------------
# The grid: headers, merged labels and figures
# --------------------------------------------------------------------------------------------


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
    layout = table_layout(connection, spec, period_end)
    label_names = layout.label_headers
    rows = layout.rows
    levels = [list(column.levels) for column in layout.columns]
    grouped = [column.kind == "body" for column in layout.columns]
    depth = max([len(level) for level, is_grouped in zip(levels, grouped, strict=True) if is_grouped] or [1])
    group_row = 1 if spec.column_group_ja and any(grouped) else 0
    header_rows = group_row + depth
    row_group_col = 1 if spec.row_group_ja else 0
    label_cols = row_group_col + len(label_names)
    grid = Grid(spec.table_id, header_rows + len(rows), label_cols + len(levels), header_rows, label_cols)
    cells = grid.cells

    # Header rows over the label columns.
    if spec.row_group_ja:
        cells.append(GridCell(0, 0, None, "corner", row_span=header_rows, col_span=label_cols))
    else:
        for index, name in enumerate(label_names):
            cells.append(GridCell(0, index, name, "column_header", row_span=header_rows))

    # Header rows over the figures: the group header, then one row per level of the column headers,
    # adjacent columns with the same labels so far merged.
    if group_row:
        for start, length in _merge_runs(grouped):
            if grouped[start]:
                cells.append(GridCell(0, label_cols + start, spec.column_group_ja, "group_header", col_span=length))
    for depth_index in range(header_rows):
        keys = []
        for level, is_grouped in zip(levels, grouped, strict=True):
            if is_grouped:
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
    kinds = [row.kind for row in rows]
    body_count = kinds.count("body")
    if spec.row_group_ja and body_count:
        cells.append(GridCell(header_rows, 0, spec.row_group_ja, "row_group", row_span=body_count))
    for label_index in range(len(label_names)):
        keys = [
            (
                row.kind,
                row.labels[: label_index + 1],
                index if label_index == len(label_names) - 1 or row.kind != "body" else None,
            )
            for index, row in enumerate(rows)
        ]
        for start, length in _merge_runs(keys):
            row = rows[start]
            if row.kind != "body":
                if label_index == 0:
                    cells.append(GridCell(header_rows + start, 0, row.labels[0], "total_label", col_span=label_cols))
                continue
            cells.append(
                GridCell(header_rows + start, row_group_col + label_index, row.labels[label_index], "row_label", length)
            )
    for index, row in enumerate(rows):
        for column_index, (column, figure) in enumerate(zip(layout.columns, row.figures, strict=True)):
            role = (
                "prior"
                if row.kind == "prior" or column.kind == "prior"
                else "total"
                if row.kind == "total" or column.kind != "body"
                else "body"
            )
            cells.append(
                GridCell(
                    header_rows + index,
                    label_cols + column_index,
                    "-" if figure is None else figure,
                    role,
                    is_share=column.is_share,
                )
            )
    return grid


def _texts(
    connection: duckdb.DuckDBPyConnection, relation: str, order: str, table_id: str, period_end: dt.date
) -> list[str]:
    """A table's texts of one period in a text mart (○ bullets, ※ footnotes); none without the mart."""
    if not relation_exists(connection, "marts", relation):
        return []
    rows = connection.execute(
        f"select text_ja from marts.{relation} where table_id = ? and period_end = ? order by {order}",
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
            bullets=_texts(connection, "rpt_bullets", "bullet_order", spec.table_id, period.period_end),
            grid=build_grid(connection, spec, period.period_end),
            editorial=_editorial(connection, spec.table_id, period.period_end),
            footnotes=_texts(connection, "rpt_footnotes", "footnote_order", spec.table_id, period.period_end),
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
