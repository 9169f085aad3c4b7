"""Production settings are safe: no default secret, and the deployment checklist is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    test_only = {
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "STATICFILES_BACKEND",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    base = {k: v for k, v in os.environ.items() if k not in test_only}
    base.update(DJANGO_SETTINGS_MODULE="linyi_ecoagency.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_an_empty_database_url_is_refused_with_what_to_do():
    result = _manage("check", DEBUG="1", DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL is set but empty" in result.stderr
    assert "KeyError" not in result.stderr


def test_the_deployment_checklist_is_clean_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        ALLOWED_HOSTS="portal.example.org",
        SECRET_KEY="a-long-random-production-secret-key-for-the-check-0123456789abcdef",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_local_run_needs_no_broker_and_runs_tasks_in_process():
    result = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        CELERY_BROKER_URL="",
        DATABASE_URL="sqlite:///var/local-check.sqlite3",
    )
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"], result.stderr


def test_every_celery_beat_entry_names_a_registered_task():
    from django.conf import settings

    from linyi_ecoagency.celery import app

    app.loader.import_default_modules()
    missing = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] not in app.tasks]
    assert settings.CELERY_BEAT_SCHEDULE and not missing, missing
