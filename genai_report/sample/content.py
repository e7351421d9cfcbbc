"""Synthetic free text and uncounted attributes (case names, goals, models, risk flags).

None of this is in the publication; it is invented to look like real submissions and is
documented as synthetic in data/sample_truth/generation_report.md.
"""

from __future__ import annotations

import random

# relative size of each ministry's portfolio (drives how many cases it gets)
MINISTRY_WEIGHT = {
    "CAS": 10,
    "CLB": 3,
    "NPA": 5,
    "CAO": 18,
    "IHA": 2,
    "JFTC": 5,
    "NPOLA": 16,
    "PPC": 3,
    "JCRC": 2,
    "FSA": 12,
    "CAA": 6,
    "CFA": 8,
    "DA": 34,
    "RA": 3,
    "MIC": 22,
    "MOJ": 18,
    "MOFA": 13,
    "MOF": 22,
    "MEXT": 16,
    "MHLW": 28,
    "MAFF": 20,
    "METI": 26,
    "MLIT": 27,
    "MOE": 11,
    "MOD": 19,
}
# ministries with a started ministry-wide case on 2025-09-30 (17), and the one added by 2025-12-31
WIDE_SEP = [
    "CAS",
    "CAO",
    "NPOLA",
    "FSA",
    "CFA",
    "DA",
    "MIC",
    "MOJ",
    "MOFA",
    "MOF",
    "MEXT",
    "MHLW",
    "MAFF",
    "METI",
    "MLIT",
    "MOE",
    "MOD",
]
WIDE_ADDED = ["CAA"]

DEPARTMENTS = [
    "総務課",
    "会計課",
    "人事課",
    "広報室",
    "政策企画室",
    "情報システム室",
    "調査室",
    "国際課",
    "法令審査室",
    "統計室",
    "監査室",
    "地方支分部局",
]

NAMES = {
    "GENERAL_1": [
        "生成AI利用環境",
        "対話型生成AIの業務利用",
        "文書作成支援AI",
        "議事録作成支援",
        "翻訳支援ツール",
        "要約作成支援",
        "業務用チャットAI",
        "資料作成補助AI",
        "メール文案作成支援",
        "プログラム作成支援",
    ],
    "GENERAL_2": [
        "定型文書作成テンプレート",
        "答弁案作成補助（テンプレート）",
        "プロンプト集を用いた文書校正",
        "報道発表資料ドラフト作成",
        "定型照会への回答案作成",
    ],
    "SPECIFIC_1": [
        "問合せ対応RAGシステム",
        "法令・通達検索支援",
        "過去答弁検索AI",
        "内部規程FAQボット",
        "調査結果データベース検索",
        "申請審査支援（RAG）",
        "マニュアル参照型ヘルプデスク",
        "統計データ解説支援",
    ],
    "SPECIFIC_2": [
        "専門用語に特化した独自モデル",
        "審査業務向けファインチューニングモデル",
        "行政文書分類モデル",
    ],
    "OTHER": [
        "画像生成の試行",
        "音声文字起こし・要約",
        "広報用イラスト作成",
        "コード生成の検証",
        "動画字幕作成支援",
    ],
}
# CP932-only characters (NEC / IBM extensions) for the CP932 files' case names
CP932_NAMES = [
    "問合せ対応チャットボット①",
    "問合せ対応チャットボット②",
    "髙度化文書検索（試行～本格運用）",
    "議事録作成支援（第１期～第２期）",
    "統計表作成支援Ⅱ",
]

QUANT_GOALS = [
    "議事録作成に要する時間を{n}%削減",
    "問合せ対応の一次回答時間を{n}%短縮",
    "文書作成業務を年間{m}時間削減",
    "翻訳外注件数を{n}%削減",
    "調査業務の作業時間を月{h}時間削減",
]
QUAL_GOALS = [
    "判例の網羅的かつ効率的な調査・研究。",
    "議事録作成・共有に掛かる時間の削減。",
    "必要の都度実施していた英訳・和訳業務発注の削減",
    "翻訳作業の即時化",
    "情報の収集や分析、文書等の作成等に係る効率化（作業時間の削減及び高度化）",
    "職員の検索負担の軽減",
    "回答品質の均質化",
    "定型業務の効率化による企画業務への注力",
]

MODELS = {
    "GENERAL_1": [
        ("GPT-4o (Azure OpenAI)", 30),
        ("GPT-4.1", 14),
        ("Microsoft 365 Copilot", 14),
        ("Claude Sonnet 4", 8),
        ("Claude 3.5 Sonnet (Amazon Bedrock)", 6),
        ("Gemini 2.5 Pro", 8),
        ("tsuzumi", 3),
        ("PLaMo", 2),
        ("GPT-4o (Azure OpenAI)、Gemini 2.5 Pro", 3),
        ("", 12),
    ],
    "GENERAL_2": [
        ("GPT-4o (Azure OpenAI)", 35),
        ("GPT-4.1", 15),
        ("Claude Sonnet 4", 10),
        ("Gemini 2.5 Pro", 10),
        ("ELYZA", 5),
        ("", 10),
    ],
    "SPECIFIC_1": [
        ("GPT-4o (Azure OpenAI)", 30),
        ("Claude 3.5 Sonnet (Amazon Bedrock)", 15),
        ("GPT-4.1", 12),
        ("Gemini 2.5 Pro", 10),
        ("tsuzumi", 8),
        ("ELYZA", 5),
        ("", 10),
    ],
    "SPECIFIC_2": [("独自モデル", 40), ("ELYZA", 20), ("PLaMo", 20), ("tsuzumi", 20)],
    "OTHER": [
        ("GPT-4o (Azure OpenAI)", 25),
        ("Gemini 2.5 Pro", 20),
        ("Microsoft 365 Copilot", 15),
        ("独自モデル", 10),
        ("", 20),
    ],
}

OUTCOME_WEIGHTS = [("QUANTITATIVE", 24), ("QUALITATIVE", 45), ("NONE", 28), (None, 3)]

# confidentiality of external cases: no table counts it (T04 covers government staff only)
EXTERNAL_CONF = {
    "GENERAL_1": [("C1_ONLY", 8), ("C2_PROMPT", 2)],
    "GENERAL_2": [("C1_ONLY", 8), ("C2_PROMPT", 2)],
    "SPECIFIC_1": [("C1_ONLY", 5), ("C2_REFERENCE", 5)],
    "SPECIFIC_2": [("C2_REFERENCE", 5), ("C2_TRAINING", 5)],
    "OTHER": [("C1_ONLY", 9), ("C2_REFERENCE", 1)],
}


def weighted(rng: random.Random, options: list[tuple]):
    values = [v for v, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights, k=1)[0]


def case_name(rng: random.Random, usage: str, cp932_extras: bool) -> str:
    if cp932_extras and rng.random() < 0.25:
        return rng.choice(CP932_NAMES)
    base = rng.choice(NAMES[usage])
    if rng.random() < 0.45:
        return f"{base}（{rng.choice(DEPARTMENTS)}）"
    return base


def goal_text(rng: random.Random, outcome: str | None) -> str:
    if outcome == "QUANTITATIVE":
        tpl = rng.choice(QUANT_GOALS)
        return tpl.format(n=rng.choice([10, 20, 30, 50]), m=rng.choice([500, 1000, 2400]), h=rng.choice([20, 40]))
    if outcome == "QUALITATIVE":
        return rng.choice(QUAL_GOALS)
    return ""
