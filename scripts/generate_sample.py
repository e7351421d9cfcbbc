"""Generate the shipped sample submissions and their ground truth.

    .venv/bin/python scripts/generate_sample.py [--seed N] [--out DIR]

Writes data/landing/2025-09-30/, data/landing/2025-12-31/, data/sample_truth/ and
seeds/published/generated/published_errata.csv under DIR (default: the repository root).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from genai_report.sample import DEFAULT_SEED, generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT, help="output root (default: repository root)")
    args = parser.parse_args(argv)
    generate(ROOT, seed=args.seed, out=args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
