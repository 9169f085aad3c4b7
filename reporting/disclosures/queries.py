"""Reads of the disclosure pages: one disclosure with its history, the public list."""

from ..models import Disclosure, DisclosureEvent, DisclosureStatus
from .snapshot import snapshot_items


def disclosure_page(*, disclosure) -> dict:
    """A disclosure with its rows ready to show and the quarter's history of events."""
    versions = Disclosure.objects.filter(
        agency_id=disclosure.agency_id, year=disclosure.year, quarter=disclosure.quarter
    ).order_by("-version")
    events = DisclosureEvent.objects.filter(
        agency_id=disclosure.agency_id, year=disclosure.year, quarter=disclosure.quarter
    ).select_related("by")
    items = snapshot_items(disclosure.data)
    return {
        "disclosure": disclosure,
        "items": items,
        "targets": [i for i in items if i.get("target")],
        "versions": versions,
        "events": events,
    }


def published_notices():
    """Every agency's published notices, newest quarter first (the public page)."""
    return (
        Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED)
        .select_related("agency")
        .order_by("-year", "-quarter", "-published_at", "agency__code")
    )
