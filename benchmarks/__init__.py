"""Benchmarks of the warehouse as users run it (see docs/benchmarks.md and scripts/benchmark.py).

Not part of the installed package (pyproject ships genai_report only, so this folder may use the
dev group's psutil and Polars) nor of the build: synthetic landing data as Parquet and as the forms
ministries send (``synth``, which tests/python/test_landing_scale.py also lands), a snapshot of the
project to run ``make build`` on (``project``), a command in a measured subprocess (``measure``),
the hand-written floor, pandas and Polars baselines for the cube (``baselines``), the runs
themselves (``suite``), the tables and the plot (``report``, ``plot``).
"""
