"""Samples for the permission walk: objects of ``ctx.agency`` in ``ctx.department``."""

from tests.campaigns.factories import (
    CreationFactory,
    EventFactory,
    EventFileFactory,
    OrganisationMemberFactory,
    RepairRequestFactory,
    SpotCheckFactory,
    SpotCheckFindingFactory,
    scored_creation,
)
from tests.ledger.url_samples import png_upload


def pdf_upload(name="plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"
    )


def _event(ctx):
    return EventFactory(agency=ctx.agency, department=ctx.department)


def _check(ctx):
    check = SpotCheckFactory(agency=ctx.agency, department=ctx.department)
    SpotCheckFindingFactory(spot_check=check)
    return check


def _photo(ctx):
    return _check(ctx).photos.create(file=png_upload())


SAMPLES = {
    "campaigns:event_detail": lambda ctx: {"pk": _event(ctx).pk},
    "campaigns:event_edit": lambda ctx: {"pk": _event(ctx).pk},
    "campaigns:event_delete": lambda ctx: {"pk": _event(ctx).pk},
    "campaigns:event_file_add": lambda ctx: {"pk": _event(ctx).pk},
    "campaigns:event_file": lambda ctx: {"pk": EventFileFactory(event=_event(ctx), file=png_upload()).pk},
    "campaigns:event_file_delete": lambda ctx: {
        "pk": EventFileFactory(event=_event(ctx), file=png_upload()).pk
    },
    "campaigns:spot_check_detail": lambda ctx: {"pk": _check(ctx).pk},
    "campaigns:spot_check_edit": lambda ctx: {"pk": _check(ctx).pk},
    "campaigns:spot_check_close": lambda ctx: {"pk": _check(ctx).pk},
    "campaigns:spot_check_photo": lambda ctx: {"pk": _photo(ctx).pk},
    "campaigns:repair_edit": lambda ctx: {
        "pk": RepairRequestFactory(agency=ctx.agency, department=ctx.department).pk
    },
    "campaigns:repair_fix": lambda ctx: {
        "pk": RepairRequestFactory(agency=ctx.agency, department=ctx.department).pk
    },
    "campaigns:creation_detail": lambda ctx: {"pk": CreationFactory(agency=ctx.agency).pk},
    "campaigns:creation_assess": lambda ctx: {"pk": CreationFactory(agency=ctx.agency).pk},
    "campaigns:creation_submit": lambda ctx: {"pk": CreationFactory(agency=ctx.agency).pk},
    "campaigns:creation_reopen": lambda ctx: {"pk": CreationFactory(agency=ctx.agency).pk},
    "campaigns:creation_plan": lambda ctx: {
        "pk": CreationFactory(agency=ctx.agency, plan_document=pdf_upload()).pk
    },
    "campaigns:creation_verify": lambda ctx: {"pk": scored_creation(ctx.agency, stage="assessed").pk},
    "campaigns:member_edit": lambda ctx: {"pk": OrganisationMemberFactory(agency=ctx.agency).pk},
    "campaigns:member_delete": lambda ctx: {"pk": OrganisationMemberFactory(agency=ctx.agency).pk},
    "campaigns:repair_photo": lambda ctx: {
        "pk": RepairRequestFactory(agency=ctx.agency, department=ctx.department, photo=png_upload()).pk
    },
}
