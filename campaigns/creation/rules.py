"""Rules of the creation workflow with no database access: the tally of a self-assessment or a
verification, and what a score, an application and a verification may be."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Mark:
    """One item's mark: points out of ``possible``, or pass/fail when ``possible`` is None."""

    possible: Decimal | None
    points: Decimal | None = None
    passed: bool | None = None

    @property
    def decided(self) -> bool:
        return self.passed is not None if self.possible is None else self.points is not None


@dataclass(frozen=True)
class Tally:
    points: Decimal  # the scored items' points
    possible: Decimal  # what the scored items could give
    pass_points: Decimal
    decided: int
    items: int
    failed_pass_fail: int  # pass/fail items marked as failed

    @property
    def complete(self) -> bool:
        return self.decided == self.items

    @property
    def meets(self) -> bool:
        """Meets the requirements: every item marked, no pass/fail item failed, enough points."""
        return self.complete and not self.failed_pass_fail and self.points >= self.pass_points


def tally(marks: Iterable[Mark], *, pass_points: Decimal) -> Tally:
    marks = list(marks)
    scored = [m for m in marks if m.possible is not None]
    return Tally(
        points=sum((m.points for m in scored if m.points is not None), Decimal(0)),
        possible=sum((m.possible for m in scored), Decimal(0)),
        pass_points=pass_points,
        decided=sum(1 for m in marks if m.decided),
        items=len(marks),
        failed_pass_fail=sum(1 for m in marks if m.possible is None and m.passed is False),
    )


def mark_errors(mark: Mark) -> list[str]:
    """A scored item's points lie within 0..its points, in half points; a pass/fail item has none."""
    if mark.possible is None:
        return [_("This item is pass/fail: it takes no points.")] if mark.points is not None else []
    errors = []
    if mark.passed is not None:
        errors.append(_("This item is scored in points, not pass/fail."))
    if mark.points is not None:
        if mark.points < 0 or mark.points > mark.possible:
            errors.append(_("Give between 0 and %(max)s points.") % {"max": f"{mark.possible:g}"})
        elif (mark.points * 2) != (mark.points * 2).to_integral_value():
            errors.append(_("Points go in steps of 0.5."))
    return errors


def application_errors(*, year: int, applied_on: date, today: date) -> dict[str, str]:
    errors = {}
    if applied_on > today:
        errors["applied_on"] = _("The date cannot be in the future.")
    elif applied_on.year not in (year - 1, year):
        errors["applied_on"] = _("An application for %(year)d is made in %(before)d or %(year)d.") % {
            "year": year,
            "before": year - 1,
        }
    if year > today.year + 1:
        errors["year"] = _("Apply at most for next year.")
    return errors
