"""Which report cells a case counts in, by the spec's population and exclusion rules.

A case is a `Record` of its canonical codes (None = not answered). `body_cells` returns the
finest cell of every table the case is counted in (no `_T`); `tabulate` adds every `_T` roll-up.
Rules (docs/spec/report-tables.md): T01 and T06 cover all active cases, a blank start timing counted as
UNDECIDED and a blank output type being UNANSWERED; T02-T04 cover government-staff cases (user
scope not 6/7, blank scope included) and T05 external ones; a table drops a case with a blank in
one of its own dimensions (start_status is a dimension of T02-T05 and T08); T08 covers cases
discontinued in the period whose scope and stage were answered.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from .codes import EXTERNAL, Record, status

BLANK_ORDER = ["start_timing", "user_scope", "stage", "confidentiality", "outcome_goal"]
REASON = {
    "start_timing": "START_TIMING_BLANK",
    "user_scope": "USER_SCOPE_BLANK",
    "stage": "STAGE_BLANK",
    "confidentiality": "CONFIDENTIALITY_BLANK",
}


def body_cells(case: Record) -> list[tuple[str, tuple]]:
    usage, timing, scope, stage, conf = (
        case.usage_type,
        case.start_timing,
        case.user_scope,
        case.stage,
        case.confidentiality,
    )
    started = status(timing)
    if case.discontinued:
        if timing is not None and scope is not None and stage is not None:
            return [("T08", (usage, started, scope, stage))]
        return []
    cells = [("T01", (usage, timing or "UNDECIDED")), ("T06", (case.output_type or "UNANSWERED",))]
    if scope in EXTERNAL:
        if timing is not None and stage is not None:
            cells.append(("T05", (usage, started, scope, stage)))
        return cells
    if timing is not None and scope is not None:
        cells.append(("T02", (usage, started, scope)))
        if stage is not None:
            cells.append(("T03", (usage, started, scope, stage)))
    if timing is not None and conf is not None:
        cells.append(("T04", (usage, started, conf)))
    return cells


def rollups(key: tuple) -> Iterable[tuple]:
    """The key itself and every key with some dimensions replaced by `_T`."""
    for mask in itertools.product((False, True), repeat=len(key)):
        yield tuple("_T" if m else v for v, m in zip(key, mask, strict=True))


def tabulate(records: Iterable[Record]) -> Counter:
    """records -> Counter over (table, key) incl. `_T` roll-ups."""
    out: Counter = Counter()
    for rec in records:
        for table, key in body_cells(rec):
            for rk in rollups(key):
                out[(table, rk)] += 1
    return out


def exclusions(records: Iterable[Record]) -> Counter:
    """Footnote counts: (table, reason) -> cases, a case counted under its first blank."""
    out: Counter = Counter()
    for rec in records:
        if rec.discontinued:
            if rec.start_timing is not None and rec.user_scope is not None and rec.stage is None:
                out[("T08", "STAGE_BLANK")] += 1
            continue
        if rec.start_timing is None:
            out[("T01", "START_TIMING_BLANK_COUNTED_AS_UNDECIDED")] += 1
        if rec.user_scope in EXTERNAL:
            dims = {"T05": ["start_timing", "stage"]}
        else:
            dims = {
                "T02": ["start_timing", "user_scope"],
                "T03": ["start_timing", "user_scope", "stage"],
                "T04": ["start_timing", "confidentiality"],
            }
        for table, own in dims.items():
            for d in BLANK_ORDER:
                if d in own and getattr(rec, d) is None:
                    out[(table, REASON[d])] += 1
                    break
    return out
