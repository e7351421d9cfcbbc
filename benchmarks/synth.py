"""Synthetic submissions at any size: one file per (period, ministry), every value a valid spelling.

DuckDB writes each file with ``COPY (select ... from range(n)) TO ...``, so memory stays bounded by
one file's row group whatever the total size. Values are deterministic functions of (ministry, case
number, column): a case keeps its attributes from period to period, a window of case numbers slides
by 1/20 of the file each period (new cases enter, the oldest leave, half of those leaving are
marked 利用廃止 in their last period), and start timing moves to 利用開始済み as a case ages. About
1% of each optional dimension is blank, so the footnote exclusions are exercised at every size.

Spellings mix labels, short forms, report numbering and canonical codes from the seeds, and start
timing labels name the period's own fiscal year, so every row is accepted (a reject fails the build).
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb

from genai_report import contract
from genai_report.contract import Ministry, Period, sql_string
from genai_report.landing import CONTRACT_HEADERS

#: spellings per canonical code (any of them must normalise to the code on every form).
SPELLINGS: dict[str, list[list[str]]] = {
    "usage_type": [
        ["汎用型1", "汎用1", "GENERAL_1", "汎用型１"],
        ["汎用型2", "汎用2", "GENERAL_2"],
        ["特化型1", "特化1", "SPECIFIC_1"],
        ["特化型2", "特化2"],
        ["その他"],
    ],
    "user_scope": [
        ["単一府省庁のみ-課室単位以下", "1", "SINGLE_DIVISION"],
        ["単一府省庁のみ-部局単位 (複数部局での利用を含む)", "2"],
        ["単一府省庁のみ-全体", "3", "SINGLE_MINISTRY_WIDE"],
        ["複数府省庁まで (独法や地方公共団体等を含まない)", "4"],
        ["行政関係者まで (独法や地方公共団体等を含む)", "5"],
        ["外部 (特定少数)", "6"],
        ["外部 (不特定多数)", "7"],
        ["8", "OTHER"],
    ],
    "stage": [["常用段階", "常用", "PRODUCTION"], ["検証段階", "検証", "POC"]],
    "confidentiality": [
        ["機密性1情報のみ取り扱う", "1", "機密性1のみ", "C1_ONLY"],
        ["機密性2情報や個人情報を利用者が指示文に入力する", "2", "C2_PROMPT"],
        ["機密性2情報や個人情報を参照して回答を生成する", "3"],
        ["4", "C2_TRAINING"],
    ],
    "outcome_goal": [["定量成果目標あり", "定量"], ["定性成果目標あり", "定性"], ["成果目標なし", "なし"]],
    "output_type": [
        ["テキスト出力のみ", "1", "テキストのみ"],
        ["用途に音声を含む", "2"],
        ["用途に画像を含む", "3"],
        ["機能に音声・画像を含む", "4"],
        ["5"],
        ["6"],
    ],
}
#: weights of the codes above (same order), out of their sum.
WEIGHTS: dict[str, list[int]] = {
    "usage_type": [40, 25, 20, 10, 5],
    "user_scope": [30, 20, 20, 8, 7, 6, 4, 5],
    "stage": [70, 30],
    "confidentiality": [45, 30, 20, 5],
    "outcome_goal": [40, 40, 20],
    "output_type": [70, 8, 8, 6, 4, 4],
}
MODEL_NAMES = [
    "GPT-4o (Azure OpenAI)",
    "Claude Sonnet 4",
    "Gemini 2.5 Pro",
    "Microsoft 365 Copilot",
    "tsuzumi",
    "独自モデル",
]
#: per mille of rows with each column of the exclusion order blank.
BLANK_PER_MILLE = {blank.column: 8 for blank in contract.EXCLUSION_ORDER}


@dataclass
class Landing:
    root: Path
    rows: int
    files: int
    periods: list[str]
    bytes: int


def read_periods(seeds_dir: Path) -> list[Period]:
    # The benchmark's project snapshot rewrites its periods seed between runs of one process.
    contract.seed_rows.cache_clear()
    return list(contract.periods(seeds_dir / "reference").values())


def read_ministries(seeds_dir: Path) -> list[Ministry]:
    return list(contract.ministries(seeds_dir / "reference"))


def _list(items: list[str]) -> str:
    return "[" + ", ".join(sql_string(s) for s in items) + "]"


def _pick(column: str, salt: str) -> str:
    """SQL: a spelling of a weighted code of ``column``, stable per (ministry, case)."""
    weights = WEIGHTS[column]
    total = sum(weights)
    branches = []
    upper = 0
    for spellings, weight in zip(SPELLINGS[column], weights, strict=True):
        upper += weight
        index = f"1 + (hash(m, c, 'v{salt}') % {len(spellings)})::bigint"
        branches.append(f"when hash(m, c, '{salt}') % {total} < {upper} then {_list(spellings)}[{index}]")
    return "case " + " ".join(branches) + " end"


def _blank(column: str, expr: str) -> str:
    return f"case when hash(m, c, 'blank_{column}') % 1000 < {BLANK_PER_MILLE[column]} then null else {expr} end"


#: per-case attributes: everything except what depends on the period (start timing, 廃止, risk).
_CASE_COLUMNS = {
    "ministry_pick": "hash(m, c, 'min') % 10",
    "case_name": "'案件' || cast(c as varchar)",
    "usage_type": _pick("usage_type", "ut"),
    "start_blank": f"hash(m, c, 'blank_start_timing') % 1000 < {BLANK_PER_MILLE['start_timing']}",
    "start_delay": "hash(m, c, 'delay') % 8",
    "started_variant": "1 + (hash(m, c, 'vst') % 4)::bigint",
    "not_started_kind": "(hash(m, c, 'ns') % 4)::bigint",
    "not_started_variant": "(hash(m, c, 'vns') % 6)::bigint",
    "user_scope": _blank("user_scope", _pick("user_scope", "us")),
    "stage": _blank("stage", _pick("stage", "sg")),
    "confidentiality": _blank("confidentiality", _pick("confidentiality", "cf")),
    "outcome_goal": _blank("outcome_goal", _pick("outcome_goal", "og")),
    "outcome_goal_text": "case when hash(m, c, 'ogt') % 4 = 0 then '処理時間を' || (hash(m, c) % 90 + 10) || '%削減' "
    "end",
    "output_type": f"case when hash(m, c, 'ot0') % 100 < 3 then null else {_pick('output_type', 'ot')} end",
    "model_name": "case when hash(m, c, 'mn0') % 100 < 5 then null else "
    f"{_list(MODEL_NAMES)}[1 + (hash(m, c, 'mn') % {len(MODEL_NAMES)})::bigint] end",
    "discontinue_when_leaving": "hash(m, c, 'dc') % 2 = 0",
    "risk_base": "(hash(m, c, 'ri') % 50)::bigint",
    "high_risk": "case hash(m, c, 'hr') % 20 when 0 then '該当' else '非該当' end",
}
_STARTED = ["利用開始済み", "1. 利用開始済み", "開始済", "STARTED"]


def _start_timing(period: Period) -> str:
    """SQL: the start timing a case gives in ``period``: started once it is older than its delay."""
    fy = period.fiscal_year_reiwa
    kinds = [
        [f"令和{fy}年度中に利用開始予定", "WITHIN_FY", f"令和{fy}年度中", f"2{fy + 18:03d}年度中"],
        [f"令和{fy + 1}年度以降に利用開始予定", "LATER_FY", f"令和{fy + 1}年度以降"],
        ["未定・その他", "未定", "UNDECIDED"],
    ]
    # The fourth kind is WITHIN_CY where the form offers it, WITHIN_FY elsewhere.
    kinds.append(
        [f"令和{fy}年中に利用開始予定", "WITHIN_CY"] if period.form_version == "with_calendar_year" else kinds[0]
    )
    not_started = " ".join(
        f"when {k} then {_list(spellings)}[1 + not_started_variant % {len(spellings)}]"
        for k, spellings in enumerate(kinds)
    )
    return (
        "case when start_blank then null "
        f"when age > start_delay then {_list(_STARTED)}[started_variant] "
        f"else case not_started_kind {not_started} end end"
    )


@dataclass
class Plan:
    """Rows per [period][ministry] and each ministry's case window shift (cases per period that turn over)."""

    counts: list[list[int]]
    shifts: list[int]

    def cases_needed(self, ministry_index: int) -> int:
        last = len(self.counts) - 1
        return last * self.shifts[ministry_index] + max(row[ministry_index] for row in self.counts)


def allocate(total: int, n_periods: int, n_ministries: int) -> Plan:
    """Rows per [period][ministry]: ministries weighted 1..5 (unequal sizes), exact total."""
    weights = [1 + (k % 5) for k in range(n_ministries)]
    weight_sum = sum(weights) * n_periods
    exact = [(total * weights[m] / weight_sum, p, m) for p in range(n_periods) for m in range(n_ministries)]
    counts = [[0] * n_ministries for _ in range(n_periods)]
    for x, p, m in exact:
        counts[p][m] = int(x)
    short = total - sum(map(sum, counts))
    for _x, p, m in sorted(exact, key=lambda t: t[0] - int(t[0]), reverse=True)[:short]:
        counts[p][m] += 1
    shifts = [max(1, math.ceil(max(row[m] for row in counts) / 20)) for m in range(n_ministries)]
    return Plan(counts, shifts)


def default_period_count(total_rows: int, available: int) -> int:
    """Periods to spread ``total_rows`` over: about 10+ rows per ministry file, 2 .. all periods."""
    return max(2, min(available, total_rows // 250))


class Generator:
    """Writes landing files from a table of per-case attributes computed once (DuckDB, in memory)."""

    def __init__(self, ministries: list[Ministry], plan: Plan, extra_periods: int = 0):
        self.ministries = ministries
        self.plan = plan
        self.con = duckdb.connect()
        self.con.execute("set preserve_insertion_order = true")
        needed = [plan.cases_needed(m) + extra_periods * plan.shifts[m] for m in range(len(ministries))]
        sizes = ", ".join(f"({m}, {n})" for m, n in enumerate(needed))
        attributes = ",\n    ".join(f"{expr} as {name}" for name, expr in _CASE_COLUMNS.items())
        self.con.execute(
            f"""
create table cases as
with ids as (
    select m, unnest(range(n)) as c from (values {sizes}) as v(m, n)
)
select m, c,
    {attributes}
from ids
order by m, c
"""
        )

    def close(self) -> None:
        self.con.close()

    def file_sql(self, period: Period, period_index: int, ministry_index: int, rows: int) -> str:
        ministry = self.ministries[ministry_index]
        shift = self.plan.shifts[ministry_index]
        first = period_index * shift
        h = CONTRACT_HEADERS
        columns = {
            "ministry": f"case when ministry_pick = 0 then {sql_string(ministry.code)} "
            f"else {sql_string(ministry.name_ja)} end",
            "case_id": f"{sql_string(ministry.code + '-')} || lpad(cast(c as varchar), 7, '0')",
            "case_name": "case_name",
            "usage_type": "usage_type",
            "start_timing": _start_timing(period),
            "user_scope": "user_scope",
            "stage": "stage",
            "confidentiality": "confidentiality",
            "outcome_goal": "outcome_goal",
            "outcome_goal_text": "outcome_goal_text",
            "output_type": "output_type",
            "model_name": "model_name",
            # The oldest `shift` cases of the window leave after this period; half are marked 廃止.
            "discontinued": f"case when c < {first + shift} and discontinue_when_leaving then '廃止' end",
            "risk_incident": f"case (risk_base + {period_index * 7}) % 50 when 0 then 'あり' when 1 then null "
            "else 'なし' end",
            "high_risk": "high_risk",
        }
        select = ",\n    ".join(f'{expr} as "{h[name]}"' for name, expr in columns.items())
        return f"""
select
    {select}
from (
    select *, {period_index} - (c // {shift}) + 20 as age
    from cases
    where m = {ministry_index} and c >= {first} and c < {first + rows}
)
order by c
"""

    def write_file(self, path: Path, period: Period, period_index: int, ministry_index: int, rows: int) -> int:
        """One ministry's file; the kind (see FORM_KINDS) is given by the name: ``<code>.<kind>.<ext>``."""
        kind = path.suffix.lstrip(".")
        if kind == "csv" and path.name.count(".") >= 2:
            kind = path.name.split(".")[-2]  # utf8 | bom | cp932
        sql = self.file_sql(period, period_index, ministry_index, rows)
        if kind == "parquet":
            self.con.execute(f"copy ({sql}) to {sql_string(str(path))} (format parquet, compression zstd)")
        elif kind == "xlsx":
            _write_xlsx(self.con, sql, path, f"令和{period.fiscal_year_reiwa}年度 生成AIシステム定期報告")
        else:
            self.con.execute(f"copy ({sql}) to {sql_string(str(path))} (format csv, header true)")
            if kind in ("bom", "cp932"):  # re-encoded as Excel on Japanese Windows saves them
                text = path.read_bytes().decode("utf-8").replace("\n", "\r\n")
                path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8") if kind == "bom" else text.encode("cp932"))
        return path.stat().st_size

    def write_period(
        self, root: Path, period: Period, period_index: int, fmt: str = "parquet", xlsx: bool = True
    ) -> tuple[int, int]:
        """Every ministry's file for one period -> (rows, bytes). ``fmt`` "forms": each ministry sends
        the kind FORM_KINDS gives it (CSV UTF-8 / UTF-8 with BOM / CP932, XLSX unless ``xlsx`` is False)."""
        folder = root / period.period_end
        folder.mkdir(parents=True, exist_ok=True)
        rows = size = 0
        counts = self.plan.counts[min(period_index, len(self.plan.counts) - 1)]
        kinds = FORM_KINDS if xlsx else FORM_KINDS[:3]
        for m, ministry in enumerate(self.ministries):
            if counts[m]:
                suffix = kinds[m % len(kinds)] if fmt == "forms" else f".{fmt}"
                name = ministry.code.lower() + suffix
                size += self.write_file(folder / name, period, period_index, m, counts[m])
                rows += counts[m]
        return rows, size


#: the file kinds ministries send, by ministry (index modulo their number): the suffix of the file name.
FORM_KINDS = (".utf8.csv", ".bom.csv", ".cp932.csv", ".form.xlsx")


def _write_xlsx(con: duckdb.DuckDBPyConnection, sql: str, path: Path, title: str) -> None:
    """An XLSX as ministries fill in the form: a title row, then the header row (with a line break in
    one header), then the rows; written row by row (openpyxl write-only), fetched in batches."""
    import openpyxl

    result = con.execute(sql)
    header = [c[0] for c in result.description]
    header[4] = header[4][:4] + "\n" + header[4][4:]  # 利用開始\n時期: tolerated by the header rule
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("報告様式")
    sheet.append([title])
    sheet.append(header)
    while batch := result.fetchmany(10_000):
        for row in batch:
            sheet.append(row)
    workbook.save(path)


def write_landing(
    root: Path,
    total_rows: int,
    periods: list[Period],
    ministries: list[Ministry],
    fmt: str = "parquet",
    xlsx: bool = True,
) -> Landing:
    """Write ``total_rows`` case rows over ``periods`` x ``ministries`` under ``root/<period>/``.

    ``fmt``: "parquet", "csv" (UTF-8) or "forms" (as ministries send them: CSV in three encodings and
    XLSX; ``xlsx=False`` leaves XLSX out, for sizes where openpyxl would take too long to write)."""
    if fmt not in ("parquet", "csv", "forms"):
        raise ValueError(fmt)
    root.mkdir(parents=True, exist_ok=True)
    plan = allocate(total_rows, len(periods), len(ministries))
    generator = Generator(ministries, plan)
    files = size = rows = 0
    try:
        for p, period in enumerate(periods):
            r, b = generator.write_period(root, period, p, fmt, xlsx)
            rows += r
            size += b
            files += sum(1 for n in plan.counts[p] if n)
    finally:
        generator.close()
    assert rows == total_rows, (rows, total_rows)
    return Landing(root, total_rows, files, [p.period_end for p in periods], size)
