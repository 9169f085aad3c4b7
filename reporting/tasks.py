"""Celery tasks of reporting: they take ids, load what they need and call a service."""

from datetime import date

from celery import group, shared_task
from django.utils import timezone

from agencies.models import Agency

from .disclosures.services import disclosure_compute, disclosures_compute
from .figures.refresh import (
    RETRYABLE,
    RefreshFailed,
    figures_refresh,
    figures_refresh_backlog,
    figures_refresh_stale,
)
from .figures.rollup import rollup_reconcile
from .jobs import jobs_send_waiting
from .periods import Quarter

# A refresh whose database went away is tried again later: 2 s, 4 s, 8 s … (with jitter).
REFRESH_RETRIES = {
    "acks_late": True,
    "autoretry_for": (*RETRYABLE, RefreshFailed, ConnectionError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**REFRESH_RETRIES)
def refresh_figures(
    *, agency_ids: list[int], months: list[str], indicator_keys: list[str] | None = None
) -> int:
    """Recompute the fact table for these agencies and months; running it twice is harmless."""
    return figures_refresh(
        agency_ids=agency_ids,
        months=[date.fromisoformat(m) for m in months],
        indicator_keys=indicator_keys,
    )


@shared_task(ignore_result=True, **REFRESH_RETRIES)
def refresh_stale_figures(agency_id: int) -> int:
    """After a write: bring the agency's stale records up to date (nothing stale: nothing to do)."""
    return figures_refresh_stale(agency_ids=[agency_id])


@shared_task(acks_late=True)
def reconcile_figures() -> int:
    """Celery beat, every night: every stale record of every agency — a refresh lost to a worker
    or broker that was down, or one that failed — is brought up to date; then the yearly rollup
    rows that differ from their monthly rows are rebuilt (``rollup_reconcile``)."""
    written = figures_refresh_stale()
    rollup_reconcile()
    return written


@shared_task(acks_late=True, ignore_result=True)
def refresh_figures_backlog() -> int:
    """Celery beat, every five minutes: stale records whose refresh was never sent (the broker
    was down when the write committed) or was lost are brought up to date once it is back."""
    return figures_refresh_backlog()


@shared_task(acks_late=True, ignore_result=True)
def send_waiting_jobs() -> int:
    """Celery beat, every minute: background jobs the broker could not take are sent now."""
    return jobs_send_waiting()


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def compute_disclosure(agency_id: int, quarter: str) -> int:
    """Compute (or recompute) one agency's draft; a published quarter is left untouched.

    The result is not stored (the disclosure row is the result); callers watch the database.
    """
    return disclosure_compute(agency=agency_id, quarter=Quarter.parse(quarter)).pk


# Agencies per task of a city's computation: each task costs the same dozen statements for its
# agencies (docs/benchmarks.md), so fewer, larger tasks cost less; enough of them keep every
# worker busy (3,000 agencies: 60 tasks).
DISCLOSURE_CHUNK = 50


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def compute_disclosures(agency_ids: list[int], quarter: str) -> list[int]:
    """Compute (or recompute) these agencies' drafts together; published quarters stay as they are."""
    found = disclosures_compute(agency_ids=agency_ids, quarter=Quarter.parse(quarter))
    return [d.pk for d in found.values()]


@shared_task(acks_late=True)
def compute_city_disclosures(quarter: str) -> list[int]:
    """Fan out ``compute_disclosures`` over the active agencies, ``DISCLOSURE_CHUNK`` agencies per
    task; returns the agency ids."""
    Quarter.parse(quarter).check_ended()  # refuse a bad or unfinished quarter before fanning out
    agency_ids = list(Agency.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    chunks = [agency_ids[i : i + DISCLOSURE_CHUNK] for i in range(0, len(agency_ids), DISCLOSURE_CHUNK)]
    if chunks:
        group(compute_disclosures.s(chunk, quarter) for chunk in chunks).apply_async()
    return agency_ids


@shared_task(acks_late=True)
def compute_last_quarter_disclosures() -> str:
    """Celery beat: a few days after a quarter ends, compute every agency's draft of it."""
    quarter = Quarter.containing(timezone.localdate()).previous()
    compute_city_disclosures.delay(str(quarter))
    return str(quarter)
