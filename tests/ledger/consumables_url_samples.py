"""Permission-walk samples for the consumables pages: rows of ``ctx.agency`` in ``ctx.department``."""

from tests.ledger.consumables_factories import ItemFactory, PurchaseFactory
from tests.ledger.url_samples import png_upload


def _item(ctx):
    return ItemFactory(agency=ctx.agency, code="WALK-A4")


def _voucher(ctx):
    return {"kind": "purchase", "pk": PurchaseFactory(item=_item(ctx), voucher=png_upload()).pk}


SAMPLES = {
    "ledger:consumables_item_edit": lambda ctx: {"pk": _item(ctx).pk},
    "ledger:consumables_voucher": _voucher,
}
