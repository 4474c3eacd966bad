# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# Shared libraries the Qt wheels need but a bare Debian/Ubuntu image may lack.
SYSTEM_PACKAGES := libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
                   libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
                   libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 fonts-dejavu-core

.PHONY: run test test-postgres postgres-sysdeps bench lint sysdeps clean package package-sysdeps \
        package-build package-check

sysdeps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v dpkg >/dev/null 2>&1; then \
	    echo "Missing system packages (install them with sudo apt-get install):$$missing"; \
	  fi; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) install -q -c constraints.txt -e .
	@touch $@

$(TEST_STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) install -q -c constraints.txt -e ".[test]"
	@touch $@ $(STAMP)

$(BENCH_STAMP): $(TEST_STAMP)
	$(PIP) install -q -c constraints.txt -e ".[test,bench]"
	@touch $@

run: sysdeps $(STAMP)
	$(VENV)/bin/iqcadence

test: sysdeps $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# --- make test-postgres: the database tests (marked `db`, see tests/conftest.py) once more
# on a real PostgreSQL server: Debian's `postgresql` package (installed when missing), a
# throwaway cluster under build/pg on a Unix socket only (tools/pgcluster.sh), stopped at
# the end whether the tests pass or fail.
PG_DIR := build/pg

postgres-sysdeps:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing PostgreSQL"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is missing: sudo apt-get install postgresql"; exit 1; fi; \
	fi

test-postgres: sysdeps postgres-sysdeps $(TEST_STAMP)
	@url=$$(tools/pgcluster.sh start $(PG_DIR)) || exit 1; \
	trap 'tools/pgcluster.sh stop $(PG_DIR)' EXIT INT TERM; \
	echo "Database tests on PostgreSQL ($$url)"; \
	QT_QPA_PLATFORM=offscreen IQCADENCE_TEST_PG="$$url" $(PY) -m pytest -q -p no:cacheprovider

# bench/team.py compares PostgreSQL with SQLite: it runs on the same throwaway cluster.
bench: $(BENCH_STAMP) postgres-sysdeps
	@url=$$(tools/pgcluster.sh start $(PG_DIR)) || exit 1; \
	trap 'tools/pgcluster.sh stop $(PG_DIR)' EXIT INT TERM; \
	QT_QPA_PLATFORM=offscreen IQCADENCE_BENCH_PG="$$url" $(PY) -m bench

# ruff (lint and format), mypy --strict on the whole package, and the import contracts
# (floors, no Qt below views, capability packages through their __init__) in pyproject.toml.
LINT_PATHS := iqcadence_desktop tests bench packaging tools

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy iqcadence_desktop
	$(VENV)/bin/lint-imports

# --- make package: PyInstaller one-folder build + Linux tarball, each checked by running
# the frozen self-test offscreen (packaging/README.md). A clean venv with only the app and
# PyInstaller (never the dev tools), so nothing else can sneak into the bundle.
PKG_VENV := .venv-package
PKG_PY := $(PKG_VENV)/bin/python
PKG_STAMP := $(PKG_VENV)/.installed
# Without libxcb-icccm4/keysyms1 on the build host the bundle aborts under X; binutils
# gives PyInstaller objdump.
PKG_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) binutils
# Extra self-test arguments for the frozen checks (default: the sample portfolio).
SELFTEST_ARGS ?=
# A missed size or start-time budget is reported; `make package STRICT_BUDGETS=1` fails on it.
STRICT_BUDGETS ?=
BUDGET_FLAG := $(if $(STRICT_BUDGETS),--strict-budgets,)
VERSION = $(shell $(PKG_PY) -c "import iqcadence_desktop as m; print(m.__version__)")

package-sysdeps:
	@$(MAKE) --no-print-directory sysdeps SYSTEM_PACKAGES="$(PKG_SYSTEM_PACKAGES)"

$(PKG_STAMP): pyproject.toml constraints.txt
	rm -rf $(PKG_VENV)
	$(PYTHON) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/pip install -q --upgrade pip
	$(PKG_VENV)/bin/pip install -q -c constraints.txt ".[package]"
	@touch $@

package-build: package-sysdeps $(PKG_STAMP)
	@# build/ first: setuptools would otherwise put stale files from build/lib in the wheel.
	rm -rf build dist/iqcadence
	$(PKG_VENV)/bin/pip install -q --no-deps --force-reinstall .
	$(PKG_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build build.spec

package-check:
	$(PKG_PY) packaging/check_build.py dist/iqcadence --runs 5 $(BUDGET_FLAG) \
	  --selftest-args "$(SELFTEST_ARGS)" --report build/package-check.json
	packaging/linux/make-tarball.sh $(VERSION) dist
	$(PKG_PY) packaging/check_build.py --selftest-args "$(SELFTEST_ARGS)" \
	  --tarball dist/iqcadence-$(VERSION)-linux-$$(uname -m).tar.gz

package: package-build package-check

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist *.egg-info
