"""Number filters for the dashboards and reports: signed percentages, grouped amounts, status marks."""

from decimal import Decimal, InvalidOperation

from django import template

from reporting.targets.evaluate import STATUS_MARKS

register = template.Library()


@register.filter
def signed_percent(value, places: int = 1) -> str:
    """−3.6 % / +1.2 % with a real minus sign; an en dash when there is nothing to compare."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return "–"
    text = f"{abs(number):.{int(places)}f}"
    sign = "−" if number < 0 else ("+" if number > 0 else "±")
    return f"{sign}{text}%"


@register.filter
def amount(value, places: int = 0) -> str:
    """A quantity with thousands grouped by commas (as statistical tables print them in either
    language; Django's zh-hans format has no separator); an en dash when missing."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return "–"
    return f"{number:,.{int(places)}f}"


@register.filter
def status_mark(status: str) -> str:
    return STATUS_MARKS.get(status, "?")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def signed_amount(value, places: int = 0) -> str:
    """+1,030 / −450 with a real minus sign; an en dash when missing."""
    if value is None or value == "":
        return "–"
    number = Decimal(value)
    sign = "−" if number < 0 else ("+" if number > 0 else "±")
    return f"{sign}{abs(number):,.{int(places)}f}"
