"""The ``waste`` import kind (垃圾分类清运台账): one row per collection, Chinese headers as offices
write them, the same rules as the form (``rules.collection_check``).

A row identical to a record already in the ledger is that record (unchanged), so the kind's export
imports back as "0 new, N unchanged"; any other row is a new collection. A clerk imports the
records of their own sections only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.models import Department, Role
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

from .categories import WasteCategory
from .indicators import WASTE_KEYS
from .models import CollectionPoint, WasteCollection, WasteSource
from .rules import collection_check
from .services import today


def spellings(choices) -> dict[str, str]:
    """A TextChoices' stored values and its labels in Chinese and English (any case) → the value,
    so that a file headed and filled in either language, or the kind's own export, reads back."""
    found = {}
    for value, label in choices:
        found[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                found[str(label).lower()] = value
    return found


CATEGORY_CHOICES = {
    **spellings(WasteCategory.choices),
    "有害": "hazardous",
    "可回收垃圾": "recyclable",
    "可回收": "recyclable",
    "厨余": "kitchen",
    "餐厨垃圾": "kitchen",
    "湿垃圾": "kitchen",
    "其它垃圾": "other",
    "干垃圾": "other",
    "不可回收垃圾": "other",
}

COLUMNS = (
    Column(
        "date",
        pgettext_lazy("waste import column", "Collection date"),
        ("清运日期", "日期", "date"),
        "date",
        words=("日期", "时间"),
    ),
    Column(
        "category",
        pgettext_lazy("waste import column", "Category"),
        ("垃圾类别", "类别", "分类", "category"),
        "choice",
        choices=CATEGORY_CHOICES,
        words=("类别", "分类", "种类"),
    ),
    Column(
        "weight",
        pgettext_lazy("waste import column", "Weight (kg)"),
        ("重量", "清运量", "重量(千克)", "weight"),
        "decimal",
        words=("重量", "清运量", "千克", "公斤"),
        not_words=("桶", "袋"),
    ),
    Column(
        "containers",
        pgettext_lazy("waste import column", "Containers"),
        ("桶数", "袋数", "容器数", "containers"),
        "int",
        required=False,
        words=("桶", "袋", "容器"),
    ),
    Column(
        "company",
        pgettext_lazy("waste import column", "Collecting company"),
        ("清运单位", "处置单位", "收运单位", "company"),
        words=("清运单位", "处置单位", "收运单位", "回收单位", "公司"),
        not_words=("许可", "联单"),
        max_length=120,
    ),
    Column(
        "point",
        pgettext_lazy("waste import column", "Collection point"),
        ("收集点", "投放点", "point"),
        required=False,
        words=("收集点", "投放点"),
        max_length=80,
    ),
    Column(
        "department",
        pgettext_lazy("waste import column", "Department"),
        ("科室", "部门", "department"),
        required=False,
        words=("科室", "部门"),
        max_length=100,
    ),
    Column(
        "licence_number",
        pgettext_lazy("waste import column", "Disposer's licence number"),
        ("许可证编号", "经营许可证编号", "危险废物经营许可证编号", "licence"),
        required=False,
        words=("许可证",),
        max_length=60,
    ),
    Column(
        "manifest_number",
        pgettext_lazy("waste import column", "Transfer-manifest number"),
        ("联单编号", "转移联单编号", "危险废物转移联单编号", "manifest"),
        required=False,
        words=("联单",),
        max_length=60,
    ),
    Column(
        "note",
        pgettext_lazy("waste import column", "Note"),
        ("备注", "note"),
        required=False,
        words=("备注", "说明"),
        max_length=200,
    ),
)
SIGNATURE = (
    "date",
    "category",
    "weight",
    "containers",
    "company",
    "point_id",
    "department_id",
    "licence_number",
    "manifest_number",
    "note",
)


def _signature(row) -> tuple:
    return tuple(getattr(row, name) for name in SIGNATURE)


@dataclass
class WasteState:
    agency: object
    user: object
    today: date
    departments: dict  # name -> id, a clerk's only
    clerk: bool
    points: dict  # name -> CollectionPoint
    existing: dict  # signature -> [WasteCollection, …] not yet matched by a row
    manifests: set  # manifest numbers already recorded
    seen_manifests: dict = field(default_factory=dict)  # manifest -> row


def _departments(context: ImportContext) -> dict:
    departments = Department.objects.filter(agency=context.agency)
    if context.departments is not None:
        departments = departments.filter(pk__in=context.departments)
    return dict(departments.values_list("name", "pk"))


def _collections(context: ImportContext):
    rows = WasteCollection.objects.filter(agency=context.agency)
    if context.departments is not None:
        rows = rows.filter(department_id__in=context.departments)
    return rows


def waste_prepare(context: ImportContext) -> WasteState:
    existing: dict = defaultdict(list)
    for row in _collections(context).order_by("pk"):
        existing[_signature(row)].append(row)
    manifests = set(
        WasteCollection.objects.filter(agency=context.agency)
        .exclude(manifest_number="")
        .values_list("manifest_number", flat=True)
    )
    return WasteState(
        agency=context.agency,
        user=context.user,
        today=today(),
        departments=_departments(context),
        clerk=context.departments is not None,
        points={p.name: p for p in CollectionPoint.objects.filter(agency=context.agency)},
        existing=existing,
        manifests=manifests,
    )


def waste_validate(state: WasteState, values: dict, row: int) -> Validated:
    category = values["category"]
    hazardous = category == WasteCategory.HAZARDOUS
    licence = (values.get("licence_number") or "").strip() if hazardous else ""
    manifest = (values.get("manifest_number") or "").strip() if hazardous else ""
    errors = collection_check(
        day=values["date"],
        category=category,
        weight=values["weight"],
        company=values.get("company") or "",
        licence_number=licence,
        manifest_number=manifest,
        today=state.today,
    )
    department_id = None
    name = (values.get("department") or "").strip()
    if name:
        department_id = state.departments.get(name)
        if department_id is None:
            errors["department"] = (
                _("“%(name)s” is not one of your departments.")
                if state.clerk
                else _("No department called “%(name)s” in this agency.")
            ) % {"name": name}
    elif state.clerk:
        errors["department"] = _("Give your department.")
    point = None
    point_name = (values.get("point") or "").strip()
    if point_name:
        point = state.points.get(point_name)
        if point is None:
            errors["point"] = _("No collection point called “%(name)s”.") % {"name": point_name}
        elif category not in (point.categories or []):
            errors["point"] = _("This collection point has no container for this category.")
    containers = values.get("containers")
    if containers is not None and not (0 <= containers <= 100_000):
        errors["containers"] = _("Containers are a number from 0 to 100,000.")
    if errors:
        raise RowError(errors)
    candidate = WasteCollection(
        agency=state.agency,
        department_id=department_id,
        date=values["date"],
        category=category,
        weight=Decimal(values["weight"]).quantize(Decimal("0.01")),
        containers=containers,
        company=values["company"].strip(),
        point=point,
        licence_number=licence,
        manifest_number=manifest,
        note=values.get("note") or "",
        source=WasteSource.IMPORT,
        created_by=state.user,
    )
    candidate.point_id = point.pk if point else None
    months = (values["date"].replace(day=1),)
    same = state.existing.get(_signature(candidate))
    if same:
        return Validated(record=same.pop(), status="unchanged", months=months)
    if manifest:
        if manifest in state.manifests:
            raise RowError({"manifest_number": _("This transfer-manifest number is already recorded.")})
        if manifest in state.seen_manifests:
            raise RowError(
                {
                    ROW: _("Transfer manifest %(number)s is already in row %(row)d.")
                    % {"number": manifest, "row": state.seen_manifests[manifest]}
                }
            )
        state.seen_manifests[manifest] = row
    return Validated(record=candidate, status="new", months=months)


def waste_write(state: WasteState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(records, WasteCollection, batch_size=1000)
    return WriteSummary(created=len(records))


def waste_export(context: ImportContext):
    rows = _collections(context).select_related("point", "department").order_by("date", "category", "pk")
    for row in rows.iterator(chunk_size=2000):
        yield {
            "date": row.date,
            "category": row.category,
            "weight": row.weight,
            "containers": row.containers,
            "company": row.company,
            "point": row.point.name if row.point else "",
            "department": row.department.name if row.department else "",
            "licence_number": row.licence_number,
            "manifest_number": row.manifest_number,
            "note": row.note,
        }


WASTE_KIND = ImportKind(
    key="waste",
    label=gettext_lazy("Waste collections"),
    description=gettext_lazy(
        "The waste-sorting collection ledger: date, category, weight in kg, collecting company; "
        "hazardous waste with the disposer's licence number and the transfer-manifest number."
    ),
    columns=COLUMNS,
    prepare=waste_prepare,
    validate=waste_validate,
    write=waste_write,
    export=waste_export,
    roles=(Role.MANAGER, Role.CLERK),
    indicators=WASTE_KEYS,
    template_rows=(
        {
            "date": date(2020, 3, 2),
            "category": "其他垃圾",
            "weight": Decimal("75.5"),
            "containers": 2,
            "company": "临沂市城市环卫清运有限公司",
        },
        {
            "date": date(2020, 3, 25),
            "category": "可回收物",
            "weight": Decimal("86.0"),
            "company": "临沂市再生资源回收有限公司",
        },
        {
            "date": date(2020, 3, 20),
            "category": "有害垃圾",
            "weight": Decimal("3.2"),
            "company": "山东鲁南危险废物处置有限公司",
            "licence_number": "鲁危证37130021",
            "manifest_number": "37132020030001",
        },
    ),
)


def register() -> None:
    register_import_kind(WASTE_KIND)
