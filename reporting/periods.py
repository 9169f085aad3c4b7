"""Quarters and months: parsing "2020Q4" and listing a period's first-of-month dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.conventions import quarter_label

_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]([1-4])\s*$")


def months_of_year(year: int, *, through: int = 12) -> list[date]:
    return [date(year, m, 1) for m in range(1, through + 1)]


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text or "")
        if not match:
            raise ValidationError(
                _("%(value)s is not a quarter; write it like 2020Q4.") % {"value": text}, code="bad_quarter"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def last_month(self) -> int:
        return self.number * 3

    @property
    def months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(self.last_month - 2, self.last_month + 1)]

    @property
    def year_to_date(self) -> list[date]:
        return months_of_year(self.year, through=self.last_month)

    @property
    def label(self) -> str:
        """2020年第四季度 / 2020 Q4 (docs/conventions.md)."""
        return quarter_label(self.year, self.number)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        return self.next().months[0] - timedelta(days=1)

    def check_ended(self, today: date | None = None) -> None:
        """Refuse a quarter that has not ended (today in Asia/Shanghai, the project's TIME_ZONE): its
        figures are not complete, so it can be neither computed nor published (#10.7)."""
        today = today or timezone.localdate()
        if today <= self.end:
            raise ValidationError(
                _("%(quarter)s has not ended yet: it can be computed and published from %(date)s.")
                % {"quarter": self, "date": (self.end + timedelta(days=1)).isoformat()},
                code="quarter_not_ended",
            )

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
