# codeflow_widget — commands for a fresh machine.
#   make demo   set up and run the whole flow on the offline default (no API key needed)
#   make test   set up and run every test (installs Chromium + CJK fonts through apt if missing)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-fast lint bench clean view

SERVER_SWITCH := jupyter-config/jupyter_server_config.d/codeflow_widget.json

$(STAMP): pyproject.toml $(SERVER_SWITCH)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	# An editable install leaves out data files; a wheel puts this switch here itself (it turns
	# on the Jupyter server extension, codeflow_widget/server/).
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp $(SERVER_SWITCH) $(VENV)/etc/jupyter/jupyter_server_config.d/
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/codeflow run "帮我写个贪吃蛇"

browser:
	scripts/ensure-browser.sh

test: $(STAMP) browser
	$(PY) -m ruff check codeflow_widget tests benchmarks
	# Three workers: most of this tier waits on trial runs and sandboxed subprocesses, not the CPU;
	# --dist loadfile keeps each notebook (and each test module) on one worker.
	$(PY) -m pytest -p no:cacheprovider -n 3 --dist loadfile tests notebooks --ignore=tests/browser --ignore=notebooks/03_连接你的模型.ipynb --nbval-lax --nbval-current-env -q
	# Notebook 03's model cells run against the loopback OpenAI-compatible server (tests/fakes/).
	$(PY) -m tests.fakes.with_server --expect-chat 3 $(PY) -m pytest -p no:cacheprovider notebooks/03_连接你的模型.ipynb --nbval-lax --nbval-current-env -q
	scripts/ensure-hub-proxy.sh  # configurable-http-proxy (npm) for tests/browser/test_hub.py
	# The browser tier runs on its own: Playwright's sync API keeps an event loop
	# running in the main thread, which asyncio tests cannot share.
	$(PY) -m pytest -p no:cacheprovider tests/browser -q

# Everything but the real-browser tier and the notebooks (a quick inner loop).
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser" tests

lint: $(STAMP)
	$(PY) -m ruff check codeflow_widget tests benchmarks
	$(PY) -m ruff format --check codeflow_widget tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

# Dev-only: rebuild the lesson view's committed bundle (static/widget.js) from static/src/*.js and
# refresh the vendored DOMPurify. Users and CI never need this: the bundle is in the repository.
# The bundle is minified (55 KB instead of 97 KB: learners on slow networks load it with every
# notebook); read and edit static/src/, never the bundle. DOMPurify's licence stays in it.
view:
	npm ci --no-audit --no-fund
	cp node_modules/dompurify/dist/purify.es.mjs codeflow_widget/widget/static/vendor/purify.es.mjs
	cp node_modules/dompurify/LICENSE codeflow_widget/widget/static/vendor/DOMPurify-LICENSE
	npm run build
