"""Samples for the permission walk: objects of ctx.agency for every reporting URL with arguments."""

from reporting.models import DisclosureStatus
from tests.reporting.factories import DisclosureFactory, TargetFactory


def _draft(ctx):
    return {"pk": DisclosureFactory(agency=ctx.agency).pk}


def _published(ctx):
    return {"pk": DisclosureFactory(agency=ctx.agency, status=DisclosureStatus.PUBLISHED).pk}


SAMPLES = {
    "reporting:target_delete": lambda ctx: {"pk": TargetFactory(agency=ctx.agency).pk},
    "reporting:disclosure_detail": _draft,
    "reporting:disclosure_publish": _draft,
    "reporting:disclosure_reopen": _published,
    "reporting:disclosure_pdf": _draft,
    "reporting:disclosure_xlsx": _draft,
    "reporting:public_notice": _published,
    "reporting:public_notice_pdf": _published,
}
