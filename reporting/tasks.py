"""Celery tasks of reporting: they take ids, load what they need and call a service."""

from datetime import date

from celery import shared_task

from .services import figures_refresh


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
