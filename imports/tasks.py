"""Celery tasks of imports: they take a job id and call a service; a claim makes them run once."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .models import ImportJob
from .services import import_commit, import_validate

# An import of the largest allowed file takes minutes; the limits leave room under load and
# match services.STALE_AFTER (a job "running" longer than that lost its worker).
IMPORT_LIMITS = {"soft_time_limit": 1680, "time_limit": 1740}


@shared_task(
    acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, **IMPORT_LIMITS
)
def import_validate_task(job_id: int) -> str:
    """Validate a large upload; a second delivery finds the job claimed and does nothing."""
    job = ImportJob.objects.select_related("agency", "uploaded_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_validate(job=job).status


@shared_task(
    acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, **IMPORT_LIMITS
)
def import_commit_task(job_id: int, user_id: int | None = None) -> str:
    """Write a confirmed import in one transaction; a killed worker leaves nothing written."""
    job = ImportJob.objects.select_related("agency").filter(pk=job_id).first()
    if job is None:
        return "missing"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return import_commit(job=job, by=user).status


@shared_task(acks_late=True)
def import_jobs_expire_task() -> int:
    """Daily housekeeping (add it to CELERY_BEAT_SCHEDULE): delete files of unconfirmed previews."""
    from .services import import_jobs_expire

    return import_jobs_expire()
