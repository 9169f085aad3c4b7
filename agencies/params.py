"""What a view reads by hand from a query string or a POST: one parser per kind of value, none
of which raises on what a visitor can type (issue #10.6: years, quarters, pages, decimals and
text once answered 500). Each returns ``None`` (or the default given) for a value it cannot
take, so the view falls back to its default or shows its own message.

Forms validate what they hold (``StyledFormMixin`` refuses control characters and dates outside
the portal's calendar in every form); these are for the few values read without a form.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The portal's calendar: years as agencies, targets and disclosures accept them (2000–2100).
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
MAX_PER_PAGE = 500
# Control characters have no place in typed text (tab, line feed and carriage return excepted);
# PostgreSQL refuses NUL in a query outright (a 500), the rest would be stored and exported.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = _("The text holds a control character (such as NUL); remove it.")


def int_param(value, default: int | None = None, *, minimum: int, maximum: int) -> int | None:
    """An integer within [minimum, maximum] written in plain digits, else ``default``."""
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"-?\d{1,12}", text):
        return default
    number = int(text)
    return number if minimum <= number <= maximum else default


def year_param(value, default: int | None = None) -> int | None:
    """A year of the portal's calendar, else ``default``."""
    return int_param(value, default, minimum=FIRST_YEAR, maximum=LAST_YEAR)


def decimal_param(value, *, max_digits: int = 16) -> Decimal | None:
    """A finite decimal of at most ``max_digits`` digits ("1,234.5" reads as 1234.5), else None."""
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text or len(text) > max_digits + 3:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or len(number.as_tuple().digits) > max_digits:
        return None
    return number


def date_param(value) -> date | None:
    """An ISO date (2020-01-31) of the portal's calendar, else None."""
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def text_param(value, *, max_length: int = 100) -> str:
    """Typed text for a search or a lookup: control characters dropped, stripped, cut to length."""
    return CONTROL_CHARACTERS.sub("", str(value or ""))[:max_length].strip()


def refuse_control_characters(value) -> None:
    """Validator: typed text may not hold control characters (tab and line breaks excepted)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


def refuse_dates_outside_calendar(value) -> None:
    """Validator: a date of the portal's calendar (2000–2100); 0001-01-01 and 9999-12-31 are typos."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("The date must lie between %(first)s and %(last)s."),
            code="date_outside_calendar",
            params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
        )
