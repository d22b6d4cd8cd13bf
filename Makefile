# make build: virtual environment, install, build every SAO in plans/.
# make test:  the same set-up, then lint, type checks and the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test lint clean system-deps

build: $(STAMP)
	$(BIN)/saoreport build

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The tests read PDFs back with poppler's pdftotext and rasterise with pdftoppm.
system-deps:
	@command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || { \
	  echo "installing poppler-utils (pdftotext, pdftoppm)"; \
	  apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
