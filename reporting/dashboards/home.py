"""What reporting puts on the home page (工作台): the quarter to compute or publish (energy
manager), every registered alert the to-dos do not already say (manager, leadership group), the
targets at a glance (leadership group) and the city overview (city verifier). Registered in
``ReportingConfig.ready()``; the panels read what the dashboards read, so they cost what the
dashboards cost (a fixed number of queries)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.workbench import (
    LEVELS,
    Panel,
    Todo,
    TodoSource,
    covered_alerts,
    register_panel,
    register_todo,
)

from ..models import Disclosure, DisclosureStatus
from ..registry import alerts
from .agency import agency_dashboard
from .city import city_agencies, city_dashboard
from .common import Period, last_quarter


def quarter_todos(scope, today: date) -> list[Todo]:
    """The last quarter's disclosure: compute it, or check and publish its draft (one query)."""
    quarter = last_quarter(today)
    versions = {
        d.status: d
        for d in Disclosure.objects.filter(agency=scope.agency, year=quarter.year, quarter=quarter.number)
    }
    if DisclosureStatus.PUBLISHED in versions:
        return []
    if DisclosureStatus.DRAFT in versions:
        draft = versions[DisclosureStatus.DRAFT]
        return [
            Todo(
                _("The draft disclosure of %(quarter)s is computed: check it and publish the notice.")
                % {"quarter": quarter.label},
                reverse("reporting:disclosure_detail", args=[draft.pk]),
                "warning",
            )
        ]
    if DisclosureStatus.SUPERSEDED in versions:
        return []  # reopened for a correction: the "reopened quarter" alert says so
    return [
        Todo(
            _("The disclosure of %(quarter)s is not computed yet: compute it, then publish the notice.")
            % {"quarter": quarter.label},
            reverse("reporting:disclosure_list"),
            "warning",
        )
    ]


def alerts_panel(scope, today: date) -> dict | None:
    """The agency's registered alerts, less those a to-do of this role already says."""
    covered = covered_alerts(scope)
    items = [
        (str(alert.name), item)
        for alert in alerts()
        if alert.key not in covered
        for item in alert.compute([scope.agency.pk], today)
    ]
    items.sort(key=lambda pair: (LEVELS.index(pair[1].level) if pair[1].level in LEVELS else 1, pair[0]))
    return {"alerts": items} if items else None


def summary_panel(scope, today: date) -> dict | None:
    """The agency dashboard's summary through the last quarter that has ended."""
    period = Period.last_ended(today)
    data = agency_dashboard(agency=scope.agency, year=period.year, quarter=period.quarter)
    return {"d": data, "counts": data.counts, "url": reverse("reporting:dashboard") + period.query}


def city_panel(scope, today: date) -> dict | None:
    """The city overview at a glance: the share on track against the goal, who has not published."""
    period = Period.last_ended(today)
    agencies = city_agencies(scope.agencies().filter(in_programme=True).order_by("code"))
    data = city_dashboard(agencies=agencies, year=period.year, quarter=period.quarter)
    return {"d": data, "url": reverse("reporting:city_dashboard") + period.query}


def register() -> None:
    managers = frozenset({Role.MANAGER})
    register_todo(
        TodoSource(
            "reporting.quarter", managers, quarter_todos, order=30, covers=("reporting.unpublished_quarter",)
        )
    )
    register_panel(
        Panel(
            "reporting.summary", frozenset({Role.LEADER}), "reporting/home/_summary.html", summary_panel, 10
        )
    )
    register_panel(
        Panel(
            "reporting.alerts",
            frozenset({Role.MANAGER, Role.LEADER}),
            "reporting/home/_alerts.html",
            alerts_panel,
            20,
        )
    )
    register_panel(
        Panel("reporting.city", frozenset({Role.CITY}), "reporting/home/_city.html", city_panel, 10)
    )
