"""The Great Expectations gate: an independent check of a finished warehouse before it is published.

The gate recomputes, with its own SQL over the warehouse's relations, what the report rules of
docs/spec/report-tables.md say must hold, and lets Great Expectations (GX Core 1.x) judge the result:

* ``rules.py``: the rules, transcribed independently of the dbt macros (a deliberate oracle);
* ``frames.py``: one small frame per check, computed by DuckDB (aggregates: per cell, per table and
  period, per membership outcome; never one row per case), keyed by ``table`` / ``period_end`` /
  ``cell`` with the value the rule expects and the value the warehouse holds;
* ``suites.py``: the expectation suites, declared as data (GX expectation dicts);
* ``checkpoint.py``: one ephemeral GX context and one checkpoint over every suite;
* ``offline.py`` + ``static/``: Data Docs that need no network;
* ``run.py``: ``run_gate`` and the command line.

A failure is printed with suite, table, period and cell, and the gate returns False. Restricted
fields (案件名, 成果目標の内容, 利用モデル, 高リスク判定) are never selected. Great Expectations is imported
only when the gate runs.
"""

from __future__ import annotations

from genai_report.quality_gate.frames import GateError
from genai_report.quality_gate.run import env_flag, main, run_gate

__all__ = ["GateError", "env_flag", "main", "run_gate"]
