"""Reads of the ledger that are more than a one-line filter: usage of many meters in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import Bill, Meter, Reading
from .usage import DAY, Point, add_into, bill_spread, meter_usage, month_end


@dataclass
class MeterUsage:
    meter_id: int
    agency_id: int
    department_id: int | None
    parent_id: int | None
    item: str
    monthly: dict[date, Decimal]


def _reading_points(readings_filter: Q, start: date, end: date) -> dict[int, list[Point]]:
    """Readings inside [start, end] plus each meter's last one before and first one after (3 queries)."""
    points: dict[int, list[Point]] = {}
    before = (
        Reading.objects.filter(meter=OuterRef("meter"), date__lt=start).order_by("-date").values("date")[:1]
    )
    after = Reading.objects.filter(meter=OuterRef("meter"), date__gt=end).order_by("date").values("date")[:1]
    querysets = [
        Reading.objects.filter(readings_filter, date__gte=start, date__lte=end),
        Reading.objects.filter(readings_filter, date=Subquery(before)),
        Reading.objects.filter(readings_filter, date=Subquery(after)),
    ]
    for qs in querysets:
        for meter_id, day, value, event in qs.values_list("meter_id", "date", "value", "event"):
            points.setdefault(meter_id, []).append(Point(day, value, event))
    return points


def usage_of_meters(
    *, agency_ids: Sequence[int], months: Sequence[date], kind: str | None = None, meter_ids=None
) -> list[MeterUsage]:
    """Monthly usage of every meter of these agencies (of one kind), for ``months``: 5 queries.

    A meter with readings is measured by them; a meter without any reading by its bills.
    """
    if not months or (not agency_ids and meter_ids is None):
        return []
    start, end = min(months) - DAY, month_end(max(months))
    meter_q = Q(agency_id__in=list(agency_ids)) if meter_ids is None else Q(pk__in=list(meter_ids))
    reading_q = (
        Q(meter__agency_id__in=list(agency_ids)) if meter_ids is None else Q(meter_id__in=list(meter_ids))
    )
    if kind:
        meter_q &= Q(kind=kind)
        reading_q &= Q(meter__kind=kind)
    meters = list(
        Meter.objects.filter(meter_q)
        .annotate(has_readings=Exists(Reading.objects.filter(meter=OuterRef("pk"))))
        .values(
            "id",
            "agency_id",
            "department_id",
            "parent_id",
            "item",
            "dial_digits",
            "multiplier",
            "share",
            "has_readings",
        )
    )
    points = _reading_points(reading_q, start, end)
    billed: dict[int, dict[date, Decimal]] = {}
    bill_q = (
        Q(meter__agency_id__in=list(agency_ids)) if meter_ids is None else Q(meter_id__in=list(meter_ids))
    )
    if kind:
        bill_q &= Q(meter__kind=kind)
    bills = Bill.objects.filter(bill_q, period_start__lte=end, period_end__gt=start).values_list(
        "meter_id", "period_start", "period_end", "quantity"
    )
    for meter_id, first, last, quantity in bills:
        add_into(billed.setdefault(meter_id, {}), bill_spread(first, last, quantity))
    wanted = set(months)
    result = []
    for m in meters:
        if m["has_readings"]:
            monthly = meter_usage(
                points.get(m["id"], []),
                dial_digits=m["dial_digits"],
                multiplier=m["multiplier"],
                share=m["share"],
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
            )
        )
    return result


def cost_by_meter(*, agency_ids: Sequence[int], months: Sequence[date]) -> list[MeterUsage]:
    """Bill amounts (yuan) spread over months by days, per meter (1 query)."""
    if not months or not agency_ids:
        return []
    start, end = min(months), month_end(max(months))
    rows = Bill.objects.filter(
        meter__agency_id__in=list(agency_ids), period_start__lte=end, period_end__gte=start
    ).values_list(
        "meter_id",
        "meter__agency_id",
        "meter__department_id",
        "meter__parent_id",
        "period_start",
        "period_end",
        "amount",
    )
    per_meter: dict[int, MeterUsage] = {}
    wanted = set(months)
    for meter_id, agency_id, department_id, parent_id, first, last, amount in rows:
        usage = per_meter.setdefault(
            meter_id, MeterUsage(meter_id, agency_id, department_id, parent_id, "", {})
        )
        add_into(usage.monthly, {k: v for k, v in bill_spread(first, last, amount).items() if k in wanted})
    return list(per_meter.values())


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
