"""Samples for the permission walk (tests/test_permissions.py): an import job of ``ctx.agency``."""

from imports.models import ImportJob

SAMPLES = {
    "imports:job_detail": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_progress": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_confirm": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_remap": lambda ctx: {"pk": _job(ctx).pk},
}


def _job(ctx) -> ImportJob:
    # uploaded by the clerk: a clerk sees only their own imports, a manager every import
    return ImportJob.objects.create(
        agency=ctx.agency, kind="readings", original_filename="readings.xlsx", uploaded_by=ctx.clerk
    )
