"""Writes of the waste ledger: collection points, collections, the hazardous store and hand-overs.

Every write takes the caller's ``scope`` and first checks that what it writes and points at lies
in it (``scope.check``: agency; department for clerks), whatever the form did; then the rules
(``rules.collection_check``), the period locks, and after commit it refreshes the waste
indicators of the months it touched (``reporting.writes``). The author of a row is ``scope.user``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Department, Role
from agencies.scoping import Scope
from ledger.uploads import upload_prepare
from reporting import writes

from .categories import WasteCategory
from .indicators import WASTE_KEYS
from .models import CollectionPoint, HazardousKind, HazardousStorage, WasteCollection, WasteSource
from .rules import collection_check, date_check, handover_check, weight_check

COLLECTION_FIELDS = (
    "date",
    "category",
    "weight",
    "containers",
    "company",
    "point",
    "department",
    "licence_number",
    "manifest_number",
    "note",
)


def today() -> date:
    """Today in Asia/Shanghai (the project's TIME_ZONE)."""
    return timezone.localdate()


def _clerk_department(scope, department: Department | None) -> None:
    if scope.department_ids is not None and department is None:
        raise ValidationError({"department": _("Choose your department.")})


def _open(agency_id: int, days: Sequence[date]) -> list[date]:
    """The months these days fall in, refused early if a published quarter froze the waste figures."""
    months = sorted({d.replace(day=1) for d in days if d})
    writes.assert_open(agency_id=agency_id, months=months, indicators=WASTE_KEYS)
    return months


# --- collection points ----------------------------------------------------------------------------


def point_save(*, scope: Scope, point: CollectionPoint) -> CollectionPoint:
    """Create or change a collection point (the energy manager's)."""
    scope.require(Role.MANAGER)
    if point.pk is None:
        point.agency = scope.agency
    scope.check(point)
    unknown = [c for c in point.categories or [] if c not in WasteCategory.values]
    if unknown or not point.categories:
        raise ValidationError({"categories": _("Choose at least one of the four categories.")})
    point.categories = [c for c in WasteCategory.values if c in point.categories]
    point.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
    taken = CollectionPoint.objects.filter(agency=scope.agency, name=point.name).exclude(pk=point.pk)
    if taken.exists():
        raise ValidationError({"name": _("There is already a collection point of this name.")})
    point.save()
    return point


# --- collections (清运台账) -------------------------------------------------------------------------


def collection_record(
    *,
    scope: Scope,
    date: date,
    category: str,
    weight: Decimal,
    company: str,
    containers: int | None = None,
    point: CollectionPoint | None = None,
    department: Department | None = None,
    licence_number: str = "",
    manifest_number: str = "",
    note: str = "",
    photo=None,
    source: str = WasteSource.FORM,
    collection: WasteCollection | None = None,
) -> WasteCollection:
    """Record (or, given ``collection``, correct) one collection; raises ValidationError by field."""
    _clerk_department(scope, department)
    target = collection or WasteCollection(agency=scope.agency, created_by=scope.user, source=source)
    target.point, target.department = point, department
    scope.check(target)  # the row, as stored and as it will point (a point may be agency-wide)
    photo = upload_prepare(photo)
    licence_number, manifest_number = licence_number.strip(), manifest_number.strip()
    errors = collection_check(
        day=date,
        category=category,
        weight=weight,
        company=company,
        licence_number=licence_number,
        manifest_number=manifest_number,
        today=today(),
    )
    moving = collection is not None and collection.pk and collection.category != category
    if moving and collection.stored_lots.exists():
        errors["category"] = _("This hand-over carries lots from the hazardous store; it stays hazardous.")
    if point is not None and category not in (point.categories or []):
        errors["point"] = _("This collection point has no container for this category.")
    if manifest_number and not errors.get("manifest_number"):
        taken = WasteCollection.objects.filter(agency=scope.agency, manifest_number=manifest_number)
        if collection is not None:
            taken = taken.exclude(pk=collection.pk)
        if taken.exists():
            errors["manifest_number"] = _("This transfer-manifest number is already recorded.")
    if errors:
        raise ValidationError(errors)
    old = [collection.date] if collection is not None and collection.pk else []
    months = _open(scope.agency.pk, [date, *old])
    collection = target
    collection.date, collection.category, collection.weight = date, category, weight
    collection.company, collection.containers, collection.point = company.strip(), containers, point
    collection.department, collection.note = department, note
    # Only a hazardous hand-over keeps a licence and a manifest; other collections need neither.
    hazardous = category == WasteCategory.HAZARDOUS
    collection.licence_number = licence_number if hazardous else ""
    collection.manifest_number = manifest_number if hazardous else ""
    if photo is not None:
        collection.photo = photo
    try:
        with transaction.atomic():
            collection.save()
            writes.mark_stale(agency_id=scope.agency.pk, months=months, indicators=WASTE_KEYS)
    except IntegrityError:
        raise ValidationError(
            {"manifest_number": _("This transfer-manifest number is already recorded.")}
        ) from None
    return collection


def collection_delete(*, scope: Scope, collection: WasteCollection) -> None:
    """Remove a record entered by mistake (its history stays); its lots go back into the store."""
    scope.check(collection)
    months = _open(scope.agency.pk, [collection.date])
    with transaction.atomic():
        collection.stored_lots.update(handover=None)
        collection.delete()
        writes.mark_stale(agency_id=scope.agency.pk, months=months, indicators=WASTE_KEYS)


# --- the hazardous store (有害垃圾暂存) and hand-overs ------------------------------------------------


def storage_record(
    *,
    scope: Scope,
    stored_on: date,
    kind: str,
    weight: Decimal,
    pieces: int | None = None,
    place: str = "",
    department: Department | None = None,
    note: str = "",
    lot: HazardousStorage | None = None,
) -> HazardousStorage:
    """Put a lot of hazardous waste in the store (or correct one still in it)."""
    _clerk_department(scope, department)
    target = lot or HazardousStorage(agency=scope.agency, created_by=scope.user)
    target.department = department
    scope.check(target)
    errors = date_check(stored_on, today=today(), field="stored_on") | weight_check(weight)
    if kind not in HazardousKind.values:
        errors["kind"] = _("Choose what kind of hazardous waste this is.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if lot is not None and lot.pk:
            # The row as it is now, locked against a hand-over that runs meanwhile: the form's
            # copy may predate one (its save would write the hand-over away).
            current = HazardousStorage.objects.select_for_update().get(pk=lot.pk, agency=scope.agency)
            if current.handover_id:
                raise ValidationError(
                    {"__all__": _("This lot has been handed over; correct the hand-over instead.")}
                )
            target.handover_id = None
        lot = target
        lot.stored_on, lot.kind, lot.weight, lot.pieces = stored_on, kind, weight, pieces
        lot.place, lot.department, lot.note = place, department, note
        lot.save()
    return lot


def hazardous_handover(
    *,
    scope: Scope,
    date: date,
    lots: Sequence[HazardousStorage],
    company: str,
    licence_number: str,
    manifest_number: str,
    weight: Decimal | None = None,
    containers: int | None = None,
    department: Department | None = None,
    note: str = "",
    photo=None,
) -> WasteCollection:
    """Hand lots of the store to a licensed disposer: one hazardous collection, the lots marked.

    The weight is the lots' total unless the disposer's scale gave another figure.
    """
    scope.check(department, *lots)
    if not lots and weight is None:
        raise ValidationError({"lots": _("Choose the lots handed over, or give the weight.")})
    gone = [lot for lot in lots if lot.handover_id]
    if gone:
        raise ValidationError({"lots": _("Some of these lots have already been handed over.")})
    errors = handover_check(handover_day=date, stored_days=[lot.stored_on for lot in lots])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if weight is None:  # the lots as they are now, locked against a correction meanwhile
            locked = HazardousStorage.objects.select_for_update().filter(
                pk__in=[lot.pk for lot in lots], agency=scope.agency
            )
            weight = sum((lot.weight for lot in locked), Decimal(0))
        collection = collection_record(
            scope=scope,
            date=date,
            category=WasteCategory.HAZARDOUS,
            weight=weight,
            company=company,
            containers=containers,
            department=department,
            licence_number=licence_number,
            manifest_number=manifest_number,
            note=note,
            photo=photo,
        )
        taken = HazardousStorage.objects.filter(
            pk__in=[lot.pk for lot in lots], agency=scope.agency, handover__isnull=True
        ).update(handover=collection)
        if taken != len(lots):
            raise ValidationError(
                {"lots": _("Someone else handed over some of these lots at the same time.")}
            )
    return collection
