"""Generate the shipped sample submissions and their ground truth.

    .venv/bin/python scripts/generate_sample.py [--seed N] [--out DIR]

Writes data/landing/2025-09-30/, data/landing/2025-12-31/, data/sample_truth/ and
seeds/published/generated/published_errata.csv under DIR (default: the repository root).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from genai_report.contract import PROJECT_DIR
from genai_report.sample import DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR, help="output root (default: repository root)")
    args = parser.parse_args(argv)
    generate(PROJECT_DIR, seed=args.seed, out=args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
