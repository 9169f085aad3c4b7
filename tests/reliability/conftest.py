"""Helpers of the fault tests: Django in a child process whose database or broker is elsewhere."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 1  # nothing listens on 127.0.0.1:1: connections are refused at once


def database_url(name: str | None = None, port: int = 5432) -> str:
    """A URL for the database this test uses (its data are visible to a child process)."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{port}/{name or settings['NAME']}"


def run_django(code: str, **env: str) -> dict:
    """Run ``code`` (which prints one JSON line last) in a child with tests.settings and ``env``."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the fault tests on PostgreSQL (DATABASE_URL).")
        pytest.skip("The fault tests need PostgreSQL (DATABASE_URL).")
