"""dbt docs: full coverage and conventions (genai_report.docs_check), offline static docs
(genai_report.static_docs), and the lineage from report_cells back to the landing files in a browser."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict, deque
from pathlib import Path

import pytest

from genai_report import contract, docs_check, static_docs
from genai_report.dbt import run_dbt
from genai_report.docs_check import Gap
from tests.python.conftest import PROJECT_DIR, SHIPPED_LANDING

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = PROJECT_DIR / "build" / "test-artifacts"
REPORT_CELLS = "model.genai_report.report_cells"
REPORT_CASES = "model.genai_report.report_cases"
RESTRICTED_TEXTS = "model.genai_report.restricted_case_texts"
INT_CASES = "model.genai_report.int_cases"
LANDING_SOURCE = "source.genai_report.landing.submission_files"


@pytest.fixture(scope="module")
def docs_target(shipped_warehouse) -> Path:
    """`dbt docs generate --static` over the shipped sample's warehouse, in a target folder of its own."""
    target = shipped_warehouse.with_name("docs_dbt_target")
    target.mkdir(exist_ok=True)
    parsed = shipped_warehouse.with_name(shipped_warehouse.stem + "_dbt_target") / "partial_parse.msgpack"
    if parsed.exists():  # the build already parsed the project: reuse it
        shutil.copy2(parsed, target / parsed.name)
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("GENAI_DBT_TARGET", "test")
        environment.setenv("GENAI_TEST_WAREHOUSE", str(shipped_warehouse))
        environment.setenv("GENAI_LANDING_DIR", str(SHIPPED_LANDING))
        paths = ["--target-path", str(target), "--log-path", str(target)]
        run_dbt(["docs", "generate", "--static", "--target", "test", *paths])
    return target


def test_docs_describe_everything_and_conventions_hold(docs_target, capsys):
    manifest, catalog = docs_check.load(docs_target)
    gaps = docs_check.check(manifest, catalog)
    assert gaps == [], "\n".join(map(str, gaps))
    assert docs_check.main([str(docs_target)]) == 0
    assert "docs check passed" in capsys.readouterr().out
    # The landing source is where lineage starts; report_cells is the public, contracted cube.
    assert manifest["sources"][LANDING_SOURCE]["description"]
    assert manifest["nodes"][REPORT_CELLS]["access"] == "public"
    assert manifest["nodes"][REPORT_CELLS]["contract"]["enforced"] is True


def test_docs_check_names_an_undescribed_column(docs_target, tmp_path, capsys):
    manifest = json.loads((docs_target / "manifest.json").read_text(encoding="utf-8"))
    manifest["nodes"][REPORT_CELLS]["columns"]["prior_value"]["description"] = ""
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.copy2(docs_target / "catalog.json", tmp_path / "catalog.json")

    assert docs_check.main([str(tmp_path)]) == 1
    output = capsys.readouterr()
    assert f"[column-described] {REPORT_CELLS}.prior_value: no column description" in output.out
    assert "docs check FAILED: 1 gaps" in output.err


def test_docs_check_rules_bite(docs_target):
    """Each convention fails on the mistake it exists for."""
    manifest, catalog = docs_check.load(docs_target)
    cells = manifest["nodes"][REPORT_CELLS]
    cells["description"] = "The cube."
    cells["contract"]["enforced"] = False
    cells["depends_on"]["nodes"].append(LANDING_SOURCE)
    catalog["nodes"][REPORT_CELLS]["columns"]["case_name"] = {"name": "case_name", "type": "VARCHAR", "index": 99}
    manifest["nodes"]["model.genai_report.int_cases"]["access"] = "public"
    for uid in [uid for uid, node in manifest["nodes"].items() if node.get("attached_node") == REPORT_CELLS]:
        del manifest["nodes"][uid]

    rules = defaultdict(set)
    for gap in docs_check.check(manifest, catalog):
        rules[gap.rule].add(gap.resource)
    assert REPORT_CELLS in rules["bilingual"]
    assert REPORT_CELLS in rules["contract"]
    assert REPORT_CELLS in rules["source-outside-staging"]
    assert LANDING_SOURCE in rules["source-fanout"]
    assert f"{REPORT_CELLS}.case_name" in rules["restricted"]
    assert f"{REPORT_CELLS}.case_name" in rules["column-described"]
    assert REPORT_CELLS in rules["primary-key"]
    assert "model.genai_report.int_cases" in rules["access"]
    assert {"model.genai_report.int_cases.case_name", "model.genai_report.int_cases.high_risk"} <= rules["restricted"]


def test_docs_check_guards_the_case_mart_and_the_outputs(docs_target):
    """The public case mart is contracted without a restricted column; an output reads marts and
    seeds only, and the restricted mart only where its exposure says so."""
    manifest, catalog = docs_check.load(docs_target)
    cases = manifest["nodes"][REPORT_CASES]
    assert (cases["access"], cases["contract"]["enforced"]) == ("public", True)
    assert not {name.lower() for name in cases["columns"]} & set(contract.restricted_columns())
    catalog["nodes"][REPORT_CASES]["columns"]["high_risk"] = {"name": "high_risk", "type": "VARCHAR", "index": 99}
    open_data = manifest["exposures"]["exposure.genai_report.open_data_csv"]
    open_data["depends_on"]["nodes"] += [INT_CASES, RESTRICTED_TEXTS, "model.genai_report.no_such_model"]
    kit = manifest["exposures"]["exposure.genai_report.submission_kit"]
    for holder in (kit, kit["config"]):
        holder["meta"].pop("restricted", None)

    gaps = docs_check.check(manifest, catalog)
    assert Gap("restricted", f"{REPORT_CASES}.high_risk", "restricted (非公開) column in a public model") in gaps
    outputs = [(gap.resource, gap.detail) for gap in gaps if gap.rule == "exposure-reads"]
    assert [resource for resource, _ in outputs] == [
        "exposure.genai_report.open_data_csv",
        "exposure.genai_report.open_data_csv",
        "exposure.genai_report.open_data_csv",
        "exposure.genai_report.submission_kit",
    ]
    for parent in (INT_CASES, RESTRICTED_TEXTS, "model.genai_report.no_such_model"):
        assert any(parent in detail for resource, detail in outputs if resource.endswith("open_data_csv")), parent
    assert RESTRICTED_TEXTS in outputs[-1][1]


@pytest.mark.parametrize(
    ("description", "problem"),
    [
        ("案件名 / Case name", None),
        ("`_T` は合計 / `_T` is the total", None),
        ("Case name", "no Japanese"),
        ("案件名", "no English"),
        ("Case name / 案件名", "English before Japanese"),
    ],
)
def test_bilingual_rule(description, problem):
    found = docs_check.bilingual_problem(description)
    assert (found is None) if problem is None else (problem in found)


def test_code_list_docs_list_every_code():
    """Each code list's docs block names every code of seeds/reference/code_lists.csv."""
    text = (PROJECT_DIR / "models" / "docs" / "code_lists.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", text, re.DOTALL))
    with open(PROJECT_DIR / "seeds" / "reference" / "code_lists.csv", encoding="utf-8") as handle:
        seed = list(csv.DictReader(handle))
    missing = [
        f"{row['code_list']}.{row['code']}"
        for row in seed
        if f"`{row['code']}`" not in blocks.get(f"code_list_{row['code_list']}", "")
    ]
    assert not missing, f"codes not in models/docs/code_lists.md: {missing}"


def test_static_docs_need_no_network(docs_target, tmp_path):
    html = (docs_target / "static_index.html").read_text(encoding="utf-8")
    offline = static_docs.make_offline(html)
    assert static_docs.network_references(offline) == []
    assert "cloudfront.net" not in offline and 'lang="ja"' in offline
    # The manifest and catalog stay inlined: the page is the whole docs site.
    assert REPORT_CELLS in offline and "landing.submission_files" in offline

    with_cdn = html.replace(
        "</head>", '<link rel="stylesheet" href="https://fonts.example.com/css?family=Noto"></head>'
    )
    with pytest.raises(static_docs.NetworkReferenceError, match="fonts.example.com"):
        static_docs.make_offline(with_cdn)
    assert static_docs.main([str(docs_target / "static_index.html"), str(tmp_path / "index.html")]) == 0
    assert static_docs.network_references((tmp_path / "index.html").read_text(encoding="utf-8")) == []


#: the models a case passes through between the landing files and report_cells, in order.
CASE_PATH = ("base_submissions__landed", "stg_submissions__rows", "int_submission_rows", "int_cases")


def _has_path(edges: list[list[str]], start: str, end: str) -> list[str] | None:
    children = defaultdict(list)
    for parent, child in edges:
        children[parent].append(child)
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            path = []
            while node is not None:
                path.append(node)
                node = previous[node]
            return path[::-1]
        for child in children[node]:
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return None


def test_lineage_graph_leads_from_report_cells_to_the_landing_files(docs_target, tmp_path):
    """Open the offline docs in headless Chromium, go to report_cells, open its lineage graph full
    screen (the buttons a reader clicks), and read the drawn graph: it must show a path from the
    landing source to report_cells. No request may leave the machine."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian chromium, chromium-driver; `make test` as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    page = static_docs.write_offline(docs_target / "static_index.html", tmp_path / "docs" / "index.html")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1600,1000",
        "--lang=ja",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: any network use would fail
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.get(f"{page.resolve().as_uri()}#!/model/{REPORT_CELLS}")
        wait = WebDriverWait(driver, 60)
        wait.until(lambda d: d.execute_script("return document.querySelector('[ng-click=\"onLauncherClick()\"]')"))
        wait.until(lambda d: "report_cells" in d.execute_script("return document.querySelector('h1').innerText"))
        driver.execute_script("document.querySelector('[ng-click=\"onLauncherClick()\"]').click()")
        wait.until(lambda d: d.execute_script("return document.querySelector('[ng-click=\"showExpanded()\"]')"))
        driver.execute_script("document.querySelector('[ng-click=\"showExpanded()\"]').click()")
        read_graph = """
            const graph = angular.element(document.body).injector().get('graph');
            const cy = graph.graph_element;
            if (!cy || graph.orientation !== 'fullscreen' || cy.nodes(':visible').length === 0) return null;
            return {
                nodes: cy.nodes(':visible').map(node => node.id()),
                edges: cy.edges(':visible').map(edge => [edge.source().id(), edge.target().id()]),
            };
        """
        graph = wait.until(lambda d: d.execute_script(read_graph))
        # Highlight report_cells' lineage, as clicking the node does, for the screenshot.
        driver.execute_script(f"angular.element(document.body).injector().get('graph').selectNode('{REPORT_CELLS}')")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "docs_lineage.png"))
        requests = [  # every request the docs page made (the browser's own pages excluded)
            message["params"]["request"]["url"]
            for entry in driver.get_log("performance")
            for message in [json.loads(entry["message"])["message"]]
            if message["method"] == "Network.requestWillBeSent"
            and message["params"].get("documentURL", "").startswith("file:")
        ]
    finally:
        driver.quit()

    # The drawn graph leads from the landing files through the rows and the cases to the cells.
    steps = [LANDING_SOURCE, *(f"model.genai_report.{step}" for step in CASE_PATH), REPORT_CELLS]
    for parent, child in zip(steps, steps[1:], strict=False):
        assert _has_path(graph["edges"], parent, child), f"no drawn path from {parent} to {child}: {graph['edges']}"
    assert requests, "no request of the docs page was logged"
    remote = [url for url in requests if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert remote == [], f"the docs page fetched from the network: {remote}"
    assert (ARTIFACTS / "docs_lineage.png").stat().st_size > 10_000
