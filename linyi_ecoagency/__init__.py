"""Project package: settings, URLs and the Celery app — no domain code lives here."""

from .celery import app as celery_app

__all__ = ["celery_app"]
