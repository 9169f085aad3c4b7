"""The consumables Excel import kinds: ``items``, ``purchases``, ``requisitions``, ``paper``, ``expenses``.

Each row is checked by the same rules as the forms (``rules.py``), in file order, against the
agency's catalogue, sections and stock as they stand plus the rows above it. A row identical to
one already in the ledger counts as unchanged (so a re-imported export writes nothing); rows
that appear k times in the file and m times in the ledger give max(k − m, 0) new ones. Writes
lock the items they move (SELECT … FOR UPDATE), re-check the stock and move it in file order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history

from agencies.models import Department
from imports.registry import (
    ROW,
    Column,
    ImportContext,
    ImportKind,
    RowError,
    Validated,
    WriteSummary,
    register_import_kind,
)
from reporting import writes

from .indicators import EXPENSE_KEYS, PAPER_KEYS, PURCHASE_KEYS, REQUISITION_KEYS
from .models import Category, Expense, ExpenseKind, Item, PaperUse, Purchase, Requisition, RowSource
from .queries import item_months
from .rules import expense_check, issue_cost, paper_check, purchase_check, requisition_check
from .services import today

CATEGORY_CHOICES = {
    **{str(v): v for v in Category.values},
    "纸张": "paper", "纸": "paper", "复印纸": "paper", "paper": "paper",
    "硒鼓墨盒": "toner", "硒鼓": "toner", "墨盒": "toner", "墨粉": "toner", "硒鼓、墨盒": "toner",
    "toner and ink": "toner",
    "笔": "pens", "笔类": "pens", "签字笔": "pens", "pens": "pens",
    "一次性杯具餐具": "disposable", "一次性用品": "disposable", "纸杯": "disposable",
    "disposable cups and tableware": "disposable",
    "清洁用品": "cleaning", "清洁": "cleaning", "cleaning supplies": "cleaning",
    "其他": "other", "other": "other",
}  # fmt: skip
EXPENSE_CHOICES = {
    **{str(v): v for v in ExpenseKind.values},
    "电话费": "telephone", "电话": "telephone", "通讯费": "telephone",
    "会议费": "meeting", "会议": "meeting",
    "接待费": "reception", "公务接待费": "reception", "接待": "reception",
}  # fmt: skip
NOTE = Column("note", pgettext_lazy("consumables import column", "Note"), ("备注", "note"), required=False)
ITEM_CODE = Column(
    "item",
    pgettext_lazy("consumables import column", "Item code"),
    ("物品编号", "编号", "耗材编号", "item code", "item"),
)
DEPARTMENT = Column(
    "department",
    pgettext_lazy("consumables import column", "Section"),
    ("科室", "部门", "领用科室", "使用科室", "department"),
)

ITEM_COLUMNS = (
    Column(
        "code",
        pgettext_lazy("consumables import column", "Item code"),
        ("物品编号", "编号", "耗材编号", "code"),
    ),
    Column(
        "name", pgettext_lazy("consumables import column", "Item name"), ("名称", "品名", "物品名称", "name")
    ),
    Column(
        "category",
        pgettext_lazy("consumables import column", "Category"),
        ("类别", "分类", "category"),
        "choice",
        choices=CATEGORY_CHOICES,
    ),
    Column("unit", pgettext_lazy("consumables import column", "Unit"), ("单位", "计量单位", "unit")),
    Column(
        "is_green",
        pgettext_lazy("consumables import column", "Green product"),
        ("绿色产品", "是否绿色产品", "green"),
        "bool",
        required=False,
    ),
    Column(
        "is_disposable",
        pgettext_lazy("consumables import column", "Disposable"),
        ("一次性", "是否一次性", "disposable"),
        "bool",
        required=False,
    ),
    Column(
        "reorder_level",
        pgettext_lazy("consumables import column", "Reorder level"),
        ("最低库存", "库存下限", "补货线", "reorder level"),
        "decimal",
        required=False,
    ),
    NOTE,
)
PURCHASE_COLUMNS = (
    ITEM_CODE,
    Column(
        "approved_on",
        pgettext_lazy("consumables import column", "Approved on"),
        ("审批日期", "经费审批日期", "approved on"),
        "date",
    ),
    Column("approver", pgettext_lazy("consumables import column", "Approved by"), ("审批人", "approver")),
    Column(
        "date",
        pgettext_lazy("consumables import column", "Purchase date"),
        ("采购日期", "购买日期", "日期", "date"),
        "date",
    ),
    Column(
        "quantity", pgettext_lazy("consumables import column", "Quantity"), ("数量", "quantity"), "decimal"
    ),
    Column(
        "unit_price",
        pgettext_lazy("consumables import column", "Unit price (yuan)"),
        ("单价", "单价（元）", "unit price"),
        "decimal",
    ),
    Column(
        "amount",
        pgettext_lazy("consumables import column", "Amount (yuan)"),
        ("金额", "金额（元）", "amount"),
        "decimal",
    ),
    Column(
        "supplier", pgettext_lazy("consumables import column", "Supplier"), ("供应商", "供货单位", "supplier")
    ),
    Column(
        "invoice_number",
        pgettext_lazy("consumables import column", "Invoice number"),
        ("发票号码", "发票号", "invoice"),
        required=False,
    ),
    NOTE,
)
REQUISITION_COLUMNS = (
    DEPARTMENT,
    ITEM_CODE,
    Column(
        "date",
        pgettext_lazy("consumables import column", "Requisition date"),
        ("领用日期", "日期", "date"),
        "date",
    ),
    Column(
        "quantity",
        pgettext_lazy("consumables import column", "Quantity"),
        ("数量", "领用数量", "quantity"),
        "decimal",
    ),
    Column(
        "requested_by", pgettext_lazy("consumables import column", "Requested by"), ("领用人", "requested by")
    ),
    NOTE,
)
PAPER_COLUMNS = (
    DEPARTMENT,
    Column("date", pgettext_lazy("consumables import column", "Date"), ("登记日期", "日期", "date"), "date"),
    Column(
        "sheets",
        pgettext_lazy("consumables import column", "Sheets"),
        ("用纸张数", "用纸量", "张数", "sheets"),
        "int",
    ),
    Column(
        "duplex_sheets",
        pgettext_lazy("consumables import column", "Of which duplex"),
        ("其中双面", "双面张数", "双面", "duplex"),
        "int",
        required=False,
    ),
    NOTE,
)
EXPENSE_COLUMNS = (
    Column("date", pgettext_lazy("consumables import column", "Date"), ("日期", "发生日期", "date"), "date"),
    Column(
        "department",
        pgettext_lazy("consumables import column", "Section"),
        ("科室", "部门", "department"),
        required=False,
    ),
    Column(
        "kind",
        pgettext_lazy("consumables import column", "Kind"),
        ("费用类别", "类别", "kind"),
        "choice",
        choices=EXPENSE_CHOICES,
    ),
    Column(
        "amount",
        pgettext_lazy("consumables import column", "Amount (yuan)"),
        ("金额", "金额（元）", "amount"),
        "decimal",
    ),
    Column(
        "voucher_number",
        pgettext_lazy("consumables import column", "Voucher number"),
        ("凭证号", "凭证编号", "voucher"),
        required=False,
    ),
    NOTE,
)


def _limited(columns: tuple[Column, ...], model) -> tuple[Column, ...]:
    """Text columns stored in a CharField of ``model`` get its max_length: too long is a row error."""
    lengths = {
        f.name: f.max_length for f in model._meta.concrete_fields if f.get_internal_type() == "CharField"
    }
    return tuple(
        replace(c, max_length=lengths[c.key]) if c.type == "text" and c.key in lengths else c for c in columns
    )


ITEM_COLUMNS = _limited(ITEM_COLUMNS, Item)
PURCHASE_COLUMNS = _limited(PURCHASE_COLUMNS, Purchase)
REQUISITION_COLUMNS = _limited(REQUISITION_COLUMNS, Requisition)
PAPER_COLUMNS = _limited(PAPER_COLUMNS, PaperUse)
EXPENSE_COLUMNS = _limited(EXPENSE_COLUMNS, Expense)


@dataclass
class State:
    context: ImportContext
    today: object
    items: dict = field(default_factory=dict)  # code -> Item
    departments: dict = field(default_factory=dict)  # name -> id
    existing: Counter = field(default_factory=Counter)  # row key -> how many such rows the ledger has
    seen: Counter = field(default_factory=Counter)  # row key -> how many such rows the file had so far
    stock: dict = field(default_factory=dict)  # item id -> stock after the rows above
    codes: dict = field(default_factory=dict)  # item code -> first row (items kind)
    months: dict = field(default_factory=dict)  # item id -> months of its purchases and requisitions


def _prepare(context: ImportContext, existing_rows=()) -> State:
    state = State(context=context, today=today())
    state.items = {i.code: i for i in Item.objects.filter(agency=context.agency)}
    departments = Department.objects.filter(agency=context.agency)
    if context.departments is not None:  # a clerk: only their sections; another is "not yours"
        departments = departments.filter(pk__in=context.departments)
    state.departments = dict(departments.values_list("name", "pk"))
    state.stock = {i.pk: i.stock for i in state.items.values()}
    state.existing = Counter(existing_rows)
    return state


def _item(state: State, values: dict) -> Item:
    code = str(values["item"]).strip()
    item = state.items.get(code)
    if item is None:
        raise RowError({"item": _("No item %(code)s in this agency's catalogue.") % {"code": code}})
    return item


def _department(state: State, values: dict, *, required: bool = True) -> int | None:
    name = str(values.get("department") or "").strip()
    if not name and not required and state.context.departments is None:
        return None
    department_id = state.departments.get(name)
    if department_id is None:
        if state.context.departments is not None:
            raise RowError({"department": _("“%(name)s” is not one of your sections.") % {"name": name}})
        raise RowError({"department": _("No section called “%(name)s” in this agency.") % {"name": name}})
    return department_id


def _status(state: State, key: tuple) -> str:
    state.seen[key] += 1
    return "unchanged" if state.seen[key] <= state.existing[key] else "new"


def _validated(state: State, key: tuple, day) -> Validated:
    """A row's outcome; an unchanged row touches no month (a re-imported export of a published
    quarter is not refused for rows it does not change)."""
    status = _status(state, key)
    return Validated(record=key, status=status, months=(day.replace(day=1),) if status == "new" else ())


def _text(values: dict, key: str) -> str:
    return str(values.get(key) or "").strip()


# --- items --------------------------------------------------------------------------------------

ITEM_FIELDS = ("name", "category", "unit", "is_green", "is_disposable", "reorder_level", "note")


FIGURE_FIELDS = ("category", "is_green", "is_disposable")  # they move rows between breakdowns


def items_prepare(context: ImportContext) -> State:
    state = _prepare(context)
    state.months = item_months(item_ids=[i.pk for i in state.items.values()])
    return state


def items_validate(state: State, values: dict, row: int) -> Validated:
    code = _text(values, "code")
    if code in state.codes:
        raise RowError(
            {
                "code": _("Item %(code)s is already given in row %(row)d.")
                % {"code": code, "row": state.codes[code]}
            }
        )
    current = state.items.get(code)
    candidate = Item(
        pk=current.pk if current else None,
        agency=state.context.agency,
        code=code,
        name=_text(values, "name"),
        category=values["category"],
        unit=_text(values, "unit"),
        is_green=bool(values.get("is_green")),
        is_disposable=bool(values.get("is_disposable")),
        reorder_level=values.get("reorder_level") or Decimal(0),
        note=_text(values, "note"),
    )
    try:
        candidate.full_clean(
            exclude=["agency", "stock", "stock_value", "is_active"],
            validate_unique=False,
            validate_constraints=False,
        )
    except Exception as error:  # ValidationError: the model's rules, as in the form
        raise RowError(
            {k if k in values else ROW: " ".join(v) for k, v in error.message_dict.items()}
        ) from None
    state.codes[code] = row
    if current is None:
        return Validated(record=candidate, status="new")
    if all(getattr(current, f) == getattr(candidate, f) for f in ITEM_FIELDS):
        return Validated(record=candidate, status="unchanged")
    moved = any(getattr(current, f) != getattr(candidate, f) for f in FIGURE_FIELDS)
    return Validated(
        record=candidate, status="updated", months=tuple(state.months.get(current.pk, ())) if moved else ()
    )


def items_write(state: State, records: list) -> WriteSummary:
    new = [r for r in records if r.pk is None]
    changed = [r for r in records if r.pk is not None]
    bulk_create_with_history(new, Item, batch_size=500, default_user=state.context.user)
    for item in changed:
        item.save(update_fields=list(ITEM_FIELDS))
    return WriteSummary(created=len(new), updated=len(changed))


# --- purchases ----------------------------------------------------------------------------------


def _purchase_key(item_id, approved_on, approver, day, quantity, unit_price, amount, supplier, invoice, note):
    return (
        item_id,
        approved_on,
        approver,
        day,
        Decimal(quantity),
        Decimal(unit_price),
        Decimal(amount),
        supplier,
        invoice,
        note,
    )


def purchases_prepare(context: ImportContext) -> State:
    rows = Purchase.objects.filter(item__agency=context.agency).values_list(
        "item_id",
        "approved_on",
        "approver",
        "date",
        "quantity",
        "unit_price",
        "amount",
        "supplier",
        "invoice_number",
        "note",
    )
    return _prepare(context, (_purchase_key(*r) for r in rows))


def purchases_validate(state: State, values: dict, row: int) -> Validated:
    item = _item(state, values)
    errors = purchase_check(
        quantity=values["quantity"],
        unit_price=values["unit_price"],
        amount=values["amount"],
        approved_on=values["approved_on"],
        day=values["date"],
        today=state.today,
    )
    if errors:
        raise RowError(errors)
    key = _purchase_key(
        item.pk,
        values["approved_on"],
        _text(values, "approver"),
        values["date"],
        values["quantity"],
        values["unit_price"],
        values["amount"],
        _text(values, "supplier"),
        _text(values, "invoice_number"),
        _text(values, "note"),
    )
    validated = _validated(state, key, values["date"])
    if validated.status == "new":
        state.stock[item.pk] += values["quantity"]
    return validated


def purchases_write(state: State, records: list) -> WriteSummary:
    locked = {i.pk: i for i in writes.lock(Item.objects.filter(pk__in={r[0] for r in records}))}
    rows = []
    for item_id, approved_on, approver, day, quantity, unit_price, amount, supplier, invoice, note in records:
        rows.append(
            Purchase(
                item_id=item_id,
                approved_on=approved_on,
                approver=approver,
                date=day,
                quantity=quantity,
                unit_price=unit_price,
                amount=amount,
                supplier=supplier,
                invoice_number=invoice,
                note=note,
                source=RowSource.IMPORT,
                created_by=state.context.user,
            )
        )
        locked[item_id].stock += quantity
        locked[item_id].stock_value += amount
    bulk_create_with_history(rows, Purchase, batch_size=1000, default_user=state.context.user)
    Item.objects.bulk_update(locked.values(), ["stock", "stock_value"])
    return WriteSummary(created=len(rows))


# --- requisitions -------------------------------------------------------------------------------


def requisitions_prepare(context: ImportContext) -> State:
    rows = Requisition.objects.filter(item__agency=context.agency).values_list(
        "department_id", "item_id", "date", "quantity", "requested_by", "note"
    )
    return _prepare(context, ((d, i, day, Decimal(q), who, note) for d, i, day, q, who, note in rows))


def requisitions_validate(state: State, values: dict, row: int) -> Validated:
    department_id = _department(state, values)
    item = _item(state, values)
    requested_by = _text(values, "requested_by")
    key = (department_id, item.pk, values["date"], values["quantity"], requested_by, _text(values, "note"))
    if _status(state, key) == "unchanged":
        return Validated(record=key, status="unchanged")
    errors = requisition_check(
        quantity=values["quantity"],
        on_hand=state.stock[item.pk],
        unit=item.unit,
        day=values["date"],
        today=state.today,
    )
    if errors:
        state.seen[key] -= 1
        raise RowError(errors)
    state.stock[item.pk] -= values["quantity"]
    record = Requisition(
        department_id=department_id,
        item_id=item.pk,
        date=values["date"],
        quantity=values["quantity"],
        requested_by=requested_by,
        note=_text(values, "note"),
        issued_by=state.context.user,
        source=RowSource.IMPORT,
        created_by=state.context.user,
    )
    return Validated(record=record, status="new", months=(values["date"].replace(day=1),))


def requisitions_write(state: State, records: list) -> WriteSummary:
    locked = {i.pk: i for i in writes.lock(Item.objects.filter(pk__in={r.item_id for r in records}))}
    for requisition in records:
        item = locked[requisition.item_id]
        # Re-checked under the lock: someone may have issued from this item since the rows were checked.
        errors = requisition_check(
            quantity=requisition.quantity,
            on_hand=item.stock,
            unit=item.unit,
            day=requisition.date,
            today=state.today,
        )
        if errors:
            raise RowError(errors)
        requisition.amount = issue_cost(
            quantity=requisition.quantity, stock=item.stock, stock_value=item.stock_value
        )
        item.stock, item.stock_value = (
            item.stock - requisition.quantity,
            item.stock_value - requisition.amount,
        )
    bulk_create_with_history(records, Requisition, batch_size=1000, default_user=state.context.user)
    Item.objects.bulk_update(locked.values(), ["stock", "stock_value"])
    return WriteSummary(created=len(records))


# --- paper --------------------------------------------------------------------------------------


def paper_prepare(context: ImportContext) -> State:
    rows = PaperUse.objects.filter(department__agency=context.agency).values_list(
        "department_id", "date", "sheets", "duplex_sheets", "note"
    )
    return _prepare(context, rows)


def paper_validate(state: State, values: dict, row: int) -> Validated:
    department_id = _department(state, values)
    sheets, duplex = values["sheets"], values.get("duplex_sheets") or 0
    errors = paper_check(sheets=sheets, duplex_sheets=duplex, day=values["date"], today=state.today)
    if errors:
        raise RowError(errors)
    key = (department_id, values["date"], sheets, duplex, _text(values, "note"))
    return _validated(state, key, values["date"])


def paper_write(state: State, records: list) -> WriteSummary:
    rows = [
        PaperUse(
            department_id=d,
            date=day,
            sheets=s,
            duplex_sheets=x,
            note=n,
            source=RowSource.IMPORT,
            created_by=state.context.user,
        )
        for d, day, s, x, n in records
    ]
    bulk_create_with_history(rows, PaperUse, batch_size=1000, default_user=state.context.user)
    return WriteSummary(created=len(rows))


# --- running costs ------------------------------------------------------------------------------


def expenses_prepare(context: ImportContext) -> State:
    rows = Expense.objects.filter(agency=context.agency).values_list(
        "department_id", "date", "kind", "amount", "voucher_number", "note"
    )
    return _prepare(context, ((d, day, k, Decimal(a), v, n) for d, day, k, a, v, n in rows))


def expenses_validate(state: State, values: dict, row: int) -> Validated:
    department_id = _department(state, values, required=False)
    errors = expense_check(
        kind=values["kind"],
        has_department=department_id is not None,
        amount=values["amount"],
        day=values["date"],
        today=state.today,
    )
    if errors:
        raise RowError(errors)
    key = (
        department_id,
        values["date"],
        values["kind"],
        values["amount"],
        _text(values, "voucher_number"),
        _text(values, "note"),
    )
    validated = _validated(state, key, values["date"])
    department_id, day, kind, amount, voucher_number, note = key
    record = Expense(
        agency=state.context.agency, department_id=department_id, date=day, kind=kind, amount=amount,
        voucher_number=voucher_number, note=note, source=RowSource.IMPORT, created_by=state.context.user,
    )  # fmt: skip
    return Validated(record=record, status=validated.status, months=validated.months)


def expenses_write(state: State, records: list) -> WriteSummary:
    bulk_create_with_history(records, Expense, batch_size=1000, default_user=state.context.user)
    return WriteSummary(created=len(records))


# --- exports: the rows as the validators receive them (the pipeline writes the workbook) ----------


def _mine(queryset, context: ImportContext, field: str = "department"):
    return (
        queryset if context.departments is None else queryset.filter(**{f"{field}__in": context.departments})
    )


def items_export(context: ImportContext):
    for item in Item.objects.filter(agency=context.agency).order_by("code"):
        yield {"code": item.code, "name": item.name, "category": item.category, "unit": item.unit,
               "is_green": item.is_green, "is_disposable": item.is_disposable,
               "reorder_level": item.reorder_level, "note": item.note}  # fmt: skip


def purchases_export(context: ImportContext):
    keys = ("item", "approved_on", "approver", "date", "quantity", "unit_price", "amount", "supplier",
            "invoice_number", "note")  # fmt: skip
    rows = Purchase.objects.filter(item__agency=context.agency).order_by("date", "pk")
    fields = ("item__code", *keys[1:])
    for values in rows.values_list(*fields):
        yield dict(zip(keys, values, strict=True))


def requisitions_export(context: ImportContext):
    keys = ("department", "item", "date", "quantity", "requested_by", "note")
    rows = _mine(Requisition.objects.filter(item__agency=context.agency), context).order_by("date", "pk")
    for values in rows.values_list("department__name", "item__code", *keys[2:]):
        yield dict(zip(keys, values, strict=True))


def paper_export(context: ImportContext):
    keys = ("department", "date", "sheets", "duplex_sheets", "note")
    rows = _mine(PaperUse.objects.filter(department__agency=context.agency), context).order_by("date", "pk")
    for values in rows.values_list("department__name", *keys[1:]):
        yield dict(zip(keys, values, strict=True))


def expenses_export(context: ImportContext):
    keys = ("date", "department", "kind", "amount", "voucher_number", "note")
    rows = _mine(Expense.objects.filter(agency=context.agency), context).order_by("date", "pk")
    for values in rows.values_list("date", "department__name", *keys[2:]):
        yield {**dict(zip(keys, values, strict=True)), "department": values[1] or ""}


KINDS = (
    ImportKind(
        key="items",
        label=gettext_lazy("Consumables catalogue"),
        columns=ITEM_COLUMNS,
        prepare=items_prepare,
        export=items_export,
        validate=items_validate,
        write=items_write,
        template_rows=(
            {
                "code": "HC-001",
                "name": "A4再生复印纸",
                "category": "纸张",
                "unit": "包",
                "is_green": "是",
                "reorder_level": 30,
            },
            {
                "code": "HC-031",
                "name": "一次性纸杯",
                "category": "一次性杯具餐具",
                "unit": "个",
                "is_disposable": "是",
            },
        ),
        description=gettext_lazy("The office's catalogue: one row per item; an existing code is updated."),
        # a changed category, green or disposable flag moves the item's rows between breakdowns
        indicators=(*REQUISITION_KEYS, *PURCHASE_KEYS),
    ),
    ImportKind(
        key="purchases",
        label=gettext_lazy("Consumables purchases"),
        columns=PURCHASE_COLUMNS,
        prepare=purchases_prepare,
        export=purchases_export,
        depends_on=("items",),
        validate=purchases_validate,
        write=purchases_write,
        description=gettext_lazy(
            "Purchases after approval of the spending (经费审批): they add to the stock."
        ),
        indicators=PURCHASE_KEYS,
        references=lambda records: {Item: {r[0] for r in records}},
    ),
    ImportKind(
        key="requisitions",
        label=gettext_lazy("Consumables requisitions"),
        columns=REQUISITION_COLUMNS,
        prepare=requisitions_prepare,
        export=requisitions_export,
        roles=("manager", "clerk"),
        depends_on=("items",),
        validate=requisitions_validate,
        write=requisitions_write,
        description=gettext_lazy(
            "Issues on demand (按需领用) to the sections; never beyond the stock on hand."
        ),
        indicators=REQUISITION_KEYS,
    ),
    ImportKind(
        key="paper",
        label=gettext_lazy("Paper registration"),
        columns=PAPER_COLUMNS,
        prepare=paper_prepare,
        export=paper_export,
        roles=("manager", "clerk"),
        validate=paper_validate,
        write=paper_write,
        description=gettext_lazy(
            "Sheets of paper each section used (用纸登记), of which printed on both sides."
        ),
        indicators=PAPER_KEYS,
        references=lambda records: {Department: {r[0] for r in records}},
    ),
    ImportKind(
        key="expenses",
        label=gettext_lazy("Telephone, meeting and reception costs"),
        columns=EXPENSE_COLUMNS,
        prepare=expenses_prepare,
        export=expenses_export,
        roles=("manager", "clerk"),
        validate=expenses_validate,
        write=expenses_write,
        description=gettext_lazy("Running costs to publish: telephone per section, meeting and reception."),
        indicators=EXPENSE_KEYS,
    ),
)


def register() -> None:
    for kind in KINDS:
        register_import_kind(kind)
