"""Samples for the permission walk: objects of ``ctx.agency`` in ``ctx.department``."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.ledger.factories import BillFactory, MeterFactory, ReadingFactory


def _meter(ctx):
    return MeterFactory(agency=ctx.agency, department=ctx.department)


def _reading(ctx):
    return ReadingFactory(meter=_meter(ctx), value=Decimal("10"))


def png_upload(name="voucher.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _voucher(ctx):
    return {"kind": "bill", "pk": BillFactory(meter=_meter(ctx), voucher=png_upload()).pk}


SAMPLES = {
    "ledger:meter_detail": lambda ctx: {"pk": _meter(ctx).pk},
    "ledger:meter_edit": lambda ctx: {"pk": _meter(ctx).pk},
    "ledger:reading_add": lambda ctx: {"meter_pk": _meter(ctx).pk},
    "ledger:reading_edit": lambda ctx: {"pk": _reading(ctx).pk},
    "ledger:reading_review": lambda ctx: {"pk": _reading(ctx).pk},
    "ledger:voucher": _voucher,
}


from tests.ledger.consumables_url_samples import SAMPLES as CONSUMABLES_SAMPLES  # noqa: E402

SAMPLES.update(CONSUMABLES_SAMPLES)
