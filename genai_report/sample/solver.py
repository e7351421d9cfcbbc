"""The integer programs behind the sample: which case records reproduce the publication.

A case's reportable attributes in a period are its *state* (usage type, start timing, user scope,
stage, confidentiality; None = not answered). Output type is only counted by T06 and is placed by
a separate small program (`solve_output_types`).

Stage 1 (`prove_minimum`) asks how close any set of 2025-12-31 records can come to the printed
body cells: one integer count per state, a pair of deviation variables per body cell, the
footnoted blanks fixed, minimise the total absolute deviation. HiGHS proves the optimum (gap 0).

Stage 2 (`solve_linked`) builds both periods at once. Each 2025-09-30 case is continued or
discontinued in 2025-12-31, and may change a few attributes on the way; each change has a cost
(plausible progressions such as 検証→常用 or 開始前→開始済 are cheap, scope or confidentiality
changes dearer, a usage-type reclassification dearest). Variables count the cases for each
(prior state, current state) pair within a small neighbourhood (at most one attribute changes,
or start timing and stage together, or scope and confidentiality together when both become
blank), plus new cases per current state. Every printed cell of both periods holds exactly
(2025-12-31 through its body cells, which imply the printed totals) except T05's body, which may
deviate by the stage-1 optimum in total while T05's row totals, grand total and non-特化型1
column totals stay as printed (the repair chosen for the T01 / T02+T05 contradiction). Further
constraints: the footnoted blanks, 43 discontinued cases, the documented 2025-09-30 choices, and
enough ministry-wide started cases to give 17 / 18 ministries one. The objective is the total
change cost, proven optimal.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from .codes import (
    CONF,
    DEC,
    GOV_SCOPE,
    SCOPE,
    SEP,
    STAGE,
    TIMING_DEC,
    TIMING_SEP,
    USAGE,
    WIDE,
    Record,
    State,
)
from .ip import IntegerProgram, Result
from .published import Cell
from .tables import body_cells, rollups

# ---------------------------------------------------------------------------------------------
# state spaces: which blank patterns a case may have (the footnotes' blanks, nothing else)

FIELDS = State._fields


def blank_kind(state: State) -> str | None:
    """The first unanswered attribute, in the footnotes' order (start, scope, stage, conf)."""
    for name, value in zip(FIELDS[1:], state[1:], strict=True):
        if value is None:
            return name
    return None


def _states(*domains) -> list[State]:
    """Every combination of the domains (usage type, start timing, scope, stage, confidentiality)."""
    return [State(*combo) for combo in itertools.product(*domains)]


def sep_states() -> list[State]:
    out = _states(USAGE, TIMING_SEP, SCOPE, STAGE, CONF)
    out += _states(USAGE, [None], GOV_SCOPE, STAGE, CONF)
    out += _states(USAGE, TIMING_SEP, GOV_SCOPE, [None], CONF)
    return out


def dec_active_states() -> list[State]:
    out = _states(USAGE, TIMING_DEC, SCOPE, STAGE, CONF)
    out += _states(USAGE, [None], GOV_SCOPE, STAGE, CONF)
    # a blank user scope goes with a blank confidentiality (the T04 footnote's 2 cases)
    out += _states(USAGE, TIMING_DEC, [None], STAGE, [None])
    out += _states(USAGE, TIMING_DEC, GOV_SCOPE, [None], CONF)
    return out


def dec_disc_states() -> list[State]:
    out = _states(USAGE, TIMING_DEC, SCOPE, STAGE, CONF)
    out += _states(USAGE, TIMING_DEC, SCOPE, [None], CONF)
    return out


# blank counts per period (from the footnotes; 2025-09-30 is the documented simplest reading)
DEC_ACTIVE_BLANKS = {"start_timing": 1, "user_scope": 2, "stage": 2}
DEC_DISC_BLANKS = {"stage": 1}
SEP_BLANKS = {"start_timing": 1, "stage": 3}

# ---------------------------------------------------------------------------------------------
# costs of a change between the two periods (integer units; 2 = one ordinary change)

#: (start timing before, after) -> cost; a change not listed is not allowed.
T_COST = {
    **dict.fromkeys(
        [
            ("WITHIN_CY", "STARTED"),
            ("WITHIN_CY", "WITHIN_FY"),
            ("WITHIN_FY", "STARTED"),
            ("LATER_FY", "WITHIN_FY"),
            ("UNDECIDED", "WITHIN_FY"),
            ("UNDECIDED", "LATER_FY"),
        ],
        2,
    ),
    **dict.fromkeys(
        [
            ("WITHIN_CY", "LATER_FY"),
            ("WITHIN_CY", "UNDECIDED"),
            ("LATER_FY", "STARTED"),
            ("UNDECIDED", "STARTED"),
            ("WITHIN_FY", "LATER_FY"),
        ],
        3,
    ),
    **dict.fromkeys([("WITHIN_FY", "UNDECIDED"), ("LATER_FY", "UNDECIDED")], 4),
}
G_COST = {("POC", "PRODUCTION"): 2, ("PRODUCTION", "POC"): 4}
BLANK_FILLED, BLANK_EMPTIED = 3, 4
SCOPE_COST, CONF_COST, USAGE_COST = 5, 5, 20
PAIRS = [
    (),
    ("usage_type",),
    ("start_timing",),
    ("stage",),
    ("user_scope",),
    ("confidentiality",),
    ("start_timing", "stage"),
    ("user_scope", "confidentiality"),
]
SEP_DOMAIN = {
    "usage_type": USAGE,
    "start_timing": TIMING_SEP + [None],
    "user_scope": SCOPE,
    "stage": STAGE + [None],
    "confidentiality": CONF,
}
#: the attributes a form may leave blank at a small cost (the others' blanks cost a scope change)
CHEAP_BLANKS = ("start_timing", "stage")


def change_cost(p: State, c: State) -> int | None:
    """Cost of a case moving from prior state p to current state c (None = not allowed)."""
    cost = 0
    changed = []
    for name, a, b in zip(FIELDS, p, c, strict=True):
        if a == b:
            continue
        changed.append(name)
        if a is None:
            cost += BLANK_FILLED if name in CHEAP_BLANKS else SCOPE_COST
        elif b is None:
            cost += BLANK_EMPTIED if name in CHEAP_BLANKS else SCOPE_COST
        elif name == "usage_type":
            cost += USAGE_COST
        elif name == "start_timing":
            if (a, b) not in T_COST:
                return None
            cost += T_COST[(a, b)]
        elif name == "stage":
            cost += G_COST[(a, b)]
        elif name == "user_scope":
            cost += SCOPE_COST
        else:
            cost += CONF_COST
    if p.start_timing == "WITHIN_CY" and "start_timing" not in changed:  # the 2025-12-31 form has no such answer
        return None
    if tuple(changed) not in PAIRS:
        return None
    return cost


def patterns_for(c: State, disc: bool) -> list[tuple]:
    """Which attributes may change together on the way to current state c: scope and
    confidentiality only together when both become blank (the T04 footnote's cases); a
    discontinued case whose stage is blank keeps everything but its stage."""
    if disc and c.stage is None:
        return [(), ("stage",)]
    if c.user_scope is None:
        return PAIRS
    return [p for p in PAIRS if p != ("user_scope", "confidentiality")]


def predecessors(c: State, sep_set: set, disc: bool = False) -> list[tuple[State, int]]:
    out = {}
    for pattern in patterns_for(c, disc):
        choices = [
            [v for v in SEP_DOMAIN[name] if v != getattr(c, name)] if name in pattern else [None] for name in FIELDS
        ]
        for combo in itertools.product(*choices):
            p = State(*(new if name in pattern else old for name, new, old in zip(FIELDS, combo, c, strict=True)))
            if p in sep_set and p not in out:
                cost = change_cost(p, c)
                if cost is not None:
                    out[p] = cost
    return sorted(out.items(), key=lambda kv: _sort_key(kv[0]))


def _sort_key(state) -> tuple:
    return tuple("" if v is None else v for v in state)


# ---------------------------------------------------------------------------------------------
# published cells as constraints


def implied_zero_cells() -> dict[tuple, int]:
    """T08 prints scopes 1, 2 and 8 only; its grand total equals their sum, so the rest are 0."""
    out = {}
    for u, s, r, g in itertools.product(USAGE, ("STARTED", "NOT_STARTED"), SCOPE, STAGE):
        if r not in ("SINGLE_DIVISION", "SINGLE_BUREAU", "OTHER"):
            out[("T08", (u, s, r, g))] = 0
    return out


def period_cells(cells: list[Cell], period: str) -> dict[tuple, int]:
    """Printed case counts of a period, without T06 (output type is placed separately)."""
    return {
        (c.table, c.key): c.value
        for c in cells
        if c.period == period and c.measure == "case_count" and c.table != "T06"
    }


def _contributions(state, disc, cells: dict) -> list[tuple]:
    hits = []
    for table, key in body_cells(Record.of(state, "TEXT_ONLY", disc)):
        if table == "T06":
            continue
        for rk in rollups(key):
            if (table, rk) in cells:
                hits.append((table, rk))
    return hits


def _pruned(states, disc, hard_zero: set) -> list[tuple]:
    return [s for s in states if not any(h in hard_zero for h in _contributions(s, disc, hard_zero))]


def _ministry_count(cells: list[Cell], period: str) -> int:
    (value,) = [
        c.value for c in cells if c.period == period and c.measure == "ministry_count" and c.key == ("_T", "_T", WIDE)
    ]
    return value


# ---------------------------------------------------------------------------------------------
# stage 1


def prove_minimum(cells: list[Cell], discontinued: int) -> Result:
    """Minimum total absolute deviation of any 2025-12-31 record set from the printed body cells."""
    printed = period_cells(cells, DEC)
    body = {tk: v for tk, v in printed.items() if "_T" not in tk[1]}
    body.update(implied_zero_cells())
    ip = IntegerProgram("stage 1: minimum deviation, 2025-12-31 (all body cells free)")
    rows: dict[tuple, list[int]] = defaultdict(list)
    kinds: dict[tuple, list[int]] = defaultdict(list)
    for disc, states in ((False, dec_active_states()), (True, dec_disc_states())):
        all_disc = []
        for s in states:
            i = ip.var()
            all_disc.append(i)
            kinds[(disc, blank_kind(s))].append(i)
            cells_of = [tk for tk in body_cells(Record.of(s, "TEXT_ONLY", disc)) if tk[0] != "T06"]
            for tk in cells_of:
                if tk not in body:
                    raise AssertionError(f"state {s} lands in unprinted cell {tk}")
                rows[tk].append(i)
        if disc:
            ip.eq(all_disc, discontinued)
    for tk, value in body.items():
        plus, minus = ip.var(1.0), ip.var(1.0)
        terms = {i: 1.0 for i in rows[tk]}
        terms[plus] = -1.0
        terms[minus] = 1.0
        ip.eq(terms, value)
    _blank_rows(ip, kinds)
    return ip.solve()


def _blank_rows(ip: IntegerProgram, kinds: dict) -> None:
    for (disc, kind), idx in kinds.items():
        if kind is None:
            continue
        wanted = (DEC_DISC_BLANKS if disc else DEC_ACTIVE_BLANKS).get(kind, 0)
        ip.eq(idx, wanted)


# ---------------------------------------------------------------------------------------------
# stage 2


@dataclass(frozen=True)
class Flow:
    """`count` cases in state `sep` on 2025-09-30 (None = new) and `dec` on 2025-12-31."""

    sep: State | None
    dec: State
    disc: bool
    count: int
    cost: int


@dataclass
class Linked:
    flows: list[Flow]
    result: Result
    deviation_cells: dict[tuple, int]  # (table, key) -> records value - published value (body)


def solve_linked(
    cells: list[Cell],
    discontinued: int,
    max_deviation: int,
    min_within_cy: int,
    within_fy_share: tuple[int, int],
    min_progressions: tuple[int, int] = (0, 0),
) -> Linked:
    dec_cells = period_cells(cells, DEC)
    dec_cells.update(implied_zero_cells())
    sep_cells = period_cells(cells, SEP)
    repair_cols = {("SPECIFIC_1", "STARTED", "_T", "_T"), ("SPECIFIC_1", "NOT_STARTED", "_T", "_T")}
    soft = {tk for tk in dec_cells if tk[0] == "T05" and ("_T" not in tk[1] or tk[1] in repair_cols)}
    dec_hard_zero = {tk for tk, v in dec_cells.items() if v == 0 and tk not in soft}
    sep_hard_zero = {tk for tk, v in sep_cells.items() if v == 0}

    sep_list = _pruned(sep_states(), False, sep_hard_zero)
    sep_set = set(sep_list)
    dec_active = _pruned(dec_active_states(), False, dec_hard_zero)
    dec_disc = _pruned(dec_disc_states(), True, dec_hard_zero)

    # T01-T04 and T08: the body cells as constraints imply every printed total (the transcription
    # test checks the totals add up); T05 keeps its totals, since its body may deviate
    dec_cells = {tk: v for tk, v in dec_cells.items() if tk[0] == "T05" or "_T" not in tk[1]}

    ip = IntegerProgram("stage 2: both periods linked, minimum change cost")
    flows: list[tuple[tuple | None, tuple, bool, int, int]] = []  # (sep, dec, disc, cost, var)
    for disc, states in ((False, dec_active), (True, dec_disc)):
        for c in states:
            for p, cost in predecessors(c, sep_set, disc):
                flows.append((p, c, disc, cost, ip.var(float(cost))))
            if not disc:
                flows.append((None, c, False, 0, ip.var(0.0)))

    into: dict[tuple, list[int]] = defaultdict(list)
    out_of: dict[tuple, list[int]] = defaultdict(list)
    for p, c, disc, _cost, i in flows:
        into[(c, disc)].append(i)
        if p is not None:
            out_of[p].append(i)
    x, y = into, out_of  # the flows into each current state, out of each prior state

    dec_rows: dict[tuple, list[int]] = defaultdict(list)
    dec_kinds: dict[tuple, list[int]] = defaultdict(list)
    for (c, disc), j in x.items():
        for tk in _contributions(c, disc, dec_cells):
            dec_rows[tk].extend(j)
        dec_kinds[(disc, blank_kind(c))].extend(j)
    sep_rows: dict[tuple, list[int]] = defaultdict(list)
    sep_kinds: dict[str | None, list[int]] = defaultdict(list)
    sep_t: dict[str | None, list[int]] = defaultdict(list)
    for p, j in y.items():
        for tk in _contributions(p, False, sep_cells):
            sep_rows[tk].extend(j)
        sep_kinds[blank_kind(p)].extend(j)
        sep_t[p.start_timing].extend(j)

    # 2025-12-31: printed cells (T05 body soft), footnoted blanks, discontinued count
    deviation_vars = {}
    for tk, value in dec_cells.items():
        if tk in soft and "_T" not in tk[1]:
            plus, minus = ip.var(0.0), ip.var(0.0)
            deviation_vars[tk] = (plus, minus)
            terms = {i: 1.0 for i in dec_rows[tk]}
            terms[plus] = -1.0
            terms[minus] = 1.0
            ip.eq(terms, value)
        elif tk not in soft:
            ip.eq(dec_rows[tk], value)
    ip.row({v: 1.0 for pm in deviation_vars.values() for v in pm}, 0, max_deviation)
    _blank_rows(ip, dec_kinds)
    ip.eq([i for (c, disc), j in x.items() if disc for i in j], discontinued)

    # 2025-09-30: printed margins (a grand total is implied by its margins, and identical
    # rows, such as T02's and T04's per-column totals, are written once), blanks, shares
    seen: dict[tuple, tuple] = {}
    for tk, value in sep_cells.items():
        if all(v == "_T" for v in tk[1]):
            continue
        terms = tuple(sorted(sep_rows[tk]))
        if terms in seen:
            if seen[terms][1] != value:
                raise ValueError(f"published margins {seen[terms][0]} and {tk} contradict each other")
            continue
        seen[terms] = (tk, value)
        ip.eq(list(terms), value)
    for kind, idx in sep_kinds.items():
        if kind is not None:
            ip.eq(idx, SEP_BLANKS.get(kind, 0))
    ip.row(sep_t["WITHIN_CY"], min_within_cy, float("inf"))
    lo, hi = within_fy_share
    ip.row(sep_t["STARTED"] + sep_t["WITHIN_CY"] + sep_t["WITHIN_FY"], lo, hi)

    # plausibility floors: some continuing cases move 検証→常用, some planned ones start
    to_production = [i for p, c, disc, _, i in flows if not disc and p and p.stage == "POC" and c.stage == "PRODUCTION"]
    started_now = [
        i
        for p, c, disc, _, i in flows
        if not disc and p and p.start_timing in ("WITHIN_FY", "LATER_FY", "UNDECIDED") and c.start_timing == "STARTED"
    ]
    ip.row(to_production, min_progressions[0], float("inf"))
    ip.row(started_now, min_progressions[1], float("inf"))

    # ministries: enough cases that are started and ministry-wide in both periods to anchor the
    # 2025-09-30 ministries, and enough newly ministry-wide started ones for the ministries added
    def started_wide(state: State | None) -> bool:
        return state is not None and state.start_timing == "STARTED" and state.user_scope == WIDE

    def in_t02_wide(state: State | None) -> bool:
        return state is not None and state.user_scope == WIDE and state.start_timing is not None

    both = [i for p, c, disc, _, i in flows if not disc and started_wide(p) and started_wide(c)]
    added = [i for p, c, disc, _, i in flows if not disc and started_wide(c) and not in_t02_wide(p)]
    m_sep, m_dec = _ministry_count(cells, SEP), _ministry_count(cells, DEC)
    ip.row(both, m_sep, float("inf"))
    ip.row(added, m_dec - m_sep, float("inf"))

    result = ip.solve()
    out = []
    for p, c, disc, cost, i in flows:
        n = int(result.values[i])
        if n:
            out.append(Flow(p, c, disc, n, cost))
    deviation = {}
    for tk, (plus, minus) in deviation_vars.items():
        d = int(result.values[plus] - result.values[minus])
        if d:
            deviation[tk] = d
    return Linked(out, result, deviation)


# ---------------------------------------------------------------------------------------------
# output types (T06 only)


def solve_output_types(
    prior: dict[str, int], current: dict[str, int], continuing: int, discontinued: int, codes: list[str]
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], Result]:
    """Counts of (prior type -> current type) for continuing cases, prior types of discontinued
    cases and types of new cases, meeting both periods' T06 with the fewest changes."""
    ip = IntegerProgram("output types: both periods, fewest changes")
    move = {(a, b): ip.var(0.0 if a == b else 1.0) for a in codes for b in codes}
    gone = {a: ip.var() for a in codes}
    new = {b: ip.var() for b in codes}
    for a in codes:
        ip.eq([move[(a, b)] for b in codes] + [gone[a]], prior[a])
    for b in codes:
        ip.eq([move[(a, b)] for a in codes] + [new[b]], current[b])
    ip.eq(list(move.values()), continuing)
    ip.eq(list(gone.values()), discontinued)
    res = ip.solve()
    moves = {k: int(res.values[i]) for k, i in move.items() if res.values[i]}
    return (
        moves,
        {a: int(res.values[i]) for a, i in gone.items()},
        {b: int(res.values[i]) for b, i in new.items()},
        res,
    )


__all__ = [
    "Flow",
    "Linked",
    "prove_minimum",
    "solve_linked",
    "solve_output_types",
]
