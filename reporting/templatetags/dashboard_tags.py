"""Number filters for the dashboards and reports (signed percentages, grouped amounts — through
``agencies.conventions``, the one convention), status marks."""

from django import template

from agencies import conventions
from reporting.targets.evaluate import STATUS_MARKS

register = template.Library()


@register.filter
def signed_percent(value, places: int = 1) -> str:
    """+1.2% / −3.6% / — (docs/conventions.md: the sign always written, the one minus sign)."""
    return conventions.signed_percent(value, places)


@register.filter
def amount(value, places: int = 0) -> str:
    """A quantity with thousands grouped by commas (as statistical tables print them in either
    language; Django's zh-hans format has no separator), the one minus sign; — when missing."""
    return conventions.number(value, places)


@register.filter
def status_mark(status: str) -> str:
    return STATUS_MARKS.get(status, "?")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def signed_amount(value, places: int = 0) -> str:
    """+1,030 / −450 / 0 with the one minus sign; — when missing."""
    return conventions.signed_number(value, places)
