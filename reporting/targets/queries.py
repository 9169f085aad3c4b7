"""Reads of the targets page."""

from django.db.models import Q
from django.utils import timezone

from ..models import Target
from .evaluate import targets_evaluate


def _applicable(agency):
    """The targets that apply to ``agency``: its own and the city's defaults, never another's."""
    return Target.objects.filter(Q(agency=agency) | Q(agency__isnull=True))


def default_target_year(*, agency) -> int:
    """The latest year up to this one that has targets for ``agency``, else this year.

    Only the agency's own targets and the city's defaults count: what another agency saves (a
    target for a far year, say) never moves this agency's default (#10.7); nor does a target the
    agency saved for a year to come.
    """
    this_year = timezone.localdate().year
    latest = (
        _applicable(agency)
        .filter(year__lte=this_year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or this_year


def targets_page(*, agency, year: int) -> dict:
    """The targets page: the evaluation of ``agency``'s applicable targets and the targets themselves."""
    today = timezone.localdate()
    as_of = 12 if year < today.year else max(today.month - 1, 1)
    return {
        "year": year,
        "as_of_month": as_of,
        "results": targets_evaluate(agency_ids=[agency.pk], year=year, as_of_month=as_of),
        "targets": _applicable(agency).filter(year=year).select_related("agency"),
        "years": sorted(set(_applicable(agency).values_list("year", flat=True)) | {year}, reverse=True),
    }
