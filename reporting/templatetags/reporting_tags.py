"""Formatting of snapshot figures (Decimal strings) and target statuses in templates."""

from decimal import Decimal, InvalidOperation

from django import template

from agencies.conventions import signed_percent
from reporting.disclosures.notice import snapshot_text, snapshot_unit
from reporting.targets.evaluate import TargetStatus

register = template.Library()
BADGES = {
    TargetStatus.MET: "text-bg-success",
    TargetStatus.AT_RISK: "text-bg-warning",
    TargetStatus.MISSED: "text-bg-danger",
    TargetStatus.NO_DATA: "text-bg-secondary",
}


@register.filter
def num(value):
    if value in (None, ""):
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return value


@register.filter
def pct(value):
    """A change as every page writes it (docs/conventions.md): +1.49% / −3.89%."""
    if value in (None, ""):
        return "—"
    return signed_percent(value, 2)


@register.inclusion_tag("reporting/status_badge.html")
def status_badge(status):
    try:
        label = TargetStatus(status).label
    except ValueError:
        return {"label": "—", "css": "text-bg-secondary"}
    return {"label": label, "css": BADGES[status]}


@register.filter
def row_unit(item, base=None) -> str:
    """``{{ item|row_unit }}``, ``{{ item|row_unit:base }}``: a snapshot row's unit in the active
    language (reporting.disclosures.notice.snapshot_unit)."""
    return snapshot_unit(item, base)


@register.filter
def in_language(row, field: str) -> str:
    """``{{ item|in_language:"name" }}``: a frozen name in the active language."""
    return snapshot_text(row, field)
