"""Writes of the ledger: meters, readings, the monthly round and bills — the rules live here.

Every write takes the caller's ``scope`` and first checks that what it writes and points at lies
in it (``scope.check``, docs/architecture.md "Writes check scope"), then names the indicators its
rows feed (``indicators.keys_of_kind``): it asks ``reporting.writes`` whether they are open in the
months it touches, and marks them stale in its own transaction (refreshed after the commit).
Readings are validated by ``rules.reading_check`` (shared with the Excel import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.scoping import Scope
from reporting import writes

from .indicators import COST_KEY, keys_of_kind
from .models import Bill, Meter, Reading, ReadingEvent, ReadingKind, ReadingSource
from .rules import HISTORY, Check, MeterFacts, reading_check, usual_daily
from .uploads import upload_prepare
from .usage import DAY, Point, months_between, order_key

FIGURE_FIELDS = ("kind", "department_id", "item", "parent_id", "multiplier", "share", "dial_digits")
METER_FIELDS = (
    "code",
    "name",
    "kind",
    "location",
    "department",
    "item",
    "parent",
    "multiplier",
    "share",
    "dial_digits",
    "installed_on",
    "retired_on",
    "note",
)
DUPLICATE_MESSAGE = "There is already a reading of this meter on this date."


def today() -> date:
    """Today in Asia/Shanghai (the project's TIME_ZONE)."""
    return timezone.localdate()


def meter_facts(meter: Meter) -> MeterFacts:
    return MeterFacts(
        dial_digits=meter.dial_digits,
        multiplier=meter.multiplier,
        share=meter.share,
        installed_on=meter.installed_on,
        retired_on=meter.retired_on,
        unit=meter.unit,
    )


# --- meters -------------------------------------------------------------------------------------


def _meter_months(meter: Meter) -> list[date]:
    dates = list(meter.readings.order_by("date").values_list("date", flat=True))
    bills = list(meter.bills.values_list("period_start", "period_end"))
    bounds = [d for d in (dates[:1] + dates[-1:]) if d] + [d for pair in bills for d in pair]
    return months_between(min(bounds), max(bounds)) if bounds else []


def meter_save(*, scope: Scope, meter: Meter) -> Meter:
    scope.require(Role.MANAGER)
    scope.check(meter)
    meter.full_clean(validate_constraints=False)
    taken = Meter.objects.filter(agency_id=meter.agency_id, code=meter.code).exclude(pk=meter.pk)
    if taken.exists():
        raise ValidationError({"code": _("This code is already used by another meter of the agency.")})
    months: list[date] = []
    keys: tuple[str, ...] = ()
    if meter.pk:
        old = Meter.objects.get(pk=meter.pk)
        if any(getattr(old, f) != getattr(meter, f) for f in FIGURE_FIELDS):
            months = _meter_months(meter)
            keys = (*keys_of_kind(old.kind), *keys_of_kind(meter.kind), COST_KEY)
            writes.assert_open(agency_id=meter.agency_id, months=months, indicators=keys)
    try:
        with transaction.atomic():
            meter.save()
            if months:
                writes.mark_stale(agency_id=meter.agency_id, months=months, indicators=keys)
    except IntegrityError:
        raise ValidationError(
            {"code": _("This code is already used by another meter of the agency.")}
        ) from None
    return meter


def meter_create(*, scope: Scope, **fields) -> Meter:
    meter = Meter(agency=scope.agency, **{k: v for k, v in fields.items() if k in METER_FIELDS})
    return meter_save(scope=scope, meter=meter)


def meter_update(*, scope: Scope, meter: Meter, **fields) -> Meter:
    for key, value in fields.items():
        if key in METER_FIELDS:
            setattr(meter, key, value)
    return meter_save(scope=scope, meter=meter)


# --- readings -----------------------------------------------------------------------------------


def _point(reading: Reading) -> Point:
    return Point(reading.date, reading.value, reading.event)


def neighbours(meter: Meter, day: date, event: str, *, exclude_pk=None) -> tuple[list[Point], Point | None]:
    """The meter's readings before (up to HISTORY + 1, oldest first) and the first one after."""
    qs = meter.readings.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    key = order_key(day, event)
    around = list(qs.filter(date__gte=day).order_by("date")[:3]) + list(
        qs.filter(date__lt=day).order_by("-date")[: HISTORY + 1]
    )
    points = sorted((_point(r) for r in around), key=lambda p: p.key)
    before = [p for p in points if p.key < key]
    after = [p for p in points if p.key > key]
    return before, (after[0] if after else None)


def touched_months(previous: Point | None, day: date, following: Point | None) -> list[date]:
    """The months whose usage a reading on ``day`` changes: from after the previous to the next."""
    first = previous.date + DAY if previous else day
    last = following.date if following else day
    return months_between(min(first, day), max(last, day))


def reading_check_for(
    *, meter: Meter, day: date, value: Decimal, event: str, confirm_abnormal: bool, exclude_pk=None
) -> tuple[Check, list[date]]:
    before, following = neighbours(meter, day, event, exclude_pk=exclude_pk)
    previous = before[-1] if before else None
    check = reading_check(
        day=day,
        value=value,
        event=event,
        facts=meter_facts(meter),
        previous=previous,
        following=following,
        today=today(),
        usual=usual_daily(before, meter.dial_digits),
        confirm_abnormal=confirm_abnormal,
    )
    if not check.errors and event != ReadingEvent.REPLACEMENT_INITIAL:
        clash = meter.readings.filter(date=day).exclude(event=ReadingEvent.REPLACEMENT_INITIAL)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            check.errors["date"] = _(DUPLICATE_MESSAGE)
    return check, touched_months(previous, day, following)


def reading_record(
    *,
    scope: Scope,
    meter: Meter,
    date: date,
    value: Decimal,
    event: str = ReadingEvent.NORMAL,
    estimated: bool = False,
    confirm_abnormal: bool = False,
    note: str = "",
    voucher=None,
    source: str = ReadingSource.FORM,
    reading: Reading | None = None,
) -> Reading:
    """Record (or, given ``reading``, correct) a reading; raises ValidationError by field."""
    scope.check(meter, reading)
    by = scope.user
    voucher = upload_prepare(voucher)
    try:
        # The meter's row is locked while its readings are checked and this one written: a
        # second writer of the same meter waits, then checks against this reading (#10.5).
        with writes.serialised(Meter.objects.filter(pk=meter.pk)):
            return _reading_write(
                meter=meter,
                day=date,
                value=value,
                event=event,
                estimated=estimated,
                confirm_abnormal=confirm_abnormal,
                note=note,
                voucher=voucher,
                reading=reading or Reading(meter=meter, created_by=by, source=source),
                by=by,
            )
    except IntegrityError:
        raise ValidationError({"date": _(DUPLICATE_MESSAGE)}) from None


def _reading_write(
    *, meter, day, value, event, estimated, confirm_abnormal, note, voucher, reading: Reading, by
) -> Reading:
    """Inside the meter's lock: check against the readings as they are now, then save."""
    old_months: list[date] = []
    if reading.pk:
        before, following = neighbours(meter, reading.date, reading.event, exclude_pk=reading.pk)
        old_months = touched_months(before[-1] if before else None, reading.date, following)
    check, months = reading_check_for(
        meter=meter,
        day=day,
        value=value,
        event=event,
        confirm_abnormal=confirm_abnormal,
        exclude_pk=reading.pk,
    )
    if check.errors:
        raise ValidationError(check.errors)
    months = sorted(set(months) | set(old_months))
    keys = keys_of_kind(meter.kind)
    writes.assert_open(agency_id=meter.agency_id, months=months, indicators=keys)
    reading.date, reading.value, reading.event = day, value, event
    reading.kind = ReadingKind.ESTIMATED if estimated else ReadingKind.ACTUAL
    reading.note = note
    if voucher is not None:
        reading.voucher = voucher
    if check.abnormal:
        reading.is_abnormal, reading.confirmed_by = True, by
        reading.reviewed_by = reading.reviewed_at = None
    elif reading.pk and reading.is_abnormal and not reading.reviewed_at:
        reading.is_abnormal, reading.confirmed_by = False, None
    reading.save()
    writes.mark_stale(agency_id=meter.agency_id, months=months, indicators=keys)
    return reading


def reading_review(*, scope: Scope, reading: Reading) -> Reading:
    """The manager has looked at an abnormal reading: it leaves the alert list."""
    scope.require(Role.MANAGER)
    scope.check(reading)
    reading.reviewed_by, reading.reviewed_at = scope.user, timezone.now()
    reading.save(update_fields=["reviewed_by", "reviewed_at"])
    return reading


# --- the monthly round (抄表) -------------------------------------------------------------------


@dataclass(frozen=True)
class RoundEntry:
    meter_id: int
    date: date
    value: Decimal
    event: str = ReadingEvent.NORMAL
    estimated: bool = False
    confirm_abnormal: bool = False
    note: str = ""
    voucher: Any = None  # the photo of the dial (an uploaded image), kept as the reading's voucher


class RoundInvalid(ValidationError):
    """Some rows of a round are invalid; ``row_errors`` maps meter id → {field: message}."""

    def __init__(self, row_errors: dict[int, dict[str, str]], message: str = "", usages=None):
        self.row_errors = row_errors
        self.usages: dict[int, Decimal] = usages or {}  # the valid rows' usage, to show beside them
        super().__init__(message or _("Nothing was saved: correct the rows marked in red."))


def round_load(meter_ids) -> dict[int, list[Point]]:
    """Every reading of these meters, per meter, in reading order (one query; a round is tens of meters)."""
    history: dict[int, list[Point]] = {m: [] for m in meter_ids}
    rows = Reading.objects.filter(meter_id__in=list(meter_ids)).values_list(
        "meter_id", "date", "value", "event"
    )
    for meter_id, day, value, event in rows:
        history[meter_id].append(Point(day, value, event))
    for points in history.values():
        points.sort(key=lambda p: p.key)
    return history


def round_check(
    *, meter: Meter, entry: RoundEntry, history: list[Point], now: date
) -> tuple[Check, list[date]]:
    key = order_key(entry.date, entry.event)
    before = [p for p in history if p.key < key]
    after = [p for p in history if p.key > key]
    previous, following = (before[-1] if before else None), (after[0] if after else None)
    check = reading_check(
        day=entry.date,
        value=entry.value,
        event=entry.event,
        facts=meter_facts(meter),
        previous=previous,
        following=following,
        today=now,
        usual=usual_daily(before[-HISTORY - 1 :], meter.dial_digits),
        confirm_abnormal=entry.confirm_abnormal,
    )
    if any(p.key == key for p in history) and "date" not in check.errors:
        check.errors["date"] = _(DUPLICATE_MESSAGE)
    return check, touched_months(previous, entry.date, following)


def round_save(*, scope: Scope, entries: list[RoundEntry]) -> list[Reading]:
    """Save a round: every row valid → all written in one transaction; any invalid → none."""
    if not scope.can_write:
        raise ValidationError(_("Your role may not record readings."))
    meters = {
        m.pk: m
        for m in scope.filter(Meter.objects, department_field="department").filter(
            pk__in=[e.meter_id for e in entries]
        )
    }
    row_errors: dict[int, dict[str, str]] = {}
    for entry in entries:
        if entry.meter_id not in meters:
            row_errors[entry.meter_id] = {"__row__": _("This meter is not one of yours.")}
    if not entries or row_errors:
        raise RoundInvalid(row_errors, "" if entries else _("Type at least one reading."))
    scope.check(*meters.values())
    try:
        # The round's meters are locked while their readings are checked and the round written:
        # two rounds of one meter at the same moment queue, and the second is checked against
        # the first (#10.5).
        with writes.serialised(Meter.objects.filter(pk__in=meters)):
            return _round_write(scope=scope, meters=meters, entries=entries)
    except IntegrityError:
        raise RoundInvalid(
            {}, _("Someone else saved readings for these meters at the same time; nothing was saved. Reload.")
        ) from None


def _round_write(*, scope: Scope, meters: dict[int, Meter], entries: list[RoundEntry]) -> list[Reading]:
    """Inside the meters' locks: check every row against the readings as they are now, then write."""
    by = scope.user
    row_errors: dict[int, dict[str, str]] = {}
    history = round_load(meters)
    now, months, checks = today(), set(), {}
    for entry in entries:
        check, touched = round_check(
            meter=meters[entry.meter_id], entry=entry, history=history[entry.meter_id], now=now
        )
        checks[entry.meter_id] = check
        months.update(touched)
        try:
            upload_prepare(entry.voucher)
        except ValidationError as error:
            check.errors.setdefault("voucher", error.messages[0])
        if check.errors:
            row_errors[entry.meter_id] = check.errors
    if row_errors:
        usages = {pk: c.usage for pk, c in checks.items() if not c.errors and c.usage is not None}
        raise RoundInvalid(row_errors, usages=usages)
    keys = sorted({key for meter in meters.values() for key in keys_of_kind(meter.kind)})
    writes.assert_open(agency_id=scope.agency.pk, months=months, indicators=keys)
    readings = []
    for entry in entries:
        check = checks[entry.meter_id]
        readings.append(
            Reading.objects.create(
                meter=meters[entry.meter_id],
                date=entry.date,
                value=entry.value,
                event=entry.event,
                kind=ReadingKind.ESTIMATED if entry.estimated else ReadingKind.ACTUAL,
                note=entry.note,
                is_abnormal=check.abnormal,
                confirmed_by=by if check.abnormal else None,
                source=ReadingSource.ROUND,
                created_by=by,
                voucher=entry.voucher or "",
            )
        )
    writes.mark_stale(agency_id=scope.agency.pk, months=months, indicators=keys)
    return readings


# --- bills --------------------------------------------------------------------------------------


def bill_check(*, period_start: date, period_end: date, quantity: Decimal, amount: Decimal, now=None) -> dict:
    """The rules of one bill, as ``{field: message}`` (the form and the Excel import share them)."""
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_end > (now or today()):
        errors["period_end"] = _("The period cannot end in the future.")
    if quantity < 0:
        errors["quantity"] = _("The quantity cannot be negative.")
    if amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    return errors


def bill_record(
    *,
    scope: Scope,
    meter: Meter,
    period_start: date,
    period_end: date,
    quantity: Decimal,
    amount: Decimal,
    invoice_number: str = "",
    note: str = "",
    voucher=None,
    bill: Bill | None = None,
) -> Bill:
    scope.check(meter, bill)
    voucher = upload_prepare(voucher)
    errors = bill_check(period_start=period_start, period_end=period_end, quantity=quantity, amount=amount)
    if errors:
        raise ValidationError(errors)
    months = months_between(period_start, period_end)
    if bill is not None and bill.pk:
        months = sorted(set(months) | set(months_between(bill.period_start, bill.period_end)))
    keys = (*keys_of_kind(meter.kind), COST_KEY)
    writes.assert_open(agency_id=meter.agency_id, months=months, indicators=keys)
    bill = bill or Bill(created_by=scope.user)
    bill.meter, bill.period_start, bill.period_end = meter, period_start, period_end
    bill.quantity, bill.amount, bill.invoice_number, bill.note = quantity, amount, invoice_number, note
    if voucher is not None:
        bill.voucher = voucher
    with transaction.atomic():
        bill.save()
        writes.mark_stale(agency_id=meter.agency_id, months=months, indicators=keys)
    return bill


def round_preview(*, meter: Meter, day: date, value: Decimal, event: str, confirm_abnormal: bool) -> Check:
    """What saving this one row would find (read-only; the round page calls it as the clerk types)."""
    history = round_load([meter.pk])[meter.pk]
    entry = RoundEntry(meter.pk, day, value, event, confirm_abnormal=confirm_abnormal)
    return round_check(meter=meter, entry=entry, history=history, now=today())[0]
