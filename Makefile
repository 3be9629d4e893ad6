# Homeward: two commands on a fresh machine with Python 3.11+ and make.
#   make demo   set up .venv, create the demo database, serve http://127.0.0.1:8000
#   make test   set up .venv, run ruff, mypy and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HOMEWARD_HOME ?= $(CURDIR)/var

.PHONY: demo test lint typecheck unit browser lock clean bench messages

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Homeward needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/homeward demo --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser and not fuzz"

browser: $(STAMP)
	$(BIN)/pytest -m browser -p no:xdist

test: lint typecheck unit browser

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Bring the translation catalogues in line with the code and compile them (needs gettext: apt-get install gettext).
# New messages arrive with an empty msgstr: translate them (docs/translating.md), then run this again.
messages: $(STAMP)
	cd src/homeward && HOMEWARD_HOME=$$(mktemp -d) HOMEWARD_TESTING=1 DJANGO_SETTINGS_MODULE=homeward.settings \
	  ../../$(BIN)/django-admin makemessages -l uk -l ru -l ar --ignore 'static/*' --no-obsolete --no-wrap --add-location=file
	# msgmerge's fuzzy guesses are other messages' translations: empty them so they show as untranslated
	for po in src/homeward/locale/*/LC_MESSAGES/django.po; do \
	  msgattrib --clear-fuzzy --empty --clear-previous --no-wrap -o $$po $$po; done
	cd src/homeward && HOMEWARD_HOME=$$(mktemp -d) HOMEWARD_TESTING=1 DJANGO_SETTINGS_MODULE=homeward.settings \
	  ../../$(BIN)/django-admin compilemessages -l uk -l ru -l ar

# Regenerate the lock file from the current environment (after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pkg_resources' > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
