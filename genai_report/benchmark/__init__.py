"""Benchmarks of the warehouse build (see docs/benchmarks.md and scripts/benchmark.py).

Not part of the build or of the test suite: synthetic landing data (``synth``), a snapshot of the
dbt project to build it with (``project``), dbt in a measured subprocess (``measure``), the
hand-written floor and the pandas baseline for the cube (``baselines``), and the plot (``plot``).
"""
