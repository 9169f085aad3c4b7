"""The alerts reporting raises itself: last quarter not yet published, a quarter reopened and not
published again. Registered in ``ReportingConfig.ready()`` like any app's alerts; one query each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Disclosure, DisclosureStatus
from ..periods import Quarter
from ..registry import Alert, AlertItem, register_alert


def published_agency_ids(*, agency_ids: Sequence[int], quarter: Quarter) -> set[int]:
    """Agencies with a published disclosure of ``quarter`` (one query; no ORDER BY — the default
    order joined the agencies to sort a province's rows by code for a set)."""
    return set(
        Disclosure.objects.filter(
            agency_id__any_of=agency_ids,
            year=quarter.year,
            quarter=quarter.number,
            status=DisclosureStatus.PUBLISHED,
        )
        .values_list("agency_id", flat=True)
        .order_by()
    )


def _unpublished(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    quarter = Quarter.containing(as_of).previous()
    published = published_agency_ids(agency_ids=agency_ids, quarter=quarter)
    url = reverse("reporting:disclosure_list")
    message = _("The disclosure of %(quarter)s is not published yet.") % {"quarter": quarter.label}
    return [AlertItem(a, message, "warning", url) for a in agency_ids if a not in published]


def _reopened(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    rows = Disclosure.objects.filter(
        agency_id__in=list(agency_ids),
        status__in=[DisclosureStatus.SUPERSEDED, DisclosureStatus.PUBLISHED],
    ).values_list("agency_id", "year", "quarter", "status")
    state: dict[tuple[int, int, int], set[str]] = {}
    for agency_id, year, number, status in rows:
        state.setdefault((agency_id, year, number), set()).add(status)
    url = reverse("reporting:disclosure_list")
    return [
        AlertItem(
            agency_id,
            _("%(quarter)s was reopened for a correction and is not published again.")
            % {"quarter": Quarter(year, number).label},
            "danger",
            url,
        )
        for (agency_id, year, number), statuses in sorted(state.items())
        if DisclosureStatus.PUBLISHED not in statuses
    ]


UNPUBLISHED = Alert(
    key="reporting.unpublished_quarter", name=gettext_lazy("Quarterly disclosure"), compute=_unpublished
)
REOPENED = Alert(key="reporting.reopened_quarter", name=gettext_lazy("Reopened quarter"), compute=_reopened)


def register() -> None:
    register_alert(UNPUBLISHED)
    register_alert(REOPENED)
