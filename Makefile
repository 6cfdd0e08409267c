# Two commands for a fresh clone: `make demo` and `make test` (see README).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# CI adds the `ray` extra so the distributed-engine tests run there too.
EXTRAS ?= dev

$(BIN)/compare: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# The CPU build of torch first, so sentence-transformers does not pull a CUDA build.
	$(BIN)/python -m pip install -q "torch==2.13.0" || $(BIN)/python -m pip install -q torch
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	touch $(BIN)/compare

install: $(BIN)/compare

demo: install
	$(BIN)/compare report fixtures/corpus --out out/demo
	@echo "Report written to out/demo/report.md"

test: install
	$(BIN)/python -m pytest

# Regenerate the example outputs in reports/ (tests/test_reports_in_sync.py checks them).
reports: install
	rm -rf reports/fixtures reports/fixtures-diff reports/fixtures-diff-en-ar reports/fixtures-dupes
	COMPARE_CACHE=$$(mktemp -d) $(BIN)/compare report fixtures/corpus --out reports/fixtures
	COMPARE_CACHE=$$(mktemp -d) $(BIN)/compare diff fixtures/corpus --a dimashq-today --b marsad-turk --out reports/fixtures-diff
	COMPARE_CACHE=$$(mktemp -d) $(BIN)/compare diff fixtures/corpus --a global-monitor --a levant-post --b dimashq-today --b idlib-voice --b marsad-turk --out reports/fixtures-diff-en-ar
	$(BIN)/compare dupes fixtures/corpus --out reports/fixtures-dupes
	$(BIN)/python benchmarks/screenshot.py

# Retrain the contrast judge on ../shared/data/ans-stance (deterministic; tests/test_judge_artefact.py
# fails when the shipped judge no longer matches the feature code).
judge: install
	$(BIN)/python benchmarks/train_judge.py --dev

# ruff, mypy, and the layout rules: no import cycle, no private name imported across
# modules, no module over 650 lines, no function over 80 (tests/test_architecture.py).
lint: install
	$(BIN)/ruff check compare tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_architecture.py

.PHONY: install demo test lint reports judge
