"""Reads of the ledger that are more than a one-line filter: usage of many meters in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from .models import Bill, Meter, Reading
from .usage import DAY, REPLACEMENT_INITIAL, add_into, bill_spread, month_end, sequence_usage


@dataclass
class MeterUsage:
    """A meter's monthly figures; the cost's (``cost_by_meter``) carry no parent, item or kind."""

    meter_id: int
    agency_id: int
    department_id: int | None
    monthly: dict[date, Decimal]
    parent_id: int | None = None
    item: str = ""
    kind: str = ""


def usage_of_meters(
    *,
    agency_ids: Sequence[int],
    months: Sequence[date],
    meter_ids=None,
    kinds: Sequence[str] | None = None,
) -> list[MeterUsage]:
    """Monthly usage of every meter of these agencies (or of ``meter_ids``; of ``kinds`` if given), for
    ``months``.

    3 queries whatever the number of agencies, kinds and months: the meters come with the dates
    of their last reading before the window and their first after it (an index lookup per
    meter); one query then loads, in reading order, the readings inside the window and on those
    dates (both rows of a replacement pair, whose step is 0); one the bills. A meter with
    readings is measured by them; a meter without any reading by its bills.
    """
    if not months or (not agency_ids and meter_ids is None):
        return []
    start, end = min(months) - DAY, month_end(max(months))
    meter_q = Q(agency_id__in=list(agency_ids)) if meter_ids is None else Q(pk__in=list(meter_ids))
    if kinds is not None:
        meter_q &= Q(kind__in=list(kinds))
    of_meter = Reading.objects.filter(meter=OuterRef("pk"))
    meters = list(
        Meter.objects.filter(meter_q)
        .annotate(
            has_readings=Exists(of_meter),
            before=Subquery(of_meter.filter(date__lt=start).order_by("-date").values("date")[:1]),
            after=Subquery(of_meter.filter(date__gt=end).order_by("date").values("date")[:1]),
        )
        .values(*METER_VALUES, "has_readings", "before", "after")
    )
    neighbours = {(m["id"], m[side]) for m in meters for side in ("before", "after") if m[side]}
    window = Q(date__gte=start, date__lte=end)
    if neighbours:
        window |= Q(date__in={day for _meter, day in neighbours})
    sequences: dict[int, list[tuple[date, Decimal, str]]] = {}
    initial_last = ExpressionWrapper(Q(event=REPLACEMENT_INITIAL), output_field=BooleanField())
    rows = (
        Reading.objects.filter(window, meter_id__in=[m["id"] for m in meters if m["has_readings"]])
        .order_by("meter_id", "date", initial_last.asc())  # reading order (usage.order_key)
        .values_list("meter_id", "date", "value", "event")
    )
    current_id, current = None, None
    for meter_id, day, value, event in rows:
        if start <= day <= end or (meter_id, day) in neighbours:
            if meter_id != current_id:
                current_id, current = meter_id, sequences.setdefault(meter_id, [])
            current.append((day, value, event))
    billed: dict[int, dict[date, Decimal]] = {}
    bills = Bill.objects.filter(
        meter_id__in=[m["id"] for m in meters if not m["has_readings"]],
        period_start__lte=end,
        period_end__gt=start,
    )
    for meter_id, first, last, quantity in bills.values_list(
        "meter_id", "period_start", "period_end", "quantity"
    ):
        add_into(billed.setdefault(meter_id, {}), bill_spread(first, last, quantity))
    wanted = set(months)
    result = []
    for m in meters:
        if m["has_readings"]:
            monthly = sequence_usage(
                sequences.get(m["id"], []), m["dial_digits"], m["multiplier"] * m["share"]
            )
        else:
            monthly = billed.get(m["id"], {})
        result.append(
            MeterUsage(
                meter_id=m["id"],
                agency_id=m["agency_id"],
                department_id=m["department_id"],
                parent_id=m["parent_id"],
                item=m["item"],
                monthly={k: v for k, v in monthly.items() if k in wanted},
                kind=m["kind"],
            )
        )
    return result


METER_VALUES = (
    "id",
    "agency_id",
    "department_id",
    "parent_id",
    "item",
    "kind",
    "dial_digits",
    "multiplier",
    "share",
)


def cost_by_meter(*, agency_ids: Sequence[int], months: Sequence[date]) -> list[MeterUsage]:
    """Bill amounts (yuan) spread over months by days, per meter (1 query); the meters' parents
    come from ``meter_tree`` (the cost walks up more than one level)."""
    if not months or not agency_ids:
        return []
    start, end = min(months), month_end(max(months))
    rows = Bill.objects.filter(
        meter__agency_id__in=list(agency_ids), period_start__lte=end, period_end__gte=start
    ).values_list(
        "meter_id",
        "meter__agency_id",
        "meter__department_id",
        "period_start",
        "period_end",
        "amount",
    )
    per_meter: dict[int, MeterUsage] = {}
    wanted = set(months)
    for meter_id, agency_id, department_id, first, last, amount in rows:
        usage = per_meter.setdefault(meter_id, MeterUsage(meter_id, agency_id, department_id, {}))
        add_into(usage.monthly, {k: v for k, v in bill_spread(first, last, amount).items() if k in wanted})
    return list(per_meter.values())


def meter_tree(*, agency_ids: Sequence[int]) -> dict[int, tuple[int | None, int | None]]:
    """meter id → (parent meter id, department id) of every meter of these agencies (1 query)."""
    rows = Meter.objects.filter(agency_id__in=list(agency_ids)).values_list(
        "pk", "parent_id", "department_id"
    )
    return {pk: (parent, department) for pk, parent, department in rows}


def last_readings(meter_ids) -> dict[int, Reading]:
    """Each meter's latest reading (one query)."""
    latest = Reading.objects.filter(meter=OuterRef("meter")).order_by("-date", "-event").values("pk")[:1]
    rows = Reading.objects.filter(meter_id__in=list(meter_ids), pk=Subquery(latest))
    return {r.meter_id: r for r in rows}


def active_meters(qs, month: date):
    """Meters in service during ``month``."""
    return qs.filter(Q(installed_on__isnull=True) | Q(installed_on__lte=month_end(month))).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=month)
    )


def meter_monthly(meter: Meter) -> list[tuple[date, Decimal]]:
    """The meter's monthly usage over all its readings (or bills), oldest first."""
    bounds = list(meter.readings.order_by("date").values_list("date", flat=True)[:1]) + list(
        meter.readings.order_by("-date").values_list("date", flat=True)[:1]
    )
    bounds += [d for pair in meter.bills.values_list("period_start", "period_end") for d in pair]
    if not bounds:
        return []
    from .usage import months_between

    months = months_between(min(bounds), max(bounds))
    usage = usage_of_meters(agency_ids=[], months=months, meter_ids=[meter.pk])
    monthly = usage[0].monthly if usage else {}
    return [(m, monthly[m]) for m in months if m in monthly]


@dataclass
class HistoryEntry:
    when: object
    who: object
    what: str
    action: str
    changes: list[tuple[str, str, str]]


def _entries(records, label) -> list[HistoryEntry]:
    entries = []
    for record in records:
        changes = []
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((str(field.verbose_name), str(change.old), str(change.new)))
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                label(record),
                record.get_history_type_display(),
                changes,
            )
        )
    return entries


def meter_history(meter: Meter, limit: int = 60) -> list[HistoryEntry]:
    """Who changed the meter and its readings, from what to what, newest first."""
    meter_records = meter.history.select_related("history_user").order_by("-history_date")[:limit]
    reading_records = (
        Reading.history.filter(meter_id=meter.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    entries = _entries(meter_records, lambda r: str(meter)) + _entries(
        reading_records, lambda r: f"{r.date:%Y-%m-%d} {r.value}"
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


@dataclass
class RoundRow:
    meter: Meter
    last: Reading | None
    read_this_month: bool
    value: str = ""
    event: str = "normal"
    estimated: bool = False
    confirm: bool = False
    note: str = ""
    errors: dict | None = None
    usage: Decimal | None = None


def round_rows(meters_qs, month: date) -> list[RoundRow]:
    """Active meters of the scope, their last reading and whether they were read this month."""
    meters = list(
        active_meters(meters_qs, month)
        .select_related("department")
        .order_by("department__sort_order", "kind", "code")
    )
    last = last_readings([m.pk for m in meters])
    end = month_end(month)
    read = set(
        Reading.objects.filter(meter__in=meters, date__gte=month, date__lte=end).values_list(
            "meter_id", flat=True
        )
    )
    return [RoundRow(meter=m, last=last.get(m.pk), read_this_month=m.pk in read) for m in meters]
