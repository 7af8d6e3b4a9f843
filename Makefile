# pdcompetition: `make run` serves the demo on SQLite, `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run install install-test chromium test test-fast translations translations-check bench lint

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) scripts/i18n.py compile

run: install
	$(FLASK) db upgrade
	$(FLASK) pdc seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

install-test: $(PY) chromium
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) scripts/i18n.py compile

# Browser tests use Debian's Chromium (Playwright's own download needs the internet).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core; }

test: install-test
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Without the browser and load tests, for a quick loop while coding.
test-fast: install-test
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n 2 -m "not e2e and not slow" $(PYTEST_ARGS)

translations: $(PY)
	$(PY) scripts/i18n.py update

translations-check: $(PY)
	$(PY) scripts/i18n.py check

lint: $(PY)
	$(VENV)/bin/ruff check pdcompetition tests bench scripts

# Benchmarks need wrk (Debian) for the HTTP comparisons and PostgreSQL for realistic data.
bench: install-test
	@command -v wrk >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/run_all.py
