# soporte: `make run` serves the desk on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PO_FILES := $(shell find src/soporte/locale -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)
export DJANGO_SETTINGS_MODULE := soporte.config.settings

.PHONY: install run test test-fast test-dates check bench clean

install: $(STAMP) $(MO_FILES)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Django's compilemessages runs msgfmt (Debian: apt-get install gettext) over src/soporte/locale.
$(MO_FILES) &: $(PO_FILES) $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: apt-get install gettext" >&2; exit 1; }
	cd src/soporte && env -u DJANGO_SETTINGS_MODULE $(abspath $(BIN))/django-admin compilemessages --verbosity 0
	touch $(MO_FILES)

run: install
	$(BIN)/soporte serve --demo

test: install
	env -u DATABASE_URL $(BIN)/pytest -n 2
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$DATABASE_URL)"; \
		$(BIN)/pytest -n 2; \
	fi

# The inner loop: the suite on SQLite without the tests marked slow (servers, worker processes,
# browsers, brute force). `make test` and .ci/run still run everything.
test-fast: install
	env -u DATABASE_URL $(BIN)/pytest -n 2 -m "not slow"

# The service tests with the real clock moved seven years ahead, then behind (tests/conftest.py):
# the same results on any date. .ci/run runs it after `make test`.
DATED := tests/tickets tests/sla tests/escalation tests/jobs tests/notify tests/oncall
test-dates: install
	for shift in +7y -7y; do \
		SOPORTE_TEST_CLOCK_SHIFT=$$shift env -u DATABASE_URL $(BIN)/pytest -n 2 -q -m "not slow" $(DATED) || exit 1; \
	done

check: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m pip install --quiet --no-deps 'duckdb==2.0.1' 'tantivy==0.27.0'  # the peers (pyproject's bench extra)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis src/*.egg-info
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
	find src/soporte/locale -name '*.mo' -delete
