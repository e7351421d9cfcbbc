# Two entry points (README.md): `make build` and `make test`. Each creates .venv from
# pyproject.toml + requirements.lock first, and reuses it while those files are unchanged.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)

.PHONY: build test lint lock setup clean browser-packages spark-env build-spark setup-spark lock-spark test-spark kit

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@echo "== setting up $(VENV) from requirements.lock"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	@# --compile-bytecode: what pip does by default; without it every run where Python may not write
	@# .pyc files (PYTHONDONTWRITEBYTECODE) compiles dbt and Great Expectations again (~4 s each).
	@$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

build: $(STAMP)
	$(BIN)/python -m genai_report.build

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models macros tests/data analyses

test: lint browser-packages spark-env
	$(BIN)/pytest

# Browser tests (docs lineage, HTML report) need Debian's Chromium and a CJK font. Installed here
# when running as root; where that is impossible the browser tests skip themselves with the reason.
browser-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	    && ! (command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1); then \
	    echo "== installing chromium, chromium-driver, fonts-noto-cjk for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	        chromium chromium-driver fonts-noto-cjk >/dev/null) \
	    || echo "could not install Chromium; browser tests will report themselves skipped"; \
	fi
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	    && ! (command -v libreoffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1); then \
	    echo "== installing libreoffice-calc-nogui, poppler-utils for the kit's LibreOffice tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        libreoffice-calc-nogui poppler-utils fonts-noto-cjk >/dev/null) \
	    || echo "could not install LibreOffice; the kit's LibreOffice tests will report themselves skipped"; \
	fi

# The submission kit (docs/ministries.md): one prefilled form per ministry for PERIOD,
# read from the published warehouse ($$GENAI_WAREHOUSE), written to OUT (default build/kit/PERIOD).
kit: $(STAMP)
	@test -n "$(PERIOD)" || (echo "usage: make kit PERIOD=YYYY-MM-DD [OUT=DIR]" >&2; exit 2)
	$(BIN)/python -m genai_report.kit --period $(PERIOD) --out $(or $(OUT),build/kit/$(PERIOD))

# The Spark target (docs/spark.md): its own environment .venv-spark from requirements-spark.lock
# (pyspark 4 and dbt-spark; Great Expectations' Spark extra wants pyspark < 4, so the two never
# share an environment), created when the lock changes, like .venv. Needs Java 17 or 21.
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell cat requirements-spark.lock | cksum | cut -d' ' -f1)

setup-spark: $(SPARK_STAMP)

$(SPARK_STAMP): requirements-spark.lock | $(STAMP)
	@echo "== setting up $(SPARK_VENV) from requirements-spark.lock"
	@test -x $(SPARK_BIN)/python || $(PYTHON) -m venv $(SPARK_VENV)
	@$(BIN)/uv pip sync --quiet --python $(SPARK_BIN)/python requirements-spark.lock
	@$(BIN)/uv pip install --quiet --python $(SPARK_BIN)/python --no-deps -e .
	@rm -f $(SPARK_VENV)/.installed-*
	@touch $@

# Land data/landing ($$GENAI_LANDING_DIR) into Spark tables, then `dbt build --target spark` into
# warehouse/spark ($$GENAI_SPARK_WAREHOUSE): seeds, models and every dbt test, on a local Spark.
build-spark: $(SPARK_STAMP)
	$(SPARK_BIN)/python -m genai_report.spark_build

# make test runs tests/python/test_spark.py (the shipped sample built on Spark equals the DuckDB
# build, report_cells and every mart): .venv-spark is set up here wherever Java is present, and
# reused while requirements-spark.lock is unchanged. Without Java the Spark tests skip with the reason.
spark-env:
	@if command -v java >/dev/null 2>&1 || [ -n "$$JAVA_HOME" ]; then $(MAKE) --no-print-directory --silent setup-spark; \
	else echo "== no Java on PATH or JAVA_HOME: the Spark tests will report themselves skipped"; fi

# The Spark tests alone (the same tests make test runs).
test-spark: $(SPARK_STAMP)
	$(BIN)/pytest -m spark

# Re-resolve the Spark environment's pinned set after editing requirements-spark.in.
lock-spark: $(STAMP)
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements-spark.in -o requirements-spark.lock

# Re-resolve the pinned set after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet --group dev pyproject.toml -o requirements.lock

clean:
	rm -rf target logs build warehouse
