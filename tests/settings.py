"""Test settings: environment defaults for a test run, then the one project settings module.

DEBUG stays off so tests see production behaviour; only HTTPS redirects and secure cookies
are relaxed because the test client and the live server speak plain HTTP.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from linyi_ecoagency.settings import *  # noqa: F403
from linyi_ecoagency.settings import BASE_DIR

# pytest-xdist runs the suite in several processes ("gw0", "gw1", …); pytest-django gives each
# its own test database (test_<name>_gw0, …). Everything else a process could share is split
# here: the Celery queue of the real-worker tests (two workers on one queue would take each
# other's tasks), uploaded files and stored imports. A run without xdist is "main".
TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER") or "main"

# Tests run tasks in-process unless they ask for the real worker (tests/conftest.py: real_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_DEFAULT_QUEUE = f"linyi-tests-{TEST_PROCESS}"
CELERY_TASK_ROUTES = {"imports.tasks.*": {"queue": f"linyi-tests-imports-{TEST_PROCESS}"}}
TEST_QUEUES = [CELERY_TASK_DEFAULT_QUEUE, CELERY_TASK_ROUTES["imports.tasks.*"]["queue"]]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / TEST_PROCESS
IMPORT_STORAGE_DIR = BASE_DIR / "var" / "test-imports" / TEST_PROCESS
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"
STATIC_ROOT = BASE_DIR / "var" / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# A throw-away data app that plugs into the spine by registering only (tests/spineapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.spineapp"]  # noqa: F405

# A test database needs no durability: its commits do not wait for their WAL to reach the disk
# (transactional tests, real workers, the live server, the demo copies and the template's
# migrations commit thousands of times). What other connections see is unchanged.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405
