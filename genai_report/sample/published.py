"""The publication as transcribed in seeds/published/ (read-only inputs of the generator)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .codes import CELL_DIMS, TABLE_DIMS


@dataclass(frozen=True)
class Cell:
    table: str
    period: str
    key: tuple  # values of the table's dimensions, in TABLE_DIMS order ("_T" = total)
    measure: str
    value: int

    @property
    def is_body(self) -> bool:
        return "_T" not in self.key

    def row(self) -> dict:
        dims = dict(zip(TABLE_DIMS[self.table], self.key, strict=True))
        return {d: dims.get(d, "") for d in CELL_DIMS}


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_cells(seed_dir: Path) -> list[Cell]:
    cells = []
    for r in _read(seed_dir / "published_cells.csv"):
        key = tuple(r[d] for d in TABLE_DIMS[r["table_id"]])
        cells.append(Cell(r["table_id"], r["period_end"], key, r["measure"], int(r["value"])))
    return cells


def load_exclusions(seed_dir: Path) -> dict[tuple[str, str, str], int]:
    return {
        (r["table_id"], r["period_end"], r["reason"]): int(r["case_count"])
        for r in _read(seed_dir / "published_exclusions.csv")
    }


def load_headline(seed_dir: Path) -> dict[tuple[str, str], int]:
    return {(r["period_end"], r["figure"]): int(r["value"]) for r in _read(seed_dir / "published_headline.csv")}
