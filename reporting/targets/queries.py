"""Reads of the targets page."""

from django.db.models import Q
from django.utils import timezone

from ..models import Target
from .evaluate import targets_evaluate


def default_target_year() -> int:
    """The latest year that has targets, else the current year."""
    latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def targets_page(*, agency, year: int) -> dict:
    """The targets page: the evaluation of ``agency``'s applicable targets and the targets themselves."""
    today = timezone.localdate()
    as_of = 12 if year < today.year else max(today.month - 1, 1)
    return {
        "year": year,
        "as_of_month": as_of,
        "results": targets_evaluate(agency_ids=[agency.pk], year=year, as_of_month=as_of),
        "targets": Target.objects.filter(Q(agency=agency) | Q(agency__isnull=True), year=year).select_related(
            "agency"
        ),
        "years": sorted(set(Target.objects.values_list("year", flat=True)) | {year}, reverse=True),
    }
