# make build: system libraries, virtual environment, install, build every SAO in plans/.
# make test:  the same set-up, then lint, type checks and the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
APT    := apt-get install -y -qq --no-install-recommends

.PHONY: build test lint clean runtime-deps test-deps messages

build: $(STAMP) runtime-deps
	$(BIN)/saoreport build

test: $(STAMP) runtime-deps test-deps lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# HarfBuzz's subsetter embeds the fonts (WeasyPrint's supported way; without it WeasyPrint
# falls back to fontTools, slower and with other bytes): the same on every machine.
runtime-deps:
	@ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || { \
	  echo "installing libharfbuzz-subset0"; \
	  (apt-get update -qq && $(APT) libharfbuzz-subset0 >/dev/null) \
	  || echo "warning: could not install libharfbuzz-subset0; fonts are subset with fontTools"; }

# The tests read PDFs back with poppler's pdftotext and rasterise pages with pdftoppm, and
# check the text layer in a second font family, TLWG Laksaman (TH Sarabun New's design).
test-deps:
	@command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null \
	  && test -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf || { \
	  echo "installing poppler-utils (pdftotext, pdftoppm) and fonts-tlwg-laksaman-ttf"; \
	  apt-get update -qq && $(APT) poppler-utils fonts-tlwg-laksaman-ttf >/dev/null; }
	@# The exported workbook is printed to PDF by LibreOffice in a test (about 15 s to install).
	@command -v soffice >/dev/null || { \
	  echo "installing libreoffice-calc-nogui (headless LibreOffice Calc)"; \
	  apt-get update -qq && $(APT) libreoffice-calc-nogui >/dev/null; }
	@# The workspace's end-to-end test (tests/test_browser.py) drives Debian's headless Chromium
	@# with Playwright (no browser download: Playwright is given /usr/bin/chromium).
	@command -v chromium >/dev/null || { \
	  echo "installing chromium (the browser of the workspace's end-to-end test)"; \
	  apt-get update -qq && $(APT) chromium >/dev/null; }

# After adding or changing a message of the code (_("...") or n_("...")): the Thai catalog
# brought up to date; translate its new entries (msgstr ""), then run it again to compile.
LOCALE := src/saoreport/locale
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract --no-location --sort-output --no-wrap -k _ -k n_:1,2 \
	  -o build/saoreport.pot src/saoreport 2>/dev/null
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete \
	  -i build/saoreport.pot -d $(LOCALE) -D saoreport
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D saoreport

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
