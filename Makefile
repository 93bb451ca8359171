# crmkit: one entry point for students, instructors and CI. Every target calls tasks.py,
# which needs only Python 3.11+ (without make: python3 tasks.py lab / python3 tasks.py test).
#   make lab    create .venv if missing, install the kit with the lab extras, open the course
#   make test   create/update .venv with the test extras and run every test
#   make present [APP=queues]   serve an explorer app with Voila (without APP: list the apps)
#   make slides / make book     offline reveal.js slides / the offline course website

PYTHON ?= python3
LAB_ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=
APP ?=

.DEFAULT_GOAL := help
.PHONY: help lab test lint exercises data bench present slides book

help:
	@$(PYTHON) tasks.py

lab:
	$(PYTHON) tasks.py lab $(LAB_ARGS)

test:
	$(PYTHON) tasks.py test $(PYTEST_ARGS)

bench:
	$(PYTHON) tasks.py bench $(BENCH_ARGS)

present:
	$(PYTHON) tasks.py present $(APP)

# commands without arguments: make lint, exercises, data, slides, book
lint exercises data slides book:
	$(PYTHON) tasks.py $@
