"""Celery tasks of reporting: they take ids, load what they need and call a service."""

from datetime import date

from celery import group, shared_task
from django.utils import timezone

from agencies.models import Agency

from .disclosures.services import disclosure_compute
from .figures.refresh import figures_refresh
from .periods import Quarter


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def refresh_figures(
    *, agency_ids: list[int], months: list[str], indicator_keys: list[str] | None = None
) -> int:
    """Recompute the fact table for these agencies and months; running it twice is harmless."""
    return figures_refresh(
        agency_ids=agency_ids,
        months=[date.fromisoformat(m) for m in months],
        indicator_keys=indicator_keys,
    )


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def compute_disclosure(agency_id: int, quarter: str) -> int:
    """Compute (or recompute) one agency's draft; a published quarter is left untouched.

    The result is not stored (the disclosure row is the result); callers watch the database.
    """
    return disclosure_compute(agency=agency_id, quarter=Quarter.parse(quarter)).pk


@shared_task(acks_late=True)
def compute_city_disclosures(quarter: str) -> list[int]:
    """Fan out one ``compute_disclosure`` per active agency; returns the agency ids."""
    Quarter.parse(quarter)  # refuse a bad quarter before fanning out
    agency_ids = list(Agency.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    if agency_ids:
        group(compute_disclosure.s(agency_id, quarter) for agency_id in agency_ids).apply_async()
    return agency_ids


@shared_task(acks_late=True)
def compute_last_quarter_disclosures() -> str:
    """Celery beat: a few days after a quarter ends, compute every agency's draft of it."""
    quarter = Quarter.containing(timezone.localdate()).previous()
    compute_city_disclosures.delay(str(quarter))
    return str(quarter)
