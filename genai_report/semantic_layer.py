"""`.venv/bin/mf`: MetricFlow's own command line (docs/analysts.md), offline.

dbt-metricflow asks PyPI for a newer version of itself on every command (the update_checker
package; no setting turns it off). The warehouse is read on machines that may have no network and
must not call out, so this entry point answers that check with "no newer version" and then runs
MetricFlow's command line unchanged: same commands, options, output and errors. dbt's own usage
statistics are off in dbt_project.yml (`flags: send_anonymous_usage_stats: false`).
"""

from __future__ import annotations

import update_checker


def _no_newer_version(_checker: object, _package_name: str, _package_version: str) -> None:
    return None


def main() -> None:
    update_checker.UpdateChecker.check = _no_newer_version
    from dbt_metricflow.cli.main import cli

    cli()
