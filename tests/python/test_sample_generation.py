"""The shipped sample submissions: reproducible, and reproducing the publication.

(a) Regenerating with the default seed into a temporary directory gives the committed landing
    files, ground truth and errata byte for byte (run-time lines of the report excepted).
(b) Every table T01-T06 and T08 is recomputed from data/sample_truth/cases.csv with pandas,
    independently of the generator's own tabulation and of any dbt model, and compared with the
    transcription in seeds/published/: 2025-09-30 exactly; 2025-12-31 exactly except the cells
    listed in published_errata.csv, whose number of body cells is the proven minimum.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from genai_report.sample import DEFAULT_SEED, generate
from genai_report.sample.generate import ERRATA_SEED
from genai_report.sample.published import load_cells
from genai_report.sample.report import TIMING_MARK
from genai_report.sample.solver import prove_minimum

ROOT = Path(__file__).resolve().parents[2]
LANDING = ROOT / "data" / "landing"
TRUTH = ROOT / "data" / "sample_truth" / "cases.csv"
SEED = ROOT / "seeds" / "published"
#: the generated seed (its own folder among the hand-typed ones)
ERRATA = Path("seeds/published/generated/published_errata.csv")
PERIODS = ["2025-09-30", "2025-12-31"]
SEP, DEC = PERIODS
# Independent oracle: the scopes, dimensions and tables of docs/spec/report-tables.md, not read from the contract.
EXTERNAL = {"EXTERNAL_SPECIFIC", "EXTERNAL_PUBLIC"}
DIMS = ["usage_type", "start_timing", "start_status", "user_scope", "stage", "confidentiality", "output_type"]
TABLE_DIMS = {
    "T01": ["usage_type", "start_timing"],
    "T02": ["usage_type", "start_status", "user_scope"],
    "T03": ["usage_type", "start_status", "user_scope", "stage"],
    "T04": ["usage_type", "start_status", "confidentiality"],
    "T05": ["usage_type", "start_status", "user_scope", "stage"],
    "T06": ["output_type"],
    "T08": ["usage_type", "start_status", "user_scope", "stage"],
}


# ---------------------------------------------------------------------------------------------
# (a) reproducibility


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    generate(ROOT, seed=DEFAULT_SEED, out=out, log=lambda *_: None)
    return out


def _committed_files():
    files = []
    for period in PERIODS:
        files += [p.relative_to(ROOT) for p in sorted((LANDING / period).iterdir()) if not p.name.startswith(".")]
    files += [Path("data/sample_truth/cases.csv"), ERRATA]
    return files


def test_regeneration_is_byte_identical(regenerated):
    for period in PERIODS:
        made = sorted(p.name for p in (regenerated / "data" / "landing" / period).iterdir())
        shipped = sorted(p.name for p in (LANDING / period).iterdir() if not p.name.startswith("."))
        assert made == shipped, period
    for rel in _committed_files():
        assert (regenerated / rel).read_bytes() == (ROOT / rel).read_bytes(), f"{rel} differs when regenerated"


def test_generated_errata_seed_is_marked_and_is_what_the_generator_writes(regenerated):
    """The one generated seed sits in seeds/published/generated/ (configured there in dbt_project.yml),
    alone, and equals the generator's output byte for byte."""
    assert ERRATA == ERRATA_SEED
    assert sorted(p.name for p in (ROOT / ERRATA.parent).iterdir()) == [ERRATA.name]
    assert not (SEED / ERRATA.name).exists()
    assert (regenerated / ERRATA).read_bytes() == (ROOT / ERRATA).read_bytes()
    project = (ROOT / "dbt_project.yml").read_text(encoding="utf-8")
    assert "      generated:\n        published_errata:\n" in project


def test_generation_report_is_reproducible_except_run_times(regenerated):
    def strip(path):
        return [line for line in path.read_text(encoding="utf-8").splitlines() if TIMING_MARK not in line]

    rel = Path("data/sample_truth/generation_report.md")
    assert strip(regenerated / rel) == strip(ROOT / rel)


# ---------------------------------------------------------------------------------------------
# (b) the tables, recomputed from the ground truth


@pytest.fixture(scope="module")
def truth():
    df = pd.read_csv(TRUTH, dtype=str, keep_default_na=False, encoding="utf-8")
    df["start_status"] = df["start_timing"].map(
        lambda t: "" if t == "" else ("STARTED" if t == "STARTED" else "NOT_STARTED")
    )
    df["disc"] = df["discontinued"].map({"true": True, "false": False})
    assert df["disc"].notna().all()
    return df


def populations(df: pd.DataFrame, period: str) -> dict[str, pd.DataFrame]:
    d = df[df["period_end"] == period]
    active = d[~d["disc"]]
    gov = active[~active["user_scope"].isin(EXTERNAL)]
    ext = active[active["user_scope"].isin(EXTERNAL)]
    t01 = active.assign(start_timing=active["start_timing"].replace("", "UNDECIDED"))
    t06 = active.assign(output_type=active["output_type"].replace("", "UNANSWERED"))
    answered = gov[(gov["start_timing"] != "") & (gov["user_scope"] != "")]
    disc = d[d["disc"]]
    return {
        "T01": t01,
        "T02": answered,
        "T03": answered[answered["stage"] != ""],
        "T04": gov[(gov["start_timing"] != "") & (gov["confidentiality"] != "")],
        "T05": ext[(ext["start_timing"] != "") & (ext["stage"] != "")],
        "T06": t06,
        "T08": disc[(disc["start_timing"] != "") & (disc["user_scope"] != "") & (disc["stage"] != "")],
    }


def cell_value(pop: pd.DataFrame, dims: dict, measure: str) -> int:
    mask = pd.Series(True, index=pop.index)
    for d, v in dims.items():
        if v != "_T":
            mask &= pop[d] == v
    if measure == "ministry_count":
        return int(pop.loc[mask, "ministry_name_ja"].nunique())
    return int(mask.sum())


@pytest.fixture(scope="module")
def published():
    with open(SEED / "published_cells.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def errata():
    with open(ROOT / ERRATA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key(row):
    return (row["table_id"], row["period_end"], row["measure"], *(row[d] for d in DIMS))


@pytest.fixture(scope="module")
def recomputed(truth, published):
    pops = {p: populations(truth, p) for p in PERIODS}
    out = {}
    for row in published:
        dims = {d: row[d] for d in TABLE_DIMS[row["table_id"]]}
        out[_key(row)] = cell_value(pops[row["period_end"]][row["table_id"]], dims, row["measure"])
    return out


def test_prior_period_cells_all_equal(published, recomputed):
    misses = [(_key(r), r["value"], recomputed[_key(r)]) for r in published if r["period_end"] == SEP]
    misses = [m for m in misses if int(m[1]) != m[2]]
    assert not misses


def test_current_period_cells_equal_except_errata(published, recomputed, errata):
    misses = {_key(r): (int(r["value"]), recomputed[_key(r)]) for r in published if r["period_end"] == DEC}
    misses = {k: v for k, v in misses.items() if v[0] != v[1]}
    listed = {_key(e): (int(e["published_value"]), int(e["records_value"])) for e in errata}
    assert misses == listed
    assert all(e["reason"] for e in errata)


def test_errata_body_cells_are_the_proven_minimum(published, recomputed, errata):
    result = prove_minimum(load_cells(SEED), discontinued=43)
    assert result.status == "Optimal" and result.gap == 0
    body = [e for e in errata if "_T" not in [e[d] for d in TABLE_DIMS[e["table_id"]]]]
    deviation = sum(abs(int(e["published_value"]) - int(e["records_value"])) for e in body)
    assert len(body) == deviation == round(result.objective) == 2
    # the repair is in T05 only; T01-T04, T06 and T08 hold exactly
    assert {e["table_id"] for e in errata} == {"T05"}


def test_footnote_counts(truth):
    with open(SEED / "published_exclusions.csv", encoding="utf-8", newline="") as f:
        published = {(r["table_id"], r["reason"]): int(r["case_count"]) for r in csv.DictReader(f)}
    d = truth[truth["period_end"] == DEC]
    active = d[~d["disc"]]
    # Independent oracle: the exclusion order and each table's own dimensions, typed from the spec.
    order = [
        ("start_timing", "START_TIMING_BLANK"),
        ("user_scope", "USER_SCOPE_BLANK"),
        ("stage", "STAGE_BLANK"),
        ("confidentiality", "CONFIDENTIALITY_BLANK"),
    ]
    own = {
        "T02": {"start_timing", "user_scope"},
        "T03": {"start_timing", "user_scope", "stage"},
        "T04": {"start_timing", "confidentiality"},
        "T05": {"start_timing", "stage"},
    }
    found: dict = {}
    for _, case in active.iterrows():
        tables = ["T05"] if case["user_scope"] in EXTERNAL else ["T02", "T03", "T04"]
        for t in tables:
            for col, reason in order:
                if col in own[t] and case[col] == "":
                    found[(t, reason)] = found.get((t, reason), 0) + 1
                    break
    found[("T01", "START_TIMING_BLANK_COUNTED_AS_UNDECIDED")] = int((active["start_timing"] == "").sum())
    disc = d[d["disc"]]
    assert len(disc) == 43
    assert (disc["start_timing"] != "").all() and (disc["user_scope"] != "").all()
    found[("T08", "STAGE_BLANK")] = int((disc["stage"] == "").sum())
    assert found == published
    # the 2 cases without a user scope are the 2 without a confidentiality
    assert (active["user_scope"] == "").sum() == 2
    assert ((active["user_scope"] == "") == (active["confidentiality"] == "")).all()
    # output type: blanks are UNANSWERED, never empty in the truth
    assert (truth["output_type"] != "").all()


def test_headline_figures(truth):
    with open(SEED / "published_headline.csv", encoding="utf-8", newline="") as f:
        published = {(r["period_end"], r["figure"]): int(r["value"]) for r in csv.DictReader(f)}
    for period in PERIODS:
        d = truth[(truth["period_end"] == period) & ~truth["disc"]]
        gov = d[~d["user_scope"].isin(EXTERNAL)]
        t04 = gov[(gov["start_timing"] != "") & (gov["confidentiality"] != "")]
        started = d[d["start_timing"] == "STARTED"]
        figures = {
            "ministries_with_started_case": started["ministry_name_ja"].nunique(),
            "ministries_with_started_single_ministry_wide_case": started.loc[
                started["user_scope"] == "SINGLE_MINISTRY_WIDE", "ministry_name_ja"
            ].nunique(),
            "active_cases": len(d),
            "started_cases": len(started),
            "started_or_due_within_fiscal_year": int(
                d["start_timing"].isin(["STARTED", "WITHIN_CY", "WITHIN_FY"]).sum()
            ),
            "t04_population": len(t04),
            "t04_c2_or_personal_cases": int((t04["confidentiality"] != "C1_ONLY").sum()),
            "risk_incidents": int((d["risk_incident"] == "YES").sum()),
        }
        for (p, figure), value in published.items():
            if p == period:
                assert figures[figure] == value, (period, figure)
        assert d["ministry_name_ja"].nunique() == 25


def test_continuity(truth):
    sep = truth[truth["period_end"] == SEP]
    dec = truth[truth["period_end"] == DEC]
    assert not sep["disc"].any()
    for frame in (sep, dec):
        assert not frame.duplicated(["ministry_name_ja", "case_id"]).any()
    sep_keys = set(zip(sep["ministry_name_ja"], sep["case_id"], strict=True))
    dec_keys = set(zip(dec["ministry_name_ja"], dec["case_id"], strict=True))
    assert sep_keys <= dec_keys
    assert len(dec_keys - sep_keys) == 56
    assert "WITHIN_CY" not in set(dec["start_timing"])
    assert set(dec.loc[dec["disc"], "ministry_name_ja"] + "/" + dec.loc[dec["disc"], "case_id"]) <= {
        f"{m}/{c}" for m, c in sep_keys
    }


# ---------------------------------------------------------------------------------------------
# the truth points at the right rows of the landed files


def _read_landed(path: Path) -> dict[int, list[str]]:
    """Row number (as a spreadsheet shows it) -> cells as text, for every row of the file."""
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        out = {}
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            out[i] = ["" if v is None else str(v) for v in row]
        return out
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    # line numbers count physical rows as a spreadsheet does: one per CSV record
    return {i: row for i, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)}


def test_truth_rows_point_at_the_landed_rows(truth):
    by_file = {rel: grp for rel, grp in truth.groupby("source_file")}
    shipped = {f"{p}/{f.name}" for p in PERIODS for f in (LANDING / p).iterdir() if not f.name.startswith(".")}
    assert set(by_file) == shipped
    for rel, grp in by_file.items():
        rows = _read_landed(LANDING / rel)
        header_no = next(n for n, r in rows.items() if "案件番号" in r and "府省庁名" in r)
        header = rows[header_no]
        data = {n: r for n, r in rows.items() if n > header_no and any(c.strip() for c in r)}
        assert sorted(data) == sorted(int(n) for n in grp["row_number"]), rel
        for _, case in grp.iterrows():
            row = dict(zip(header, data[int(case["row_number"])], strict=False))
            assert row["案件番号"] == case["case_id"], rel
            assert row["府省庁名"].strip(" \u3000") == case["ministry_name_ja"], rel
            assert bool(row["利用廃止"].strip()) == (case["discontinued"] == "true"), rel


# ---------------------------------------------------------------------------------------------
# the sample exercises the spellings the form contract allows


def _landed_values() -> dict[str, list[tuple[str, str]]]:
    """header -> [(source_file, raw text)] over every data row of every shipped file."""
    out: dict[str, list[tuple[str, str]]] = {}
    for period in PERIODS:
        for path in sorted((LANDING / period).iterdir()):
            rows = _read_landed(path)
            header_no = next(n for n, r in rows.items() if "案件番号" in r and "府省庁名" in r)
            for n, row in rows.items():
                if n > header_no:
                    for h, v in zip(rows[header_no], row, strict=False):
                        out.setdefault(h, []).append((f"{period}/{path.name}", v))
    return out


def test_landed_spellings_cover_the_contract():
    values = _landed_values()
    # Independent oracle: the form's coded headers as a ministry reads them.
    coded = ["利用類型", "利用開始時期", "利用者の範囲", "導入段階", "取扱情報の機密性", "成果目標", "出力データの種類"]
    allv = [v for h in coded for _, v in values[h]]
    assert any(v.startswith(("1. ", "2. ", "3. ")) for v in allv)
    assert any("．" in v for v in allv)
    assert any(v[:1] in "１２３４５６７８" and v[1:2] == "." for v in allv)
    assert any(v.startswith(("(1) ", "(2) ", "(3) ")) for v in allv)
    for h in ["利用開始時期", "利用者の範囲", "取扱情報の機密性", "出力データの種類"]:
        assert any(v.isdigit() for _, v in values[h]), h
    assert not any(v.strip().isdigit() for _, v in values["利用類型"])
    assert any("汎用型１" in v or "特化型１" in v for v in allv)
    assert any(v in ("汎用型 1", "汎用型 2", "特化型 1", "特化型 2") for v in allv)
    for short in ["汎用1", "特化1", "機密性1のみ", "検証", "常用"]:
        assert short in allv, short
    assert any(v.startswith("2025年度中") for _, v in values["利用開始時期"])
    assert any(v != v.strip() for v in allv) and any("\n" in v for v in allv)
    assert "-" in allv and "未記入" in allv and "" in allv
    assert "機密性2" not in [v.strip() for v in allv]
    assert {v for _, v in values["利用廃止"] if v} == {"廃止", "○", "1", "該当"}
    names = {v.strip(" \u3000") for _, v in values["府省庁名"]}
    assert len(names) == 25 and not any("\uff61" <= ch <= "\uff9f" for n in names for ch in n)
    cp932_names = [v for f, v in values["案件名"] if f.endswith(".csv") and any(ch in v for ch in "①髙～")]
    assert cp932_names


def test_variant_rate_is_about_fifteen_percent(truth):
    # Independent oracle: labels with the fiscal year filled in by hand, headers mapped to columns by hand.
    with open(ROOT / "seeds" / "reference" / "code_lists.csv", encoding="utf-8", newline="") as f:
        labels = {
            (r["code_list"], r["code"]): r["label_ja"].replace("{FY}", "7").replace("{FY+1}", "8")
            for r in csv.DictReader(f)
        }
    columns = {
        "利用類型": "usage_type",
        "利用開始時期": "start_timing",
        "利用者の範囲": "user_scope",
        "導入段階": "stage",
        "取扱情報の機密性": "confidentiality",
        "成果目標": "outcome_goal",
    }
    answered = varied = 0
    for rel, grp in truth.groupby("source_file"):
        rows = _read_landed(LANDING / rel)
        header_no = next(n for n, r in rows.items() if "案件番号" in r and "府省庁名" in r)
        header = rows[header_no]
        for _, case in grp.iterrows():
            raw = dict(zip(header, rows[int(case["row_number"])], strict=False))
            for h, col in columns.items():
                if case[col]:
                    answered += 1
                    varied += raw[h] != labels[(col, case[col])]
    assert 0.10 <= varied / answered <= 0.20, varied / answered
