# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Shared libraries the Qt wheels need but a bare Debian/Ubuntu image may lack.
SYSTEM_PACKAGES := libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
                   libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
                   libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 fonts-dejavu-core

.PHONY: run test bench lint sysdeps clean

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

run: sysdeps $(STAMP)
	$(VENV)/bin/iqcadence

test: sysdeps $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check iqcadence_desktop tests bench
	$(VENV)/bin/mypy iqcadence_desktop/models iqcadence_desktop/services

clean:
	rm -rf $(VENV) build dist *.egg-info
