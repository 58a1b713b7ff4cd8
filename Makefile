# Two entry points a new machine needs: `make run` and `make test`.
# Each creates .venv itself with the machine's python3 (3.11+).
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cockpit --demo

# mypy first (config in pyproject.toml: strict on cockpit/): a type error fails `make test`.
test: $(STAMP)
	$(VENV)/bin/python -m mypy
	$(VENV)/bin/python -m pytest $(ARGS)

bench: $(STAMP)
	$(VENV)/bin/python -m benchmarks.run

clean:
	rm -rf $(VENV)
