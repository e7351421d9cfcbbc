"""Canonical codes and the form's Japanese labels, as the submission form defines them.

Kept here (not read from seeds/reference) so that the generator's output depends only on the
publication transcription and the seed; the labels are the form's contract
(docs/spec/submission-form.md) and match seeds/reference/code_lists.csv.
"""

from __future__ import annotations

USAGE = ["GENERAL_1", "GENERAL_2", "SPECIFIC_1", "SPECIFIC_2", "OTHER"]
TIMING_SEP = ["STARTED", "WITHIN_CY", "WITHIN_FY", "LATER_FY", "UNDECIDED"]
TIMING_DEC = ["STARTED", "WITHIN_FY", "LATER_FY", "UNDECIDED"]
STATUS = ["STARTED", "NOT_STARTED"]
SCOPE = [
    "SINGLE_DIVISION",
    "SINGLE_BUREAU",
    "SINGLE_MINISTRY_WIDE",
    "MULTI_MINISTRY",
    "GOV_RELATED",
    "EXTERNAL_SPECIFIC",
    "EXTERNAL_PUBLIC",
    "OTHER",
]
EXTERNAL = ["EXTERNAL_SPECIFIC", "EXTERNAL_PUBLIC"]
GOV_SCOPE = [s for s in SCOPE if s not in EXTERNAL]
STAGE = ["PRODUCTION", "POC"]
CONF = ["C1_ONLY", "C2_PROMPT", "C2_REFERENCE", "C2_TRAINING"]
OUTCOME = ["QUANTITATIVE", "QUALITATIVE", "NONE"]
OUTPUT = [
    "TEXT_ONLY",
    "AUDIO_USE",
    "IMAGE_USE",
    "AUDIO_IMAGE_CAPABLE",
    "VIDEO_CAPABLE",
    "OTHER",
    "UNANSWERED",
]
WIDE = "SINGLE_MINISTRY_WIDE"

SEP, DEC = "2025-09-30", "2025-12-31"
PERIODS = [SEP, DEC]
TIMING = {SEP: TIMING_SEP, DEC: TIMING_DEC}

LABELS = {
    "usage_type": {
        "GENERAL_1": "汎用型1",
        "GENERAL_2": "汎用型2",
        "SPECIFIC_1": "特化型1",
        "SPECIFIC_2": "特化型2",
        "OTHER": "その他",
    },
    "start_timing": {
        "STARTED": "利用開始済み",
        "WITHIN_CY": "令和7年中に利用開始予定",
        "WITHIN_FY": "令和7年度中に利用開始予定",
        "LATER_FY": "令和8年度以降に利用開始予定",
        "UNDECIDED": "未定・その他",
    },
    "user_scope": {
        "SINGLE_DIVISION": "単一府省庁のみ-課室単位以下",
        "SINGLE_BUREAU": "単一府省庁のみ-部局単位 (複数部局での利用を含む)",
        "SINGLE_MINISTRY_WIDE": "単一府省庁のみ-全体",
        "MULTI_MINISTRY": "複数府省庁まで (独法や地方公共団体等を含まない)",
        "GOV_RELATED": "行政関係者まで (独法や地方公共団体等を含む)",
        "EXTERNAL_SPECIFIC": "外部 (特定少数)",
        "EXTERNAL_PUBLIC": "外部 (不特定多数)",
        "OTHER": "その他",
    },
    "stage": {"PRODUCTION": "常用段階", "POC": "検証段階"},
    "confidentiality": {
        "C1_ONLY": "機密性1情報のみ取り扱う",
        "C2_PROMPT": "機密性2情報や個人情報を利用者が指示文に入力する",
        "C2_REFERENCE": "機密性2情報や個人情報を参照して回答を生成する",
        "C2_TRAINING": "機密性2情報を生成AIの追加学習（強化学習やファインチューニング等）に用いる",
    },
    "outcome_goal": {
        "QUANTITATIVE": "定量成果目標あり",
        "QUALITATIVE": "定性成果目標あり",
        "NONE": "成果目標なし",
    },
    "output_type": {
        "TEXT_ONLY": "テキスト出力のみ",
        "AUDIO_USE": "用途に音声を含む",
        "IMAGE_USE": "用途に画像を含む",
        "AUDIO_IMAGE_CAPABLE": "機能に音声・画像を含む",
        "VIDEO_CAPABLE": "機能に動画を含む",
        "OTHER": "その他",
        "UNANSWERED": "未記入",
    },
}

# The report's (and form's) numbering; start timing is numbered per form version.
NUMBERS = {
    "user_scope": {c: i + 1 for i, c in enumerate(SCOPE)},
    "confidentiality": {c: i + 1 for i, c in enumerate(CONF)},
    "output_type": {c: i + 1 for i, c in enumerate(OUTPUT)},
}
TIMING_NUMBERS = {p: {c: i + 1 for i, c in enumerate(TIMING[p])} for p in PERIODS}

HEADERS = [
    "府省庁名",
    "案件番号",
    "案件名",
    "利用類型",
    "利用開始時期",
    "利用者の範囲",
    "導入段階",
    "取扱情報の機密性",
    "成果目標",
    "成果目標の内容",
    "出力データの種類",
    "利用モデル",
    "利用廃止",
    "リスクケース発生",
    "高リスク判定",
]

TABLE_DIMS = {
    "T01": ["usage_type", "start_timing"],
    "T02": ["usage_type", "start_status", "user_scope"],
    "T03": ["usage_type", "start_status", "user_scope", "stage"],
    "T04": ["usage_type", "start_status", "confidentiality"],
    "T05": ["usage_type", "start_status", "user_scope", "stage"],
    "T06": ["output_type"],
    "T08": ["usage_type", "start_status", "user_scope", "stage"],
}
CELL_DIMS = [
    "usage_type",
    "start_timing",
    "start_status",
    "user_scope",
    "stage",
    "confidentiality",
    "output_type",
    "outcome_goal",
    "model_family",
]


def status(timing: str | None) -> str | None:
    if timing is None:
        return None
    return "STARTED" if timing == "STARTED" else "NOT_STARTED"
