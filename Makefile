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

.PHONY: book lint test notebooks pages full benchmarks constraints clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[book,test]"
	touch $(STAMP)

## lint: ruff lint and format check (package, tests, benchmarks, scripts, notebooks)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## test: the lint gate, then the test suite (2 workers)
test: lint
	$(BIN)/python -m pytest -n 2 -q

## notebooks: execute every notebook in fast mode with papermill
notebooks: $(STAMP)
	$(BIN)/reviewlib run --mode fast

## book: execute the notebooks, then build the HTML book (warnings are errors)
book: notebooks
	$(BIN)/jupyter-book build book -W -n --keep-going
	@echo "open book/_build/html/index.html"

## full: the real reproductions (long; by hand or on a schedule)
full: $(STAMP)
	$(BIN)/reviewlib run --mode full
	$(BIN)/jupyter-book build book -W -n --keep-going

## benchmarks: performance targets of the issues
benchmarks: $(STAMP)
	$(BIN)/python benchmarks/eliashberg.py
	$(BIN)/python benchmarks/soap.py
	$(BIN)/python benchmarks/structures_3dsc.py

## constraints: re-pin from the current environment (then commit constraints.txt)
constraints: $(STAMP)
	{ echo "# Pinned versions for a reproducible environment (pip freeze of a working install)."; \
	  echo "# Regenerate with: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf book/_build book/_generated book/notebooks
