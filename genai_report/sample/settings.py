"""The sample generator's fixed choices: file format, line ends, case-id style and column order per
ministry, and the plausibility floors of the linking program. generate.py and report.py both read
them (report.py describes them), so neither imports the other."""

from __future__ import annotations

from .codes import DEC, SEP

MIN_WITHIN_CY = 6  # plausibility floor: the 2025-09-30 form offered 令和7年中, some used it
WITHIN_FY_SHARE = (284, 298)  # 2025-09-30 bullet: 約95% started or due within the FY (92.5-97.5%)
MIN_PROGRESSIONS = (6, 4)  # plausibility floors: continuing cases moving 検証→常用, and 開始前→開始済

# file format per ministry: (2025-09-30, 2025-12-31)
FORMATS = {
    "CAS": ("csv-utf8", "csv-utf8"),
    "CLB": ("csv-bom", "csv-bom"),
    "NPA": ("csv-utf8", "csv-utf8"),
    "CAO": ("csv-utf8", "csv-utf8"),
    "IHA": ("csv-cp932", "csv-cp932"),
    "JFTC": ("csv-utf8", "xlsx"),
    "NPOLA": ("csv-cp932", "csv-cp932"),
    "PPC": ("xlsx", "xlsx"),
    "JCRC": ("xlsx-title2", "xlsx-title2"),
    "FSA": ("csv-bom", "csv-bom"),
    "CAA": ("csv-cp932", "csv-cp932"),
    "CFA": ("xlsx", "xlsx"),
    "DA": ("csv-utf8", "csv-utf8"),
    "RA": ("xlsx-title3", "xlsx-title3"),
    "MIC": ("csv-utf8", "csv-utf8"),
    "MOJ": ("csv-cp932", "csv-cp932"),
    "MOFA": ("csv-bom", "csv-bom"),
    "MOF": ("xlsx-title3", "xlsx-title3"),
    "MEXT": ("csv-bom", "csv-bom"),
    "MHLW": ("xlsx-title2", "xlsx-title2"),
    "MAFF": ("csv-cp932", "csv-cp932"),
    "METI": ("csv-utf8", "csv-utf8"),
    "MLIT": ("xlsx", "xlsx"),
    "MOE": ("csv-utf8", "csv-utf8"),
    "MOD": ("xlsx", "xlsx"),
}
LINE_END = {"CAS": "\r\n", "CAO": "\n", "NPA": "\n", "DA": "\n", "MIC": "\r\n", "METI": "\n", "MOE": "\r\n"}
ID_STYLE = {
    "CAS": "AI-{:03d}",
    "CAO": "R7-{:03d}",
    "NPOLA": "{:04d}",
    "DA": "DA-{:03d}",
    "MIC": "{}",
    "MOF": "R7-{:02d}",
    "MHLW": "AI{:03d}",
    "MLIT": "{}",
    "MOD": "{}",  # XLSX numeric cells
}
NUMERIC_ID_CELLS = {"MOD"}
COLUMN_ORDER = {"DA": [1, 0, 2, 3, 5, 4, 6, 7, 10, 8, 9, 11, 12, 13, 14]}  # header order is free
SECOND_SHEET = {"MHLW"}
TIMESTAMP = {SEP: "2025-10-31T09:00:00Z", DEC: "2026-01-30T09:00:00Z"}
