# Two entry points (see README): `make build` and `make test`. Each creates .venv from
# pyproject.toml + requirements.lock first, and reuses it while those files are unchanged.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)

.PHONY: build test lint lock setup clean browser-packages

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@echo "== setting up $(VENV) from requirements.lock"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

build: $(STAMP)
	$(BIN)/python -m genai_report.build

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models macros tests/data analyses

test: lint browser-packages
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

# Re-resolve the pinned set after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet pyproject.toml -o requirements.lock

clean:
	rm -rf target logs build warehouse
