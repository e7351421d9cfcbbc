"""Docs coverage and project conventions, checked on dbt's artifacts.

Reads ``manifest.json`` and ``catalog.json`` from a dbt target folder (written by
``dbt docs generate``) and lists every gap; the exit status is non-zero when there is one::

    python -m genai_report.docs_check TARGET_DIR

Only this project's resources are checked (not dbt's or adapters' packages). Rules, each reported
under its name:

``described``
    Every model, seed, source table and exposure has a description, and the ``__overview__``
    docs block exists (the front page of dbt docs: layers, lineage, where each rule lives).
``column-described``
    Every column the catalog lists for a model, seed or source has a description (100 %). A source
    the catalog cannot see (``meta.external_location``, e.g. ``read_blob()``) must describe the
    columns its YAML declares; a model or seed missing from the catalog is a gap (it was not built).
``column-exists``
    Every documented column exists in the relation the catalog lists (no stale documentation).
``bilingual``
    Every description above is Japanese first, then English ("日本語 / English"): it contains
    Japanese, and an English word (three or more Latin letters, not in a code span), and the
    Japanese comes first.
``contract``
    Every public model has ``contract: {enforced: true}`` and a ``data_type`` on every column.
``access``
    Access by layer: staging ``private``, intermediate ``protected``, models under
    ``marts/report``, ``marts/submissions``, ``marts/cases`` and ``marts/revisions`` ``public``; a ``restricted_*``
    mart ``protected`` wherever it is.
``restricted``
    No public model carries a restricted (非公開) column: one flagged ``is_restricted`` in the
    submission_columns seed (genai_report.contract.restricted_columns) or marked
    ``meta: {restricted: true}`` anywhere in the project; and no ``restricted_*`` model is public.
``exposure-reads``
    Every exposure's dependency exists, and an output reads only marts and seeds, never a staging
    or intermediate model; a ``restricted_*`` mart only where the exposure says
    ``meta: {restricted: true}`` (delivered to the ministry whose cases they are, never published).
``source-fanout`` (dbt-project-evaluator: source fanout, unused sources)
    Every source table is read by exactly one model.
``source-outside-staging`` (dbt-project-evaluator: marts or intermediate dependent on source)
    Only staging models read sources; intermediate models and marts never do. The one exception is
    a source marked ``meta: {publication_record: true}`` (the build's record of what it published,
    ``vintages``), which a mart under ``marts/revisions`` reads: the record is written after the
    models run, so it never passes through staging.
``naming`` (dbt-project-evaluator: model naming conventions, model directories)
    A model's prefix matches its layer folder: ``staging/`` ``stg_`` (or ``base_``), ``intermediate/`` ``int_``,
    ``marts/`` ``report_``, ``submission_``, ``rpt_`` or ``restricted_`` (a restricted mart, never
    public), ``semantic/`` ``metricflow_`` (the semantic layer's time spine). A model outside these
    folders is a gap.
``primary-key`` (dbt-project-evaluator: missing primary key tests)
    Every model has a primary-key test: a column tested both ``unique`` and ``not_null``, or a
    model-level combination test (``unique_combination`` in ``macros/generic_tests``, treating NULL as a
    value; ``unique_key``; ``dbt_utils.unique_combination_of_columns``), or a ``primary_key``
    constraint.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from genai_report import contract

LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "staging": ("stg_", "base_"),
    "intermediate": ("int_",),
    "marts": ("report_", "submission_", "rpt_", "restricted_"),
    # MetricFlow's calendar (models/semantic/), named as MetricFlow expects it.
    "semantic": ("metricflow_",),
}
LAYER_ACCESS: dict[str, str] = {
    "staging": "private",
    "intermediate": "protected",
    "marts/report": "public",
    "marts/submissions": "public",
    "marts/cases": "public",
    "marts/revisions": "public",
}
#: the folder whose marts read the publication record (sources with meta publication_record).
PUBLICATION_RECORD_READERS = "marts/revisions"
#: a restricted mart is never public, whatever its folder's access.
RESTRICTED_PREFIX = "restricted_"
RESTRICTED_ACCESS = "protected"
#: the layers an exposure may read (plus seeds).
EXPOSED_LAYERS = frozenset({"marts"})
COMBINATION_KEY_TESTS = frozenset({"unique_combination", "unique_key", "unique_combination_of_columns"})

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z_])[A-Za-z]*[a-z][A-Za-z]*(?![A-Za-z_])")
_CODE_SPAN = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)
_URL = re.compile(r"\b(?:https?|file)://\S+")


@dataclass(frozen=True, order=True)
class Gap:
    rule: str
    resource: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.resource}: {self.detail}"


def bilingual_problem(description: str) -> str | None:
    """Why `description` is not "日本語 / English", or None when it is."""
    text = _URL.sub(" ", _CODE_SPAN.sub(" ", description))
    japanese = _JAPANESE.search(text)
    english = next((word for word in _ENGLISH_WORD.finditer(text) if len(word.group()) >= 3), None)
    if japanese is None:
        return "no Japanese text (write 日本語 / English)"
    if english is None:
        return "no English text (write 日本語 / English)"
    if english.start() < japanese.start():
        return f"English before Japanese (starts with {english.group()!r}; write 日本語 / English)"
    return None


def _layer(node: dict) -> str | None:
    parts = Path(node.get("path") or "").parts
    return parts[0] if parts and parts[0] in LAYER_PREFIXES else None


def _sublayer(node: dict) -> str | None:
    parts = Path(node.get("path") or "").parts
    if not parts:
        return None
    if parts[0] == "marts" and len(parts) > 2:
        return f"marts/{parts[1]}"
    return parts[0]


def _meta(column: dict) -> dict:
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


def check(manifest: dict, catalog: dict) -> list[Gap]:
    """Every gap in docs coverage and conventions (empty list = all rules hold)."""
    project = manifest["metadata"]["project_name"]
    own = {
        uid: node
        for uid, node in {**manifest["nodes"], **manifest["sources"]}.items()
        if node.get("package_name") == project
    }
    models = {uid: node for uid, node in own.items() if node["resource_type"] == "model"}
    seeds = {uid: node for uid, node in own.items() if node["resource_type"] == "seed"}
    sources = {uid: node for uid, node in own.items() if node["resource_type"] == "source"}
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    exposures = {uid: node for uid, node in manifest["exposures"].items() if node["package_name"] == project}
    catalogued = {**catalog.get("nodes", {}), **catalog.get("sources", {})}
    gaps: list[Gap] = []

    def describe(rule_target: str, description: str | None, what: str = "description") -> None:
        if not (description or "").strip():
            gaps.append(Gap("described" if what == "description" else "column-described", rule_target, f"no {what}"))
            return
        problem = bilingual_problem(description)
        if problem:
            gaps.append(Gap("bilingual", rule_target, problem))

    # described, column-described, column-exists, bilingual
    own_docs = [doc["name"] for doc in manifest.get("docs", {}).values() if doc["package_name"] == project]
    if "__overview__" not in own_docs:
        gaps.append(Gap("described", project, "no __overview__ docs block (models/docs/overview.md)"))
    for uid, node in sorted({**models, **seeds, **sources}.items()):
        describe(uid, node.get("description"))
        documented = {name.lower(): column for name, column in (node.get("columns") or {}).items()}
        relation = catalogued.get(uid)
        if relation is None:
            if node["resource_type"] == "source" and (node.get("meta") or {}).get("external_location"):
                actual = list(documented)
            else:
                gaps.append(Gap("column-described", uid, "not in the catalog (build it, then dbt docs generate)"))
                continue
        else:
            actual = [name.lower() for name in relation["columns"]]
            for name in sorted(set(documented) - set(actual)):
                gaps.append(Gap("column-exists", f"{uid}.{name}", "documented but not in the relation"))
        for name in actual:
            column = documented.get(name)
            describe(f"{uid}.{name}", column and column.get("description"), "column description")
    for uid, exposure in sorted(exposures.items()):
        describe(uid, exposure.get("description"))
        if not (exposure.get("owner") or {}).get("name") and not (exposure.get("owner") or {}).get("email"):
            gaps.append(Gap("described", uid, "no owner"))

    # contract, access, restricted
    restricted = {
        name.lower()
        for node in own.values()
        for name, column in (node.get("columns") or {}).items()
        if _meta(column).get("restricted") is True
    } | set(contract.restricted_columns())
    for uid, node in sorted(models.items()):
        access = node.get("access")
        is_restricted_mart = node["name"].startswith(RESTRICTED_PREFIX)
        expected = RESTRICTED_ACCESS if is_restricted_mart else LAYER_ACCESS.get(_sublayer(node) or "")
        if expected and access != expected:
            gaps.append(Gap("access", uid, f"access is {access!r}, its layer ({_sublayer(node)}) needs {expected!r}"))
        if access != "public":
            continue
        if is_restricted_mart:
            gaps.append(Gap("restricted", uid, "a restricted_* model must not be public"))
        if not (node.get("contract") or {}).get("enforced"):
            gaps.append(Gap("contract", uid, "public model without contract: {enforced: true}"))
        for name, column in (node.get("columns") or {}).items():
            if not column.get("data_type"):
                gaps.append(Gap("contract", f"{uid}.{name}", "public model column without data_type"))
        columns = set((node.get("columns") or {}).keys()) | set((catalogued.get(uid) or {}).get("columns", {}))
        for name in sorted({name.lower() for name in columns} & restricted):
            gaps.append(Gap("restricted", f"{uid}.{name}", "restricted (非公開) column in a public model"))

    # exposure-reads
    for uid, exposure in sorted(exposures.items()):
        may_read_restricted = _meta(exposure).get("restricted") is True
        for parent in exposure["depends_on"]["nodes"]:
            node = own.get(parent)
            if node is None:
                gaps.append(Gap("exposure-reads", uid, f"depends on {parent}, which the project does not have"))
            elif node["resource_type"] == "model" and _layer(node) not in EXPOSED_LAYERS:
                gaps.append(Gap("exposure-reads", uid, f"reads {parent} (an output reads marts and seeds only)"))
            elif node["name"].startswith(RESTRICTED_PREFIX) and not may_read_restricted:
                gaps.append(
                    Gap("exposure-reads", uid, f"reads the restricted {parent} without meta: {{restricted: true}}")
                )

    # source-fanout, source-outside-staging
    readers: dict[str, list[str]] = defaultdict(list)
    for uid, node in models.items():
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith("source."):
                readers[parent].append(uid)
                reads_record = _meta(sources.get(parent, {})).get("publication_record") is True
                if reads_record and _sublayer(node) == PUBLICATION_RECORD_READERS:
                    continue
                if _layer(node) != "staging":
                    gaps.append(Gap("source-outside-staging", uid, f"reads {parent} directly (only staging may)"))
    for uid in sorted(sources):
        count = len(readers[uid])
        if count != 1:
            who = ", ".join(sorted(readers[uid])) or "no model"
            gaps.append(Gap("source-fanout", uid, f"read by {count} models ({who}); exactly one staging model should"))

    # naming
    for uid, node in sorted(models.items()):
        layer = _layer(node)
        if layer is None:
            gaps.append(Gap("naming", uid, f"outside the layer folders {sorted(LAYER_PREFIXES)} ({node['path']})"))
        elif not node["name"].startswith(LAYER_PREFIXES[layer]):
            prefixes = " or ".join(LAYER_PREFIXES[layer])
            gaps.append(Gap("naming", uid, f"a {layer} model's name starts with {prefixes}"))

    # primary-key
    unique_columns: dict[str, set[str]] = defaultdict(set)
    not_null_columns: dict[str, set[str]] = defaultdict(set)
    keyed: set[str] = set()
    for test in tests:
        metadata = test.get("test_metadata") or {}
        attached = test.get("attached_node")
        if not attached:
            continue
        column = (test.get("column_name") or "").lower()
        if metadata.get("name") == "unique" and column:
            unique_columns[attached].add(column)
        elif metadata.get("name") == "not_null" and column:
            not_null_columns[attached].add(column)
        elif metadata.get("name") in COMBINATION_KEY_TESTS:
            keyed.add(attached)
    for uid, node in models.items():
        if any(c.get("type") == "primary_key" for c in node.get("constraints") or []):
            keyed.add(uid)
        for column in (node.get("columns") or {}).values():
            if any(c.get("type") == "primary_key" for c in column.get("constraints") or []):
                keyed.add(uid)
        if unique_columns[uid] & not_null_columns[uid]:
            keyed.add(uid)
    for uid in sorted(set(models) - keyed):
        gaps.append(
            Gap("primary-key", uid, "no primary-key test (unique + not_null on a column, or unique_combination)")
        )
    return sorted(gaps)


def load(target_dir: Path) -> tuple[dict, dict]:
    target_dir = Path(target_dir)
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target_dir / "catalog.json").read_text(encoding="utf-8"))
    return manifest, catalog


def summary(manifest: dict, catalog: dict) -> str:
    project = manifest["metadata"]["project_name"]
    nodes = [n for n in {**manifest["nodes"], **manifest["sources"]}.values() if n.get("package_name") == project]
    count = {kind: sum(1 for n in nodes if n["resource_type"] == kind) for kind in ("model", "seed", "source")}
    columns = sum(len(relation["columns"]) for relation in {**catalog["nodes"], **catalog["sources"]}.values())
    return (
        f"{count['model']} models, {count['seed']} seeds, {count['source']} sources, "
        f"{columns} catalogued columns, {len(manifest['exposures'])} exposures"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m genai_report.docs_check TARGET_DIR", file=sys.stderr)
        return 2
    try:
        manifest, catalog = load(Path(args[0]))
    except FileNotFoundError as missing:
        print(f"{missing.filename} not found: run `dbt docs generate` into {args[0]} first", file=sys.stderr)
        return 2
    gaps = check(manifest, catalog)
    for gap in gaps:
        print(gap)
    if gaps:
        by_rule = defaultdict(int)
        for gap in gaps:
            by_rule[gap.rule] += 1
        counts = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
        print(f"docs check FAILED: {len(gaps)} gaps ({counts}) in {summary(manifest, catalog)}", file=sys.stderr)
        return 1
    print(f"docs check passed: {summary(manifest, catalog)} — all described, all conventions hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
