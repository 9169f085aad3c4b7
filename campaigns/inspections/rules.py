"""The rules of spot checks and repairs, from primitives only (no queries).

附件2 一、2: air conditioning not below 26 °C in summer (cooling) nor above 18 °C in winter
(heating); off before 9:00 on working days and for the last half hour before the day ends.
附件2 二、2: a leak is reported to the property manager and fixed at once — a repair open for
more than a week is an alert. A rectification is overdue the day after its deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

SUMMER_MIN = Decimal(26)  # °C: cooling may not be set lower
WINTER_MAX = Decimal(18)  # °C: heating may not be set higher
DAY_STARTS = time(9, 0)  # 工作日上午9:00前尽量不开空调
LAST_HALF_HOUR = timedelta(minutes=30)  # 下午下班前半小时关闭空调
REPAIR_DAYS = 7  # a repair open for more than this many days is an alert
MAX_RECTIFY_DAYS = 366
EARLIEST = date(2000, 1, 1)


def ac_setpoint_breaks_rule(mode: str, setpoint: Decimal | None) -> bool:
    """Cooling set below 26 °C or heating set above 18 °C (26 and 18 themselves are allowed)."""
    if setpoint is None:
        return False
    if mode == "cooling":
        return setpoint < SUMMER_MIN
    if mode == "heating":
        return setpoint > WINTER_MAX
    return False


def ac_on_off_hours(mode: str, at: time, *, day_ends: time) -> bool:
    """Air conditioning running before 9:00, or in the last half hour before ``day_ends``."""
    if mode not in ("cooling", "heating"):
        return False
    last_half_hour = (datetime.combine(date.min, day_ends) - LAST_HALF_HOUR).time()
    return at < DAY_STARTS or at >= last_half_hour


def findings_for(
    *, ticked: Iterable[str], mode: str, setpoint: Decimal | None, at: time, day_ends: time
) -> list[str]:
    """The checklist items found: those ticked by the inspector plus those the readings prove."""
    found = set(ticked)
    if ac_setpoint_breaks_rule(mode, setpoint):
        found.add("ac_temperature")
    if ac_on_off_hours(mode, at, day_ends=day_ends):
        found.add("ac_off_hours")
    if mode == "off":
        # With the air conditioning off, none of its items can have been seen.
        found -= {"ac_temperature", "ac_windows_open", "ac_nobody", "ac_off_hours"}
    return sorted(found)


def spot_check_errors(
    *,
    day: date,
    mode: str,
    setpoint: Decimal | None,
    ticked: Iterable[str],
    findings: list[str],
    rectify_by: date | None,
    today: date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if day > today:
        errors["date"] = _("The date cannot be in the future.")
    elif day < EARLIEST:
        errors["date"] = _("The date cannot be before 2000.")
    if setpoint is not None and not (Decimal(5) <= setpoint <= Decimal(35)):
        errors["ac_setpoint"] = _("A set temperature is between 5 and 35 °C.")
    if mode == "off" and {"ac_temperature", "ac_windows_open", "ac_nobody", "ac_off_hours"} & set(ticked):
        errors["ac_mode"] = _(
            "An air-conditioning finding needs the air conditioning on: choose cooling or heating."
        )
    if (
        "ac_temperature" in set(ticked)
        and setpoint is not None
        and not ac_setpoint_breaks_rule(mode, setpoint)
    ):
        errors["ac_setpoint"] = _(
            "%(t)s °C keeps the rule (cooling at 26 °C or above, heating at 18 °C or below)."
        ) % {"t": setpoint}
    if findings:
        if rectify_by is None:
            errors["rectify_by"] = _("Something was found: set the date by which it must be rectified.")
        elif rectify_by < day:
            errors["rectify_by"] = _("The deadline cannot be before the check.")
        elif (rectify_by - day).days > MAX_RECTIFY_DAYS:
            errors["rectify_by"] = _("The deadline is more than a year after the check.")
    return errors


def closing_errors(*, checked_on: date, closed_on: date, today: date) -> dict[str, str]:
    if closed_on < checked_on:
        return {"rectified_on": _("It cannot be rectified before the check.")}
    if closed_on > today:
        return {"rectified_on": _("The date cannot be in the future.")}
    return {}


@dataclass(frozen=True)
class Rectification:
    key: str  # "none" | "open" | "overdue" | "closed" | "closed_late"
    label: str

    @property
    def is_overdue(self) -> bool:
        return self.key == "overdue"


def rectification_state(
    *, has_findings: bool, rectify_by: date | None, rectified_on: date | None, today: date
) -> Rectification:
    """Where a spot check's rectification stands; overdue from the day after the deadline."""
    if not has_findings:
        return Rectification("none", _("nothing found"))
    if rectified_on is not None:
        if rectify_by is not None and rectified_on > rectify_by:
            return Rectification("closed_late", _("rectified late"))
        return Rectification("closed", _("rectified"))
    if rectify_by is not None and today > rectify_by:
        return Rectification("overdue", _("overdue"))
    return Rectification("open", _("to rectify"))


def repair_errors(*, reported_on: date, fixed_on: date | None, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if reported_on > today:
        errors["reported_on"] = _("The date cannot be in the future.")
    elif reported_on < EARLIEST:
        errors["reported_on"] = _("The date cannot be before 2000.")
    if fixed_on is not None:
        if fixed_on < reported_on:
            errors["fixed_on"] = _("It cannot be fixed before it was reported.")
        elif fixed_on > today:
            errors["fixed_on"] = _("The date cannot be in the future.")
    return errors


def repair_overdue(*, reported_on: date, fixed_on: date | None, today: date) -> bool:
    """Open for more than a week: not fixed and more than 7 days since it was reported."""
    return fixed_on is None and (today - reported_on).days > REPAIR_DAYS


def repair_overdue_since(today: date) -> date:
    """Repairs reported before this day and still open are overdue (the query's bound)."""
    return today - timedelta(days=REPAIR_DAYS)
