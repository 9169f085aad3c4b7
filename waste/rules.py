"""The rules of the waste ledger, from primitives only (no queries).

The form, the hazardous hand-over and the Excel import all call ``collection_check``; the
indicators and the public display share ``recyclable_share``; the alert uses ``missing_months``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .categories import WasteCategory

MAX_WEIGHT = Decimal("100000")  # kg in one collection: above this a typing error is more likely
HUNDRED = Decimal(100)
EARLIEST = date(2000, 1, 1)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def date_check(day: date, *, today: date, field: str = "date") -> dict[str, str]:
    if day > today:
        return {field: _("The date cannot be in the future.")}
    if day < EARLIEST:
        return {field: _("The date cannot be before 2000.")}
    return {}


def weight_check(weight: Decimal, *, field: str = "weight") -> dict[str, str]:
    if not weight.is_finite() or weight <= 0:
        return {field: _("The weight must be more than 0 kg.")}
    if weight > MAX_WEIGHT:
        return {field: _("More than 100,000 kg in one record: check the unit (kilograms).")}
    return {}


def collection_check(
    *,
    day: date,
    category: str,
    weight: Decimal,
    company: str,
    licence_number: str,
    manifest_number: str,
    today: date,
) -> dict[str, str]:
    """Errors by field of one collection (清运) record; empty when it may be saved."""
    errors = date_check(day, today=today) | weight_check(weight)
    if category not in WasteCategory.values:
        errors["category"] = _("Choose one of the four categories.")
    if _blank(company):
        errors["company"] = _("Name the company that collected the waste.")
    if category == WasteCategory.HAZARDOUS:
        # 附件3 三、: hazardous waste goes only to a licensed hazardous-waste disposer.
        if _blank(licence_number):
            errors["licence_number"] = _(
                "Hazardous waste may be handed only to a licensed disposer: give its licence number."
            )
        if _blank(manifest_number):
            errors["manifest_number"] = _("Give the transfer-manifest number of this hand-over.")
    return errors


def handover_check(*, handover_day: date, stored_days: Iterable[date]) -> dict[str, str]:
    """A lot cannot leave the store before it came in."""
    later = sorted(d for d in stored_days if d > handover_day)
    if later:
        return {
            "date": _("A lot stored on %(date)s cannot be handed over before that day.")
            % {"date": later[-1].isoformat()}
        }
    return {}


def recyclable_share(amounts: Mapping[str, Decimal]) -> Decimal | None:
    """可回收物 as a percentage of all waste collected; None when nothing was collected."""
    total = sum((Decimal(v) for v in amounts.values()), Decimal(0))
    if total <= 0:
        return None
    return Decimal(amounts.get(WasteCategory.RECYCLABLE, 0)) / total * HUNDRED


def month_add(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def alert_window(as_of: date, months: int = 12) -> list[date]:
    """The ``months`` complete months before ``as_of``'s month, oldest first."""
    this_month = as_of.replace(day=1)
    return [month_add(this_month, -i) for i in range(months, 0, -1)]


def missing_months(*, window: list[date], recorded: set[date], started: date | None) -> list[date]:
    """Months of ``window`` without a record, from the month the agency started keeping the ledger.

    ``started`` is the first month with a record (any month before the window counts as the
    window's start); an agency that has never recorded anything (None) is not judged here.
    """
    if started is None:
        return []
    return [m for m in window if m >= started and m not in recorded]
