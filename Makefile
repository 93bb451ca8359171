# crmkit: one entry point for students, instructors and CI. Every target calls tasks.py,
# which needs only Python 3.11+ (without make: python3 tasks.py lab / python3 tasks.py test).
#   make lab    create .venv if missing, install the kit with the lab extras, open the course
#   make test   create/update .venv with the test extras and run every test
#   make present [APP=queues] [EDITION=zh|en]   serve an explorer app with Voila
#                               (without APP: list the apps)
#   make slides / make book     offline reveal.js slides / the students' course website
#   make book-instructor        the instructors' website, with the worked solutions
#   make test-newest            unit tests and doctests on the newest Python found (3.13)
#   make package-check          build sdist + wheel, smoke-test the wheel in a fresh venv
#   make lock                   refresh requirements/lock.txt to the newest versions

PYTHON ?= python3
LAB_ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=
APP ?=
EDITION ?= zh

.DEFAULT_GOAL := help
.PHONY: help lab test test-newest package-check lock lint editions exercises data bench \
	present slides book book-instructor

help:
	@$(PYTHON) tasks.py

lab:
	$(PYTHON) tasks.py lab $(LAB_ARGS)

test:
	$(PYTHON) tasks.py test $(PYTEST_ARGS)

bench:
	$(PYTHON) tasks.py bench $(BENCH_ARGS)

present:
	EDITION=$(EDITION) $(PYTHON) tasks.py present $(APP)

# commands without arguments
test-newest package-check lock lint editions exercises data slides book book-instructor:
	$(PYTHON) tasks.py $@
