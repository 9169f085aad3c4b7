"""The ``bills`` import kind (缴费单台账): one row per utility bill of a meter.

A bill is identified by its meter and period: the same meter and period again is the same bill
(updated or unchanged). The rules are the form's (``services.bill_check``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.models import Role
from imports.registry import ROW, Column, ImportContext, ImportKind, RowError, Validated, WriteSummary

from .importers import _meters_in_scope
from .indicators import LEDGER_KEYS
from .models import Bill
from .services import bill_check, today
from .usage import months_between

BILL_COLUMNS = (
    Column(
        "meter",
        pgettext_lazy("ledger import column", "Meter code"),
        ("计量表编号", "表号", "户号", "meter"),
        words=("表号", "编号", "户号"),
        not_words=("上级", "总表", "名称", "发票"),
        max_length=40,
    ),
    Column(
        "period_start",
        pgettext_lazy("ledger import column", "Period start"),
        ("起始日期", "开始日期", "计费起始日", "period start"),
        "date",
        words=("起始", "开始", "起日", "自"),
        not_words=("截止", "结束", "终止"),
    ),
    Column(
        "period_end",
        pgettext_lazy("ledger import column", "Period end"),
        ("截止日期", "结束日期", "计费截止日", "period end"),
        "date",
        words=("截止", "结束", "终止", "止日", "至"),
        not_words=("起始", "开始"),
    ),
    Column(
        "quantity",
        pgettext_lazy("ledger import column", "Quantity"),
        ("用量", "数量", "电量", "水量", "气量", "quantity"),
        "decimal",
        words=("用量", "数量", "电量", "水量", "气量", "热量"),
        not_words=("金额", "单价", "费"),
    ),
    Column(
        "amount",
        pgettext_lazy("ledger import column", "Amount (yuan)"),
        ("金额", "费用", "电费", "水费", "缴费金额", "amount"),
        "decimal",
        words=("金额", "费用", "电费", "水费", "燃气费", "热费"),
        not_words=("单价", "发票"),
    ),
    Column(
        "invoice_number",
        pgettext_lazy("ledger import column", "Invoice number"),
        ("发票号", "发票号码", "票号", "invoice"),
        required=False,
        words=("发票", "票号"),
        max_length=60,
    ),
    Column(
        "note",
        pgettext_lazy("ledger import column", "Note"),
        ("备注", "note"),
        required=False,
        words=("备注", "说明"),
        max_length=200,
    ),
)
BILL_FIELDS = ("quantity", "amount", "invoice_number", "note")


@dataclass
class BillState:
    user: object
    today: object
    meters: dict  # code -> Meter
    existing: dict  # (meter id, start, end) -> Bill
    clerk: bool = False
    seen: dict = field(default_factory=dict)  # (meter id, start, end) -> row


def bills_prepare(context: ImportContext) -> BillState:
    meters = {meter.code: meter for meter in _meters_in_scope(context)}
    existing = {
        (bill.meter_id, bill.period_start, bill.period_end): bill
        for bill in Bill.objects.filter(meter__in=list(meters.values()))
    }
    return BillState(context.user, today(), meters, existing, clerk=context.departments is not None)


def bills_validate(state: BillState, values: dict, row: int) -> Validated:
    code = values["meter"]
    meter = state.meters.get(code)
    if meter is None:
        raise RowError({"meter": _("No meter %(code)s in this agency's registry.") % {"code": code}})
    start, end = values["period_start"], values["period_end"]
    errors = bill_check(
        period_start=start,
        period_end=end,
        quantity=values["quantity"],
        amount=values["amount"],
        now=state.today,
    )
    if errors:
        raise RowError(errors)
    key = (meter.pk, start, end)
    if key in state.seen:
        raise RowError(
            {
                ROW: _("This meter's bill for this period is already in row %(row)d.")
                % {"row": state.seen[key]}
            }
        )
    state.seen[key] = row
    fields = {
        "quantity": values["quantity"],
        "amount": values["amount"],
        "invoice_number": values.get("invoice_number") or "",
        "note": values.get("note") or "",
    }
    current = state.existing.get(key)
    months = tuple(months_between(start, end))
    if current is None:
        bill = Bill(meter=meter, period_start=start, period_end=end, created_by=state.user, **fields)
        return Validated(record=bill, status="new", months=months)
    if all(getattr(current, name) == value for name, value in fields.items()):
        return Validated(record=current, status="unchanged", months=months)
    for name, value in fields.items():
        setattr(current, name, value)
    return Validated(record=current, status="updated", months=months)


def bills_write(state: BillState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    new = [bill for bill in records if bill.pk is None]
    changed = [bill for bill in records if bill.pk is not None]
    if new:
        bulk_create_with_history(new, Bill, batch_size=1000)
    if changed:
        bulk_update_with_history(changed, Bill, list(BILL_FIELDS), batch_size=1000)
    return WriteSummary(created=len(new), updated=len(changed))


def bills_export(context: ImportContext):
    rows = (
        Bill.objects.filter(meter__in=_meters_in_scope(context))
        .order_by("meter__code", "period_start", "period_end", "pk")
        .values_list(
            "meter__code", "period_start", "period_end", "quantity", "amount", "invoice_number", "note"
        )
    )
    for code, start, end, quantity, amount, invoice, note in rows.iterator(chunk_size=5000):
        yield {
            "meter": code,
            "period_start": start,
            "period_end": end,
            "quantity": quantity,
            "amount": amount,
            "invoice_number": invoice,
            "note": note,
        }


BILLS_KIND = ImportKind(
    key="bills",
    label=gettext_lazy("Utility bills"),
    columns=BILL_COLUMNS,
    prepare=bills_prepare,
    validate=bills_validate,
    write=bills_write,
    template_rows=(
        {
            "meter": "E-001",
            "period_start": date(2020, 1, 1),
            "period_end": date(2020, 3, 31),
            "quantity": 12840,
            "amount": 10272.00,
            "invoice_number": "37001234",
        },
    ),
    description=gettext_lazy(
        "Utility bills (缴费单): meter code, billing period, quantity and amount; the same meter and "
        "period again updates that bill."
    ),
    indicators=LEDGER_KEYS,  # a bill brings the cost and, for meters the utility reads, the usage
    roles=(Role.MANAGER,),
    export=bills_export,
    depends_on=("meters",),
)
