"""Writing the cases as ministries would: labels with the spellings the form contract allows, in
CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX, byte-for-byte reproducible."""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from openpyxl import Workbook

from .codes import LABELS, NUMBERS, TIMING_NUMBERS

FULL = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ()",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ（）",
)
PAD = [" {}", "{} ", "　{}", "{}　", " {} ", "{}\n"]
SHORT = {
    "usage_type": {"GENERAL_1": "汎用1", "GENERAL_2": "汎用2", "SPECIFIC_1": "特化1", "SPECIFIC_2": "特化2"},
    "stage": {"PRODUCTION": "常用", "POC": "検証"},
    "confidentiality": {"C1_ONLY": "機密性1のみ"},
}
BLANKS = [("", 70), ("-", 15), ("未記入", 15)]
DISCONTINUED = ["廃止", "○", "1", "該当"]
VARIANT_RATE = 0.15


@dataclass
class Spelling:
    text: str | int  # int = a bare number (an XLSX numeric cell)
    variant: str  # "label", a variant name, or "blank"


def _prefix(n: int, label: str, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{n}. {label}"
    if style == 1:
        return f"{n}．{label}"
    if style == 2:
        return f"{str(n).translate(FULL)}.{label}"
    return f"({n}) {label}"


def spell(column: str, code: str | None, period: str, rng: random.Random) -> Spelling:
    """How a ministry writes `code` in `column` on the form of `period`."""
    if code is None:
        return Spelling(_weighted(rng, BLANKS), "blank")
    if column == "start_timing":
        number = TIMING_NUMBERS[period][code]
    else:
        number = NUMBERS.get(column, {}).get(code)
    label = LABELS[column][code]
    if rng.random() >= VARIANT_RATE:
        return Spelling(label, "label")
    options = ["pad"]
    if number is not None:
        options += ["prefix", "bare"]
    if column in SHORT and code in SHORT[column]:
        options.append("short")
    if label.translate(FULL) != label:
        options.append("fullwidth")
    if column == "usage_type" and code != "OTHER":
        options.append("space")
    if column == "confidentiality" and code != "C2_TRAINING":
        options.append("space")
    if column == "start_timing" and code == "WITHIN_FY":
        options += ["western"] * 3  # rare answer, so weighted up to appear at all
    kind = rng.choice(options)
    if kind == "pad":
        return Spelling(rng.choice(PAD).format(label), kind)
    if kind == "prefix":
        return Spelling(_prefix(number, label, rng), kind)
    if kind == "bare":
        return Spelling(number, kind)
    if kind == "short":
        return Spelling(SHORT[column][code], kind)
    if kind == "fullwidth":
        return Spelling(label.translate(FULL), kind)
    if kind == "space":
        return Spelling(
            re.sub(r"(\d)", r" \1", label, count=1) if column == "usage_type" else label.replace("情報", " 情報", 1),
            kind,
        )
    return Spelling(label.replace("令和7年度", "2025年度"), kind)  # western


def _weighted(rng: random.Random, options):
    return rng.choices([v for v, _ in options], weights=[w for _, w in options], k=1)[0]


def discontinued_mark(rng: random.Random) -> str:
    return rng.choice(DISCONTINUED)


# ---------------------------------------------------------------------------------------------
# files


def csv_bytes(rows: list[list], encoding: str, line_end: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=line_end)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    text = buf.getvalue()
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(rows: list[list], title_rows: list[list], sheet: str, timestamp: str, choices_sheet=False) -> bytes:
    """rows: header + data; title_rows go above the header. `timestamp` (ISO, UTC) is written
    as the document's created/modified time and every zip entry's time, so that the bytes
    depend on the content only."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in title_rows + rows:
        ws.append([None if v == "" else v for v in row])
    for col, width in zip("ABCDEFGHIJKLMNO", (14, 10, 36, 10, 26, 30, 10, 34, 16, 30, 22, 24, 8, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    if choices_sheet:  # a second worksheet (the loader reads the first one only)
        ws2 = wb.create_sheet("選択肢")
        ws2.append(["項目", "選択肢"])
        for column, labels in LABELS.items():
            for label in labels.values():
                ws2.append([column, label])
    wb.properties.creator = "genai_report sample generator"
    raw = io.BytesIO()
    wb.save(raw)
    return _normalise_zip(raw.getvalue(), timestamp)


def _normalise_zip(data: bytes, timestamp: str) -> bytes:
    stamp = timestamp.replace("+00:00", "Z")
    date_time = tuple(int(x) for x in re.split(r"[-T:Z]", stamp)[:6])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = payload.decode("utf-8")
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                payload = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, payload)
    return out.getvalue()


class VariantStats:
    def __init__(self):
        self.by_kind: Counter = Counter()
        self.by_column: Counter = Counter()
        self.answered = 0
        self.varied = 0

    def add(self, column: str, s: Spelling) -> None:
        if s.variant == "blank":
            self.by_kind[f"blank written as {s.text!r}"] += 1
            return
        self.by_kind[s.variant] += 1
        self.answered += 1
        if s.variant != "label":
            self.varied += 1
            self.by_column[column] += 1

    @property
    def rate(self) -> float:
        return self.varied / self.answered if self.answered else 0.0
