"""Samples for the permission walk (tests/test_permissions.py): an import job of ``ctx.agency``."""

from agencies.models import Membership, Role
from imports.models import ImportJob


def clerk_of(ctx):
    """The clerk of ``ctx.department`` when the walk has made one (a clerk sees only their own
    imports, a manager every import of the agency)."""
    if getattr(ctx, "clerk", None) is not None:
        return ctx.clerk
    membership = (
        Membership.objects.filter(agency=ctx.agency, department=ctx.department, role=Role.CLERK)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


SAMPLES = {
    "imports:job_detail": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_progress": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_confirm": lambda ctx: {"pk": _job(ctx).pk},
    "imports:job_remap": lambda ctx: {"pk": _job(ctx).pk},
}


def _job(ctx) -> ImportJob:
    return ImportJob.objects.create(
        agency=ctx.agency, kind="readings", original_filename="readings.xlsx", uploaded_by=clerk_of(ctx)
    )
