"""Samples for the permission walk (tests/test_permissions.py): an import job of ``ctx.agency``."""

from imports.models import ImportJob

SAMPLES = {
    "imports:job_detail": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_progress": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_confirm": lambda ctx: {"pk": _job(ctx).pk},
}


def _job(ctx) -> ImportJob:
    return ImportJob.objects.create(agency=ctx.agency, kind="agency_years", original_filename="years.xlsx")
