"""POST samples for the write walk (tests/test_write_walk.py): valid submissions built in ``ctx``."""

from datetime import date
from decimal import Decimal

from tests.ledger.factories import MeterFactory, ReadingFactory
from tests.ledger.url_samples import png_upload
from tests.writewalk import PostSample


def _meter(ctx, **kwargs):
    meter = MeterFactory(agency=ctx.agency, department=ctx.department, **kwargs)
    ReadingFactory(meter=meter, date=date(2020, 1, 31), value=Decimal("100"))
    return meter


def _meter_form(ctx):
    return {
        "code": "WALK-NEW",
        "name": "走查电表",
        "kind": "electricity",
        "location": "",
        "department": ctx.department.pk,
        "item": "",
        "parent": MeterFactory(agency=ctx.agency, department=ctx.department).pk,
        "multiplier": "1",
        "share": "1",
        "dial_digits": "6",
        "installed_on": "",
        "retired_on": "",
        "note": "",
    }


def _reading_form(ctx):
    return {"date": "2020-02-29", "value": "150", "event": "normal", "note": "走查"}


def _round(ctx):
    meter = _meter(ctx)
    return {"date": "2020-02-29", f"value-{meter.pk}": "150", f"event-{meter.pk}": "normal"}


def _round_preview(ctx):
    return {"meter": _meter(ctx).pk, "date": "2020-02-29", "value": "150"}


def _bill(ctx):
    return {
        "meter": _meter(ctx).pk,
        "period_start": "2020-01-01",
        "period_end": "2020-01-31",
        "quantity": "100",
        "amount": "80",
        "invoice_number": "",
        "voucher": png_upload(),
        "note": "",
    }


POST_SAMPLES = {
    "ledger:meter_create": PostSample(_meter_form),
    "ledger:meter_edit": PostSample(_meter_form),
    "ledger:reading_add": PostSample(_reading_form),
    "ledger:reading_edit": PostSample(_reading_form),
    "ledger:reading_review": PostSample(lambda ctx: {}),
    "ledger:round": PostSample(_round),
    "ledger:round_preview": PostSample(
        _round_preview, writes=False, note="shows the usage as the clerk types"
    ),
    "ledger:bill_create": PostSample(_bill),
}


from tests.ledger.consumables_post_samples import POST_SAMPLES as CONSUMABLES_POST_SAMPLES  # noqa: E402

POST_SAMPLES.update(CONSUMABLES_POST_SAMPLES)
