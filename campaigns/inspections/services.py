"""Writes of inspections: spot checks (the energy manager's), their closing, and repair requests.

Every write takes the caller's scope and checks what it writes and points at (``scope.check``),
then the rules of ``rules.py``: a finding needs a deadline; what the readings prove is added to the findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Department, Role
from agencies.scoping import Scope
from ledger.uploads import upload_prepare

from .models import AcMode, CheckItem, RepairKind, RepairRequest, SpotCheck, SpotCheckFinding, SpotCheckPhoto
from .rules import closing_errors, findings_for, repair_errors, spot_check_errors

MAX_PHOTOS = 10


def day_ends() -> time:
    """When the working day ends (settings.OFFICE_DAY_ENDS, "17:30" by default)."""
    return time.fromisoformat(settings.OFFICE_DAY_ENDS)


def spot_check_save(
    *,
    scope: Scope,
    department: Department,
    date: date,
    time: time,
    inspector: str,
    ticked: Iterable[str] = (),
    ac_mode: str = AcMode.OFF,
    ac_setpoint: Decimal | None = None,
    rooms: str = "",
    notes: str = "",
    rectify_by: date | None = None,
    photos: Sequence = (),
    spot_check: SpotCheck | None = None,
) -> SpotCheck:
    """Record (or correct) a spot check with its findings; a finding needs a rectification deadline."""
    scope.require(Role.MANAGER)
    target = spot_check or SpotCheck(agency=scope.agency, created_by=scope.user)
    target.department = department
    scope.check(target)
    ticked = list(ticked)
    unknown = [t for t in ticked if t not in CheckItem.values]
    if unknown or ac_mode not in AcMode.values:
        raise ValidationError({"findings": _("Choose items of the checklist.")})
    findings = findings_for(ticked=ticked, mode=ac_mode, setpoint=ac_setpoint, at=time, day_ends=day_ends())
    errors = spot_check_errors(
        day=date,
        mode=ac_mode,
        setpoint=ac_setpoint,
        ticked=ticked,
        findings=findings,
        rectify_by=rectify_by,
        today=timezone.localdate(),
    )
    if not inspector.strip():
        errors["inspector"] = _("Name the inspector.")
    if spot_check is not None and spot_check.rectified_on and spot_check.rectified_on < date:
        errors["date"] = _("This check was rectified on %(day)s; it cannot have happened later.") % {
            "day": spot_check.rectified_on.isoformat()
        }
    if (
        len(photos) + (spot_check.photos.count() if spot_check is not None and spot_check.pk else 0)
        > MAX_PHOTOS
    ):
        errors["photos"] = _("A spot check keeps at most 10 photos.")
    if errors:
        raise ValidationError(errors)
    prepared = [upload_prepare(photo) for photo in photos]
    spot_check = target
    spot_check.department, spot_check.date, spot_check.time = department, date, time
    spot_check.inspector, spot_check.rooms, spot_check.notes = inspector.strip(), rooms, notes
    spot_check.ac_mode = ac_mode
    spot_check.ac_setpoint = ac_setpoint if ac_mode != AcMode.OFF else None
    spot_check.rectify_by = rectify_by if findings else None
    with transaction.atomic():
        spot_check.save()
        spot_check.findings.exclude(item__in=findings).delete()
        have = set(spot_check.findings.values_list("item", flat=True))
        SpotCheckFinding.objects.bulk_create(
            [SpotCheckFinding(spot_check=spot_check, item=item) for item in findings if item not in have]
        )
        if not findings:
            spot_check.rectified_on, spot_check.rectification = None, ""
            spot_check.save(update_fields=["rectified_on", "rectification"])
        for photo in prepared:
            SpotCheckPhoto.objects.create(spot_check=spot_check, file=photo)
    return spot_check


def spot_check_close(
    *, scope: Scope, spot_check: SpotCheck, rectified_on: date, rectification: str
) -> SpotCheck:
    """The section has put things right: the rectification is closed on ``rectified_on``."""
    scope.require(Role.MANAGER)
    scope.check(spot_check)
    if not spot_check.findings.exists():
        raise ValidationError(
            {"rectified_on": _("Nothing was found at this check; there is nothing to close.")}
        )
    errors = closing_errors(checked_on=spot_check.date, closed_on=rectified_on, today=timezone.localdate())
    if not rectification.strip():
        errors["rectification"] = _("Say how it was rectified.")
    if errors:
        raise ValidationError(errors)
    spot_check.rectified_on, spot_check.rectification = rectified_on, rectification.strip()
    spot_check.save(update_fields=["rectified_on", "rectification"])
    return spot_check


def repair_save(
    *,
    scope: Scope,
    kind: str,
    location: str,
    problem: str,
    reported_on: date,
    reported_to: str = "",
    department: Department | None = None,
    fixed_on: date | None = None,
    fix_note: str = "",
    photo=None,
    repair: RepairRequest | None = None,
) -> RepairRequest:
    """Record (or correct) a repair request; clerks record those of their own section."""
    if scope.department_ids is not None and department is None:
        raise ValidationError({"department": _("Choose your department.")})
    target = repair or RepairRequest(agency=scope.agency, created_by=scope.user)
    target.department = department
    scope.check(target)
    errors = repair_errors(reported_on=reported_on, fixed_on=fixed_on, today=timezone.localdate())
    if kind not in RepairKind.values:
        errors["kind"] = _("Choose what kind of problem it is.")
    if not location.strip():
        errors["location"] = _("Say where it is.")
    if not problem.strip():
        errors["problem"] = _("Describe the problem.")
    if errors:
        raise ValidationError(errors)
    photo = upload_prepare(photo)
    repair = target
    repair.kind, repair.location, repair.problem = kind, location.strip(), problem.strip()
    repair.reported_on, repair.reported_to, repair.department = reported_on, reported_to, department
    repair.fixed_on, repair.fix_note = fixed_on, fix_note
    if photo is not None:
        repair.photo = photo
    repair.save()
    return repair


def repair_fix(*, scope: Scope, repair: RepairRequest, fixed_on: date, fix_note: str = "") -> RepairRequest:
    """The property manager has fixed it."""
    scope.check(repair)
    errors = repair_errors(reported_on=repair.reported_on, fixed_on=fixed_on, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    repair.fixed_on, repair.fix_note = fixed_on, fix_note
    repair.save(update_fields=["fixed_on", "fix_note"])
    return repair
