"""Writes of office consumables: the catalogue, purchases, requisitions, paper and running costs.

Every write takes the caller's ``scope``, checks the role and that what it writes and points at
lies in the scope (``scope.check``: agency; the section for clerks — docs/architecture.md "Writes
check scope"), asks ``reporting.writes`` whether its own indicators are open in the months it
touches, and marks exactly those stale inside its transaction (refreshed after the commit).
Stock moves only here and in the import writers, under a row lock on the item.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Department, Role
from agencies.scoping import Scope
from ledger.uploads import upload_prepare
from reporting import writes

from .indicators import EXPENSE_KEYS, PAPER_KEYS, PURCHASE_KEYS, REQUISITION_KEYS
from .models import Expense, Item, PaperUse, Purchase, Requisition, RowSource
from .queries import item_months
from .rules import expense_check, issue_cost, paper_check, purchase_check, requisition_check

ITEM_FIGURE_FIELDS = ("category", "is_green", "is_disposable")  # they move rows between breakdowns
ITEM_KEYS = (*REQUISITION_KEYS, *PURCHASE_KEYS)
ITEM_FIELDS = (
    "code",
    "name",
    "category",
    "unit",
    "is_green",
    "is_disposable",
    "reorder_level",
    "is_active",
    "note",
)


def today() -> date:
    """Today in Asia/Shanghai (the project's TIME_ZONE)."""
    return timezone.localdate()


# --- catalogue ----------------------------------------------------------------------------------


def item_save(*, scope: Scope, item: Item) -> Item:
    """Create or change a catalogue entry (managers); stock and its value are left to the services."""
    scope.require(Role.MANAGER)
    if item.pk is None and item.agency_id is None:
        item.agency = scope.agency
    scope.check(item)
    item.full_clean(exclude=["stock", "stock_value"], validate_constraints=False)
    if Item.objects.filter(agency_id=item.agency_id, code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": _("This code is already used by another item of the catalogue.")})
    months: set[date] = set()
    if item.pk:
        old = Item.objects.get(pk=item.pk)
        if any(getattr(old, f) != getattr(item, f) for f in ITEM_FIGURE_FIELDS):
            # The item's rows move between breakdowns (category, green, disposable): every month
            # they are in is recomputed, and a published one refuses the change.
            months = item_months(item_ids=[item.pk]).get(item.pk, set())
            writes.assert_open(agency_id=item.agency_id, months=months, indicators=ITEM_KEYS)
    try:
        with transaction.atomic():
            if item.pk:
                item.save(update_fields=list(ITEM_FIELDS))
            else:
                item.save()
            if months:
                writes.mark_stale(agency_id=item.agency_id, months=months, indicators=ITEM_KEYS)
    except IntegrityError:
        raise ValidationError(
            {"code": _("This code is already used by another item of the catalogue.")}
        ) from None
    return item


def item_create(*, scope: Scope, **fields) -> Item:
    item = Item(agency=scope.agency, **{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    return item_save(scope=scope, item=item)


# --- purchases (经费审批 → 采购) -------------------------------------------------------------------


def purchase_record(
    *,
    scope: Scope,
    item: Item,
    approved_on: date,
    approver: str,
    date: date,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal,
    supplier: str,
    invoice_number: str = "",
    voucher=None,
    note: str = "",
    source: str = RowSource.FORM,
) -> Purchase:
    """Record a purchase whose spending was approved: the item's stock and its value grow."""
    scope.require(Role.MANAGER)
    scope.check(Purchase(item=item))
    voucher = upload_prepare(voucher)
    errors = purchase_check(
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
        approved_on=approved_on,
        day=date,
        today=today(),
    )
    if not approver.strip():
        errors["approver"] = _("Name who approved the spending (经费审批).")
    if not supplier.strip():
        errors["supplier"] = _("Name the supplier.")
    if errors:
        raise ValidationError(errors)
    writes.assert_open(agency_id=scope.agency.pk, months=[date], indicators=PURCHASE_KEYS)
    with writes.serialised(Item.objects.filter(pk=item.pk)):
        purchase = Purchase.objects.create(
            item=item,
            approved_on=approved_on,
            approver=approver.strip(),
            date=date,
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            supplier=supplier.strip(),
            invoice_number=invoice_number,
            voucher=voucher or "",
            note=note,
            source=source,
            created_by=scope.user,
        )
        Item.objects.filter(pk=item.pk).update(
            stock=F("stock") + quantity, stock_value=F("stock_value") + amount
        )
        writes.mark_stale(agency_id=scope.agency.pk, months=[date], indicators=PURCHASE_KEYS)
    item.refresh_from_db(fields=["stock", "stock_value"])
    return purchase


# --- requisitions (按需领用) ----------------------------------------------------------------------


def requisition_record(
    *,
    scope: Scope,
    department: Department,
    item: Item,
    date: date,
    quantity: Decimal,
    requested_by: str,
    note: str = "",
    source: str = RowSource.FORM,
) -> Requisition:
    """Issue ``quantity`` of ``item`` to ``department``; refused beyond the stock on hand.

    The item's row is locked (SELECT … FOR UPDATE) and the stock re-read inside the transaction,
    so two clerks taking the last box at the same moment cannot both get it: the second waits
    for the first to commit, then finds the stock it left.
    """
    scope.require(Role.CLERK, Role.MANAGER)
    scope.check(Requisition(department=department, item=item))
    if not requested_by.strip():
        raise ValidationError({"requested_by": _("Name who collected the items (领用人).")})
    # Everything but the stock first, without a lock.
    errors = requisition_check(quantity=quantity, on_hand=quantity, unit=item.unit, day=date, today=today())
    if errors:
        raise ValidationError(errors)
    writes.assert_open(agency_id=scope.agency.pk, months=[date], indicators=REQUISITION_KEYS)
    with writes.serialised(Item.objects.filter(pk=item.pk)) as (locked,):
        errors = requisition_check(
            quantity=quantity, on_hand=locked.stock, unit=locked.unit, day=date, today=today()
        )
        if errors:
            raise ValidationError(errors)
        cost = issue_cost(quantity=quantity, stock=locked.stock, stock_value=locked.stock_value)
        requisition = Requisition.objects.create(
            department=department,
            item=locked,
            date=date,
            quantity=quantity,
            amount=cost,
            requested_by=requested_by.strip(),
            issued_by=scope.user,
            note=note,
            source=source,
            created_by=scope.user,
        )
        Item.objects.filter(pk=item.pk).update(
            stock=F("stock") - quantity, stock_value=F("stock_value") - cost
        )
        writes.mark_stale(agency_id=scope.agency.pk, months=[date], indicators=REQUISITION_KEYS)
    item.refresh_from_db(fields=["stock", "stock_value"])
    return requisition


# --- paper registration (用纸登记) ----------------------------------------------------------------


def paper_record(
    *,
    scope: Scope,
    department: Department,
    date: date,
    sheets: int,
    duplex_sheets: int,
    note: str = "",
    source: str = RowSource.FORM,
) -> PaperUse:
    scope.require(Role.CLERK, Role.MANAGER)
    scope.check(PaperUse(department=department))
    errors = paper_check(sheets=sheets, duplex_sheets=duplex_sheets, day=date, today=today())
    if errors:
        raise ValidationError(errors)
    writes.assert_open(agency_id=scope.agency.pk, months=[date], indicators=PAPER_KEYS)
    with transaction.atomic():
        paper = PaperUse.objects.create(
            department=department,
            date=date,
            sheets=sheets,
            duplex_sheets=duplex_sheets,
            note=note,
            source=source,
            created_by=scope.user,
        )
        writes.mark_stale(agency_id=scope.agency.pk, months=[date], indicators=PAPER_KEYS)
    return paper


# --- running costs: telephone, meeting, reception ----------------------------------------------


def expense_record(
    *,
    scope: Scope,
    kind: str,
    date: date,
    amount: Decimal,
    department: Department | None = None,
    voucher_number: str = "",
    voucher=None,
    note: str = "",
    source: str = RowSource.FORM,
) -> Expense:
    scope.require(Role.CLERK, Role.MANAGER)
    scope.check(Expense(agency=scope.agency, department=department))
    voucher = upload_prepare(voucher)
    errors = expense_check(
        kind=kind, has_department=department is not None, amount=amount, day=date, today=today()
    )
    if errors:
        raise ValidationError(errors)
    writes.assert_open(agency_id=scope.agency.pk, months=[date], indicators=EXPENSE_KEYS)
    with transaction.atomic():
        expense = Expense.objects.create(
            agency=scope.agency,
            department=department,
            kind=kind,
            date=date,
            amount=amount,
            voucher_number=voucher_number,
            voucher=voucher or "",
            note=note,
            source=source,
            created_by=scope.user,
        )
        writes.mark_stale(agency_id=scope.agency.pk, months=[date], indicators=EXPENSE_KEYS)
    return expense
