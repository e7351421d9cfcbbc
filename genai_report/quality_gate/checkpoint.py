"""Running the suites: one ephemeral GX context, one checkpoint over every suite, Data Docs once.

GX's SQL datasource returns no rows on DuckDB (an upstream bug), so the frames are computed with
DuckDB (frames.py) and GX validates them as pandas DataFrames. A GX pandas ``dataframe`` asset takes
its frame as a batch parameter, which a checkpoint passes identically to every validation, so each
frame is written to a private temporary directory and read back by a pandas ``pickle`` asset of its
own. Great Expectations is imported here, when the gate runs, never when genai_report is imported.
Nothing GX generates is written to the repository.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from genai_report.quality_gate.rules import INDEX_COLUMNS
from genai_report.quality_gate.suites import Suite, _note


@dataclass
class Check:
    """A declared suite with the frame computed for it."""

    suite: Suite
    frame: pd.DataFrame

    @property
    def name(self) -> str:
        return self.suite.name


def run_checkpoint(checks: list[Check], data_docs_dir: Path):
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "gate": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    source = context.data_sources.add_pandas("warehouse")
    definitions = []
    with tempfile.TemporaryDirectory(prefix="genai_gate_") as scratch:
        for check in checks:
            path = Path(scratch) / f"{check.name}.pkl"
            check.frame.to_pickle(path)
            asset = source.add_pickle_asset(check.name, filepath_or_buffer=path)
            declared = check.suite
            suite = gx.ExpectationSuite(
                name=declared.name,
                expectations=copy.deepcopy(list(declared.expectations)),
                meta=_note(declared.description),
            )
            # GX logs and skips an expectation dict it cannot build; the gate refuses instead.
            if len(suite.expectations) != len(declared.expectations):
                raise ValueError(
                    f"suite {declared.name}: GX accepted {len(suite.expectations)} of "
                    f"{len(declared.expectations)} declared expectations"
                )
            suite = context.suites.add(suite)
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(
                        name=check.name, data=asset.add_batch_definition_whole_dataframe("all"), suite=suite
                    )
                )
            )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name="genai_report_gate",
                validation_definitions=definitions,
                actions=[],
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS},
            )
        )
        result = checkpoint.run(run_id=RunIdentifier(run_name="genai_report_gate"))
    # Once, after the run (an UpdateDataDocsAction would rebuild the whole site per suite).
    context.build_data_docs(site_names=["gate"])
    return result


def _describe(config) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "value_set")}
    if "value_set" in config.kwargs:
        kwargs["value_set"] = f"<{len(config.kwargs['value_set'])} codes>"
    return f"{config.type}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def report_failures(result, limit: int = 100, stream=None) -> list[str]:
    """Print every failed expectation with the table, period and cell of each failing row.

    Returns one 'suite: expectation_type' line per failed expectation.
    """
    stream = stream or sys.stdout
    failed = []
    for validation in result.run_results.values():
        suite = validation.suite_name
        for outcome in validation.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            failed.append(f"{suite}: {config.type}")
            exception = (outcome.exception_info or {}).get("exception_message")
            details = outcome.result or {}
            print(f"FAILED {suite}: {_describe(config)}", file=stream)
            if exception:
                print(f"    error: {exception}", file=stream)
            if "observed_value" in details:
                print(f"    observed: {details['observed_value']}", file=stream)
            unexpected = details.get("unexpected_index_list") or []
            if unexpected:
                print(f"    {details.get('unexpected_count', len(unexpected))} failing row(s):", file=stream)
            for row in unexpected[:limit]:
                if not isinstance(row, dict):
                    print(f"    row {row}", file=stream)
                    continue
                rest = ", ".join(f"{k}={v!r}" for k, v in row.items() if k not in INDEX_COLUMNS)
                period = row.get("period_end") or "-"
                print(f"    table {row.get('table')} | period {period} | cell {row.get('cell')} | {rest}", file=stream)
            if len(unexpected) > limit:
                print(f"    ... and {len(unexpected) - limit} more (see the Data Docs)", file=stream)
    return failed
