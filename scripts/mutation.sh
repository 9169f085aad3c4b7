#!/usr/bin/env bash
# Mutation testing of the rule modules with mutmut (not part of CI: it takes tens of minutes).
#
#   scripts/mutation.sh                 # mutate the modules listed in pyproject.toml [tool.mutmut]
#   scripts/mutation.sh --max-children 1
#   scripts/mutation.sh results         # any mutmut command: results, show <mutant>, browse …
#
# mutmut copies the apps into mutants/, rewrites each function of the listed modules into its
# mutants, runs the whole suite once to learn which tests reach which function, then runs, for
# each mutant, only those tests (stopping at the first failure). A mutant is "killed" when a test
# fails. The tests run on SQLite in memory, in forked processes (each has its own database), with
# Celery eager; browser and real-worker tests are left out (they reach the same functions through
# slower paths). The report ends with the kill rate of every module; docs/testing.md keeps the
# last figures and the surviving mutants judged equivalent, with why.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/mutmut ] || [ requirements-mutation.txt -nt .venv/.installed-mutation ]; then
  scripts/setup.sh test
  .venv/bin/python -m pip install -q -r requirements-mutation.txt
  touch .venv/.installed-mutation
fi

# Never the shared services: each forked test process gets its own SQLite database in memory.
export DATABASE_URL="sqlite://:memory:"
export CELERY_BROKER_URL="" CELERY_RESULT_BACKEND=""
unset CI
export DJANGO_SETTINGS_MODULE=tests.settings
# The tables are made once, in mutmut's own process, and copied into each mutant's session
# (tests/conftest.py: django_db_setup) instead of made again per mutant.
export MUTATION_SCHEMA_ONCE=1

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec .venv/bin/mutmut "$@"
fi
.venv/bin/mutmut run "$@"
.venv/bin/python scripts/mutation_report.py
