# Two commands on a fresh machine: `make run` builds everything offline, `make test` tests it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster_home
# dagster-dbt looks for `dbt` on PATH when it re-parses the project under `dg dev`.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup run test lint dev manifest bench bench-pipeline bench-spark bench-pricing bench-decisions bench-telemetry docs report clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The Spark extra (pyspark, 450 MB) and a Java 17 runtime for it (Debian's, where none is on the
# machine): the tests run the Spark backend in local mode; `make run` needs neither.
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP)
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	touch $(SPARK_STAMP)

# Debian's Chromium and its WebDriver, where absent: the report's layout is tested in a real browser
# (tests/integration/test_report_in_browser.py); `make run` does not need them. Where apt cannot install
# them (no root, no Debian), the suite still runs and that test is skipped, saying so.
BROWSER := /usr/bin/chromedriver
$(BROWSER):
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } || \
		echo "*** chromium and chromium-driver could not be installed: the report's browser test is SKIPPED ***"

# The telemetry tests run against a real Prometheus server (Debian's package), scraping a local exporter.
PROMETHEUS := /usr/bin/prometheus
$(PROMETHEUS):
	command -v prometheus >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } || \
		echo "*** prometheus could not be installed: the tests against a real Prometheus are SKIPPED ***"

# dbt's manifest is what Dagster reads to draw the dbt models; parsed again when a file of the dbt
# project changed (4.5 s of every `make run` otherwise), with the absolute warehouse path the build
# hands dbt (settings.export_for_dbt): dbt keys its partial parse on the profile, and with another
# path every dbt command of a build parsed the whole project (2.4 s).
DBT_FILES := $(shell find dbt \( -path dbt/target -o -path dbt/logs -o -path dbt/dbt_packages \) -prune \
                          -o -type f -print)

manifest: dbt/target/manifest.json

dbt/target/manifest.json: $(STAMP) $(DBT_FILES)
	cd dbt && FOOTPRINT_DUCKDB_PATH="$$(../$(BIN)/python -c 'from dagster_project import settings; print(settings.warehouse_path())')" \
		../$(BIN)/dbt parse --quiet --profiles-dir .
	touch $@

run: manifest
	$(BIN)/footprint build

test: manifest lint $(SPARK_STAMP) $(BROWSER) $(PROMETHEUS)
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

# Not part of `make test`: prints wall time, rows/s and peak memory of the attribution at fleet scale.
bench: setup
	$(BIN)/python scripts/bench_attribution.py $(BENCH_ARGS)

# Not part of `make test`: the real Dagster pipeline on a seeded synthetic fleet (256 GPUs, a month of
# 10 s samples, a year of hourly intensity for 250 zones): cold build and warm refreshes, printed.
# About 20 min and 12 GB of disk under $$TMPDIR/footprint-bench; BENCH_ARGS="--sizes 7:1" for less.
# The one pricing function at declared-workload sizes (siting re-prices each cloud workload per region).
bench-pricing: setup
	$(BIN)/python scripts/bench_pricing.py $(BENCH_ARGS)

# Carbon-aware replays as decided on forecasts beside the hindsight replay: 1 M synthetic jobs, a year of
# hourly forecasts issued every hour (about a minute).
bench-decisions: setup
	$(BIN)/python scripts/bench_decisions.py $(BENCH_ARGS)

# A month of 32 GPUs at 60 s backfilled into a real Prometheus (promtool), read day by day through the
# live telemetry asset; BENCH_ARGS="--gpus 64 --days 90" for more.
bench-telemetry: setup $(PROMETHEUS)
	$(BIN)/python scripts/bench_telemetry_months.py $(BENCH_ARGS)

bench-pipeline: setup
	$(BIN)/python scripts/bench_pipeline.py $(BENCH_ARGS)

# Not part of `make test`: the Spark backend (local[2]) beside the local polars path on the partitions
# bench-pipeline left (its 7- and 30-day sizes), time per partition printed.
bench-spark: $(SPARK_STAMP)
	$(BIN)/python scripts/bench_spark.py $(BENCH_ARGS)

# A self-contained HTML report (inline SVG charts, opens offline) from the published warehouse.
report: setup
	$(BIN)/footprint report

# The dbt docs site as one self-contained file (models, columns, tests, lineage, exposures), offline;
# the catalog (column types, row counts) is read from the warehouse `make run` built.
docs: manifest
	cd dbt && ../$(BIN)/dbt docs generate --static --quiet --profiles-dir .
	@echo "dbt docs: dbt/target/static_index.html (open it in a browser)"

# `dg dev` (dagster's `dagster dev` is superseded by it and says so at every start) serves the project
# [tool.dg] in pyproject.toml names. VIRTUAL_ENV: dg warns when the active venv is not the project's.
# --no-check-yaml: the definitions are Python, there is no component YAML to check, and checking loads
# every installed component scaffolder (dagster-pyspark's prints a PreviewWarning).
dev: manifest
	umask 027 && VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev --no-check-yaml --host 127.0.0.1 --port 3000

clean:
	rm -rf data/warehouse data/published data/landing dbt/target dbt/logs
