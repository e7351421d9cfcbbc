"""From the solver's counts to individual cases: lineages, ministries, case ids, output types and
the uncounted attributes. Everything here is deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import content
from .codes import EXTERNAL, OUTPUT, WIDE, State
from .solver import Flow


@dataclass
class Lineage:
    """One case across the two periods: `sep` is None for a case new in 2025-12-31."""

    sep: State | None
    dec: State
    disc: bool
    ministry: str = ""
    number: int = 0
    out_sep: str | None = None
    out_dec: str | None = None
    outcome: str | None = None
    goal_text: str = ""
    model: str = ""
    name: str = ""
    risk: str | None = "NO"
    high_risk: str | None = "NOT_APPLICABLE"
    extra: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        if self.sep is None:
            return "new"
        return "discontinued" if self.disc else "continuing"

    def state(self, period_is_dec: bool) -> State | None:
        return self.dec if period_is_dec else self.sep


def expand(flows: list[Flow]) -> list[Lineage]:
    out = []
    for f in flows:
        for _ in range(f.count):
            out.append(Lineage(sep=f.sep, dec=f.dec, disc=f.disc))
    return out


def _started_wide(state: State | None) -> bool:
    return state is not None and state.start_timing == "STARTED" and state.user_scope == WIDE


def _t02_wide(state: State | None) -> bool:
    return state is not None and state.user_scope == WIDE and state.start_timing is not None


def _is_wide(lin: Lineage) -> bool:
    return _t02_wide(lin.sep) or (not lin.disc and _t02_wide(lin.dec))


def _external_only(lin: Lineage) -> bool:
    states = [s for s in (lin.sep, lin.dec) if s is not None]
    return all(s.user_scope in EXTERNAL for s in states)


def resample_external_confidentiality(lineages: list[Lineage], rng: random.Random) -> int:
    """No table counts the confidentiality of external cases; give them a plausible one (the same
    in both periods). Returns how many lineages were touched."""
    n = 0
    for lin in lineages:
        if not _external_only(lin):
            continue
        conf = content.weighted(rng, content.EXTERNAL_CONF[lin.dec.usage_type])
        lin.dec = lin.dec._replace(confidentiality=conf)
        if lin.sep is not None:
            lin.sep = lin.sep._replace(confidentiality=conf)
        n += 1
    return n


def assign_ministries(lineages: list[Lineage], ministries: list[str], rng: random.Random) -> None:
    """Ministries such that every ministry has a started active case in both periods, the
    ministry-wide (scope 3) cases of T02 belong to exactly content.WIDE_SEP on 2025-09-30 and
    WIDE_SEP + WIDE_ADDED on 2025-12-31, and each of those has a started ministry-wide case."""
    order = list(range(len(lineages)))
    rng.shuffle(order)
    pool = [lineages[i] for i in order]
    wide_sep, added = content.WIDE_SEP, content.WIDE_ADDED
    others = [m for m in ministries if m not in wide_sep and m not in added]

    def take(pred, n):
        picked = [lin for lin in pool if not lin.ministry and pred(lin)][:n]
        if len(picked) < n:
            raise RuntimeError("not enough cases to anchor the ministries")
        return picked

    def both_wide(x):
        return not x.disc and _started_wide(x.sep) and _started_wide(x.dec)

    def newly_wide(x):
        return not x.disc and _started_wide(x.dec) and not _t02_wide(x.sep)

    for m, lin in zip(wide_sep, take(both_wide, len(wide_sep)), strict=True):
        lin.ministry = m
    for m, lin in zip(added, take(newly_wide, len(added)), strict=True):
        lin.ministry = m

    def plain_started_both(x):
        return (
            x.sep is not None
            and not x.disc
            and x.sep.start_timing == "STARTED"
            and x.dec.start_timing == "STARTED"
            and not _is_wide(x)
        )

    for m, lin in zip(others + added, take(plain_started_both, len(others) + len(added)), strict=True):
        lin.ministry = m

    weights = content.MINISTRY_WEIGHT
    # remaining ministry-wide lineages stay within the ministries that have a ministry-wide case
    for lin in pool:
        if lin.ministry or not _is_wide(lin):
            continue
        allowed = wide_sep if _t02_wide(lin.sep) else wide_sep + added
        lin.ministry = rng.choices(allowed, weights=[weights[m] for m in allowed], k=1)[0]

    # everything else: fill each ministry up to its share of the portfolio
    total = len(lineages)
    wsum = sum(weights[m] for m in ministries)
    target = {m: weights[m] * total / wsum for m in ministries}
    have = {m: 0 for m in ministries}
    for lin in lineages:
        if lin.ministry:
            have[lin.ministry] += 1
    for lin in pool:
        if lin.ministry:
            continue
        gap = {m: target[m] - have[m] for m in ministries}
        best = max(gap.values())
        candidates = [m for m in ministries if gap[m] >= best - 1.0]
        m = rng.choices(candidates, weights=[max(gap[c], 0.05) for c in candidates], k=1)[0]
        lin.ministry = m
        have[m] += 1


def number_cases(lineages: list[Lineage], ministries: list[str], rng: random.Random) -> None:
    """Per ministry: prior cases first (shuffled), then the new ones; numbers 1..n."""
    for m in ministries:
        mine = [lin for lin in lineages if lin.ministry == m]
        prior = [lin for lin in mine if lin.sep is not None]
        new = [lin for lin in mine if lin.sep is None]
        rng.shuffle(prior)
        rng.shuffle(new)
        for i, lin in enumerate(prior + new, start=1):
            lin.number = i


def assign_output_types(
    lineages: list[Lineage],
    moves: dict[tuple[str, str], int],
    gone: dict[str, int],
    new: dict[str, int],
    rng: random.Random,
) -> None:
    def deal(group: list[Lineage], pairs: list[tuple[str, str]]):
        assert len(group) == len(pairs), (len(group), len(pairs))
        order = list(range(len(group)))
        rng.shuffle(order)
        for i, (a, b) in zip(order, pairs, strict=True):
            group[i].out_sep, group[i].out_dec = a, b

    cont = [lin for lin in lineages if lin.kind == "continuing"]
    disc = [lin for lin in lineages if lin.kind == "discontinued"]
    fresh = [lin for lin in lineages if lin.kind == "new"]
    deal(cont, [(a, b) for a in OUTPUT for b in OUTPUT for _ in range(moves.get((a, b), 0))])
    deal(disc, [(a, a) for a in OUTPUT for _ in range(gone[a])])
    deal(fresh, [(None, b) for b in OUTPUT for _ in range(new[b])])


def fill_uncounted(lineages: list[Lineage], cp932_ministries: set[str], rng: random.Random) -> None:
    for lin in lineages:
        usage = lin.dec.usage_type
        lin.outcome = content.weighted(rng, content.OUTCOME_WEIGHTS)
        lin.goal_text = content.goal_text(rng, lin.outcome)
        lin.model = content.weighted(rng, content.MODELS[usage])
        lin.name = content.case_name(rng, usage, lin.ministry in cp932_ministries)
        lin.risk = "NO" if rng.random() < 0.9 else None
        x = rng.random()
        lin.high_risk = "APPLICABLE" if x < 0.03 else (None if x < 0.08 else "NOT_APPLICABLE")
