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

# Tests run tasks in-process unless they ask for the real worker (tests/conftest.py: real_worker).
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
IMPORT_STORAGE_DIR = BASE_DIR / "var" / "test-imports"
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"
STATIC_ROOT = BASE_DIR / "var" / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
