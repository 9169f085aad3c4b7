"""The rules of a publicity or training event, from primitives only (shared by form and import)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from .models import Channel, EventKind

EARLIEST = date(2000, 1, 1)
MAX_DAYS = 31  # an event longer than a month is more likely a typing error
MAX_PARTICIPANTS = 100_000


def event_errors(
    *,
    kind: str,
    day: date,
    end: date | None,
    title: str,
    channels: Iterable[str],
    participants: int,
    today: date,
) -> dict[str, str]:
    """Errors by field; an event may be planned up to a year ahead."""
    errors: dict[str, str] = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if day < EARLIEST:
        errors["date"] = _("The date cannot be before 2000.")
    elif day.year > today.year + 1:
        errors["date"] = _("An event can be planned at most until the end of next year.")
    if end is not None:
        if end < day:
            errors["end_date"] = _("The event cannot end before it starts.")
        elif (end - day).days >= MAX_DAYS:
            errors["end_date"] = _(
                "An event lasts at most 31 days; record a longer campaign as several events."
            )
    if not (title or "").strip():
        errors["title"] = _("Give the event a title.")
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        errors["channels"] = _("Unknown channel: %(channels)s.") % {"channels": ", ".join(map(str, unknown))}
    if participants < 0 or participants > MAX_PARTICIPANTS:
        errors["participants"] = _("Participants are a number from 0 to 100,000.")
    return errors
