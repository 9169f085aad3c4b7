#!/usr/bin/env bash
# One command for the whole test suite: set up, lint, Django checks, then pytest.
# With CI=true it runs against PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) and fails
# loudly if either is unreachable; locally it uses them when they answer, SQLite otherwise.
# Extra arguments go to pytest (scripts/test.sh tests/agencies -x).
#
# The tests run in random order (pytest-randomly; the header prints "Using --randomly-seed=N":
# replay a failure with scripts/test.sh -p randomly --randomly-seed=N -n 0), in parallel processes
# (pytest-xdist, one test database and one Celery queue per process; TEST_PROCESSES=<cores + 1>
# by default, 0 for one process). COVERAGE=1 measures branch coverage of the product code as well
# (pytest-cov; the figure is printed before the summary line): on Python 3.11 the tracer costs
# about a third of the run, so CI leaves it out. docs/testing.md says more.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

reachable() {  # host port
  .venv/bin/python - "$1" "$2" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
PY
}

if reachable 127.0.0.1 5432 && reachable 127.0.0.1 6379; then
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/linyi}"
  export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
  export CELERY_RESULT_BACKEND="${CELERY_RESULT_BACKEND:-$CELERY_BROKER_URL}"
  echo "==> Tests run on PostgreSQL ($DATABASE_URL) and Redis ($CELERY_BROKER_URL)"
  # The test databases' migrated template, made on the core the checks below leave idle and while
  # pytest starts; each pytest process waits for it and copies it (tests/conftest.py; docs/testing.md,
  # "How long CI takes"). The job leaves its output in .out and its exit status in .status.
  mkdir -p var
  rm -f var/test-db-template.status
  (
    if DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python scripts/test_db_template.py \
      > var/test-db-template.out 2>&1; then echo 0; else echo $?; fi > var/test-db-template.status.part
    mv var/test-db-template.status.part var/test-db-template.status
  ) &
  template_job=$!
  export TEST_DB_TEMPLATE_JOB="$PWD/var/test-db-template"
elif [ "${CI:-}" = "true" ]; then
  echo "ERROR: CI needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379; one is not reachable." >&2
  exit 2
else
  echo "==> PostgreSQL or Redis not reachable: tests run on SQLite; real-worker tests will be skipped"
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# The security checks wait on the network for the advisory sources (seconds when none answers):
# they run beside the Django checks and pytest, and their report and verdict come at the end.
mkdir -p var
# bandit is a test of the suite (tests/test_security_checks.py): not run a second time here.
.venv/bin/python scripts/security.py --skip-bandit > var/security.out 2>&1 &
security_job=$!

echo "==> Django checks"
export DJANGO_SETTINGS_MODULE=tests.settings
.venv/bin/python manage.py check --fail-level WARNING
# Migrations are compared with the models only; no database is needed for that.
DATABASE_URL="sqlite:///:memory:" .venv/bin/python manage.py makemigrations --check --dry-run
# The production settings must pass the deployment checklist.
DJANGO_SETTINGS_MODULE=linyi_ecoagency.settings DEBUG=0 ALLOWED_HOSTS=portal.example.org \
  SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

# How fast the machine is now: the same tests take more CPU seconds on a slower or busier host
# (docs/testing.md, "How long CI takes"), so a run states its speed before and after the tests.
speed_reading() {
  .venv/bin/python -c 'import sys, time
t = time.perf_counter()
s = 0
for i in range(5_000_000):
    s += i
print(f"==> machine speed ({sys.argv[1]}): 5,000,000 Python additions in {time.perf_counter() - t:.2f} s")' "$1"
}
speed_reading "before pytest"

echo "==> pytest"
set +e
# --maxschedchunk 2: the processes are handed the list two tests at a time, from its front, so
# both end together and each runs its db tests before its transactional ones (docs/testing.md;
# not --dist worksteal, whose later steals can hand a process db tests after transactional ones).
coverage=()
[ "${COVERAGE:-0}" = "1" ] && coverage=(--cov --cov-report=term)
# One process more than the machine has cores: the journeys and the fault tests wait on browsers,
# workers and timeouts, and a third process keeps the cores busy meanwhile (docs/testing.md: with
# two processes 6-14 % of a 2-core machine was idle, with three 2-3 %).
.venv/bin/python -m pytest -n "${TEST_PROCESSES:-$(($(nproc) + 1))}" --dist load --maxschedchunk 2 "${coverage[@]}" "$@"
status=$?
[ -n "${template_job:-}" ] && wait "$template_job"
speed_reading "after pytest"
echo "==> security: the pinned packages' known vulnerabilities (NOT AUDITED when no source answers); bandit is a test above"
wait "$security_job"
security=$?
cat var/security.out
echo "==> CPU of the whole run: this script (user, system), then every process it waited for"
times
set -e
if [ $status -eq 5 ]; then
  echo "ERROR: pytest collected no tests." >&2
  exit 1
fi
if [ $security -ne 0 ]; then
  echo "ERROR: the security checks failed (above)." >&2
  exit 1
fi
exit $status
