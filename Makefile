# Two entry points (see README): `make book` and `make test`.
# Both create .venv when it is missing and install the pinned versions in constraints.txt;
# a second run finds the stamp file up to date and skips the install.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_VERSION := 26.3

# Use the shared data mirror beside the repository when there is one (CI sets it explicitly);
# otherwise the registry downloads the pinned upstream files into data/cache.
REVIEWLIB_DATA_MIRROR ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)
export REVIEWLIB_DATA_MIRROR

.PHONY: book browser lint sync-check test notebooks full benchmarks constraints clean dft-setup

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	# torch first, alone: the CPU wheel (a plain dependency resolution would pull a CUDA build)
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[book,test]"
	$(MAKE) --no-print-directory dft-setup
	touch $(STAMP)

# GPAW (the `dft` extra, notebook 10) builds from source: it needs libxc and a C++ compiler as CC.
# As root (CI), apt-get installs libxc-dev; without root, install libxc yourself (e.g. conda-forge,
# see environment.yml) or the prebuilt conda-forge gpaw. The PAW setups come from gpaw-data.
dft-setup:
	@if ! { ldconfig -p 2>/dev/null | grep -q 'libxc\.so' && test -e /usr/include/xc.h; }; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxc-dev; \
	  else \
	    echo "libxc-dev is missing and this is not root: install libxc (apt-get install libxc-dev as root," \
	         "or conda-forge libxc) or a prebuilt gpaw (conda install -c conda-forge gpaw), then rerun"; \
	    exit 1; \
	  fi; \
	fi
	CC=g++ $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dft]"

## lint: ruff lint and format check (package, tests, benchmarks, scripts, notebooks and their
## .py text sources), after the notebook/text-source pairing check
lint: $(STAMP) sync-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## sync-check: every notebooks/NN_*.ipynb holds the same cells as its text source NN_*.py (the
## source you edit); names the first differing cell and the command that re-syncs the pair
sync-check: $(STAMP)
	$(BIN)/python scripts/sync_notebooks.py --check

## browser: headless Chromium + chromedriver for the browser test (apt-get when root, as in CI;
## otherwise the test skips and says why)
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: no chromium/chromedriver and not root: tests/test_browser.py will skip"; fi

## test: the lint gate, then the test suite (2 workers): every notebook runs in fast mode into a
## temporary folder, every published run must be current, the book is built and opened in Chromium
test: lint browser
	$(BIN)/python -m pytest -n 2 -q --durations=25

## notebooks: execute every notebook in fast mode into a temporary folder (never published)
notebooks: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q tests/test_notebooks.py -k fast_mode

## book: build the website from the published full-mode runs in book/published/ (executes
## nothing; refuses a stale or hand-edited published run and names the command that refreshes it).
## It stages into book/notebooks/ and book/_generated/ and never touches local runs (runs/).
book: $(STAMP)
	$(BIN)/reviewlib pages
	$(BIN)/jupyter-book build book -W -n --keep-going
	@echo "open book/_build/html/index.html"

## full: refresh every published run (the real reproductions; hours), then build the book
full: $(STAMP)
	$(BIN)/reviewlib run --mode full --publish
	$(MAKE) book

## benchmarks: performance targets of the issues
benchmarks: $(STAMP)
	$(BIN)/python benchmarks/eliashberg.py
	$(BIN)/python benchmarks/soap.py
	$(BIN)/python benchmarks/structures_3dsc.py
	$(BIN)/python benchmarks/networking.py

## constraints: re-pin from the current environment (then commit constraints.txt)
constraints: $(STAMP)
	{ echo "# Pinned versions for a reproducible environment (pip freeze of a working install)."; \
	  echo "# Regenerate with: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

# clean: the build and what `reviewlib pages` staged; local runs (runs/) are kept
clean:
	rm -rf book/_build book/_generated book/notebooks .screenshots
