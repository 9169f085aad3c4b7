#!/usr/bin/env bash
# One command for a local run: set up, migrate, load the demo data and serve the portal
# on http://127.0.0.1:8000/ (SQLite, Celery tasks in-process). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
echo "==> Serving on http://127.0.0.1:${PORT:-8000}/"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
