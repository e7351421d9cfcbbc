"""A minimal integer-program builder on top of HiGHS (highspy).

Single-threaded with a fixed random seed and zero gap tolerance, so a solve is reproducible and
optimality is proven. Set GENAI_HIGHS_LOG=1 to see HiGHS's log."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass
class Result:
    name: str
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    num_vars: int
    num_rows: int
    values: np.ndarray

    def summary(self) -> str:
        return (
            f"{self.name}: {self.status}, objective {self.objective:g}, bound {self.bound:g}, "
            f"gap {self.gap:g}, {self.seconds:.2f} s, {self.num_vars} variables, {self.num_rows} rows"
        )


class IntegerProgram:
    def __init__(self, name: str):
        self.name = name
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[list[int], list[float], float, float]] = []

    def var(self, cost: float = 0.0, lower: float = 0.0, upper: float = highspy.kHighsInf, integer=True) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float] | list[int], lower: float, upper: float) -> None:
        if isinstance(terms, dict):
            idx, coef = list(terms), [float(c) for c in terms.values()]
        else:
            merged: dict[int, float] = {}
            for i in terms:
                merged[i] = merged.get(i, 0.0) + 1.0
            idx, coef = list(merged), list(merged.values())
        self.rows.append((idx, coef, lower, upper))

    def eq(self, terms, value: float) -> None:
        self.row(terms, value, value)

    def solve(self) -> Result:
        n, m = len(self.cost), len(self.rows)
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = m
        lp.col_cost_ = np.asarray(self.cost, dtype=float)
        lp.col_lower_ = np.asarray(self.lower, dtype=float)
        lp.col_upper_ = np.asarray(self.upper, dtype=float)
        lp.row_lower_ = np.asarray([r[2] for r in self.rows], dtype=float)
        lp.row_upper_ = np.asarray([r[3] for r in self.rows], dtype=float)
        starts, index, value = [0], [], []
        for idx, coef, _lo, _hi in self.rows:
            index.extend(idx)
            value.extend(coef)
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = m
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value, dtype=float)
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer
        ]
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(os.environ.get("GENAI_HIGHS_LOG")))
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        h.passModel(lp)
        start = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - start
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        values = np.asarray(h.getSolution().col_value)
        if status != "Optimal":
            raise RuntimeError(f"{self.name}: HiGHS status {status}")
        values = np.where(np.asarray(self.integer), np.rint(values), values)
        return Result(
            name=self.name,
            status=status,
            objective=float(info.objective_function_value),
            bound=float(info.mip_dual_bound),
            gap=float(info.mip_gap),
            seconds=seconds,
            num_vars=n,
            num_rows=m,
            values=values,
        )
