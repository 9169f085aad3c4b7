"""Write-walk samples for the consumables pages: valid submissions built in ``ctx``."""

from decimal import Decimal

from ledger.consumables.models import Item
from tests.ledger.consumables_factories import ItemFactory
from tests.ledger.url_samples import png_upload
from tests.writewalk import PostSample


def _stocked(ctx):
    """The agency's one walk item: items are agency-wide, so another section's sample names the same one."""
    item = Item.objects.filter(agency=ctx.agency, code="WALK-STOCK").first()
    return item or ItemFactory(
        agency=ctx.agency, code="WALK-STOCK", stock=Decimal(10), stock_value=Decimal(250)
    )


def _item_form(ctx):
    return {
        "code": "WALK-NEW",
        "name": "走查物品",
        "category": "paper",
        "unit": "包",
        "reorder_level": "5",
        "note": "",
    }


def _purchase(ctx):
    return {
        "item": _stocked(ctx).pk,
        "approved_on": "2020-03-01",
        "approver": "高述刚",
        "date": "2020-03-02",
        "quantity": "4",
        "unit_price": "25",
        "amount": "100",
        "supplier": "文具商行",
        "invoice_number": "",
        "voucher": png_upload(),
        "note": "",
    }


def _requisition(ctx):
    return {
        "department": ctx.department.pk,
        "item": _stocked(ctx).pk,
        "date": "2020-03-10",
        "quantity": "2",
        "requested_by": "李鑫",
        "note": "",
    }


def _paper(ctx):
    return {
        "department": ctx.department.pk,
        "date": "2020-03-31",
        "sheets": "500",
        "duplex_sheets": "200",
        "note": "",
    }


def _expense(ctx):
    return {
        "kind": "telephone",
        "department": ctx.department.pk,
        "date": "2020-03-25",
        "amount": "86.40",
        "voucher_number": "凭1",
        "note": "",
    }


POST_SAMPLES = {
    "ledger:consumables_item_create": PostSample(_item_form),
    "ledger:consumables_item_edit": PostSample(_item_form),
    "ledger:consumables_purchase_create": PostSample(_purchase),
    "ledger:consumables_requisition_create": PostSample(_requisition),
    "ledger:consumables_paper_create": PostSample(_paper),
    "ledger:consumables_expense_create": PostSample(_expense),
}
