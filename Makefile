# ficarchive: `make run` serves the demo archive, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export FICARCHIVE_DATA ?= $(CURDIR)/data

.PHONY: run install test test-postgres browser-deps epub-deps calibre-deps gettext-deps bench-deps lint fmt bench migrations-check messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## make .venv/bin/ficarchive without starting anything

run: $(STAMP)  ## set up and serve the archive on PORT (default 8000)
	$(BIN)/ficarchive serve

# Browser tests need Debian's chromium; as root on Debian it is installed here, otherwise the
# browser tests skip and say what to install (CI turns that skip into a failure).
browser-deps:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The download tests validate EPUBs with Debian's epubcheck, installed here as root on Debian;
# elsewhere those tests skip and say what to install (CI turns that skip into a failure).
epub-deps:
	@if [ ! -f /usr/share/java/epubcheck.jar ] && ! command -v epubcheck >/dev/null \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's epubcheck for the download tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq epubcheck >/dev/null; \
	fi

# The download tests read our EPUBs with calibre's ebook-meta (Debian's calibre), installed here
# as root on Debian; elsewhere those tests skip and say what to install (CI turns that skip into
# a failure). The EPUB benchmark compares with calibre's ebook-convert from the same package.
calibre-deps:
	@if ! command -v ebook-meta >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's calibre for the download tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq calibre >/dev/null; \
	fi

# The translation tests read the marked strings with GNU gettext (xgettext), installed here as
# root on Debian; elsewhere that test skips and says what to install.
gettext-deps:
	@if ! command -v xgettext >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing GNU gettext for the translation tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	fi

messages: $(STAMP) gettext-deps  ## update the translation catalogs from the code and compile them
	$(BIN)/python -m ficarchive.catalogs

bench-deps: epub-deps calibre-deps
	$(BIN)/python -m pip install --quiet -e '.[bench]'

test: $(STAMP) browser-deps epub-deps calibre-deps gettext-deps  ## the whole suite on SQLite
	FICARCHIVE_DATA=$$(mktemp -d) $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-postgres: $(STAMP) browser-deps epub-deps calibre-deps gettext-deps  ## the whole suite on PostgreSQL (DATABASE_URL or 127.0.0.1)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ficarchive_ci_$$$$} \
		FICARCHIVE_DATA=$$(mktemp -d) $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	FICARCHIVE_DATA=$$(mktemp -d) $(BIN)/mypy src

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	FICARCHIVE_DATA=$$(mktemp -d) $(BIN)/ficarchive makemigrations --check --dry-run

# Every bench/bench_*.py, then the search benchmark (`python bench/search.py 1M` for one size).
BENCHMARKS = $(wildcard bench/bench_*.py) bench/search.py
bench: $(STAMP) bench-deps
	@for b in $(BENCHMARKS); do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
