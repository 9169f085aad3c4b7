"""Writes of publicity and training: events and their photos and files.

Every write checks the caller's role and scope (``waste.services.in_scope``), then the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Department
from waste.services import in_scope
from waste.uploads import upload_prepare

from .models import Channel, Event, EventFile
from .rules import event_errors

MAX_FILES = 20  # per event


def event_save(
    *,
    scope,
    by,
    kind: str,
    date: date,
    title: str,
    end_date: date | None = None,
    channels: Iterable[str] = (),
    participants: int = 0,
    summary: str = "",
    department: Department | None = None,
    event: Event | None = None,
) -> Event:
    """Record (or correct) an event; raises ValidationError by field."""
    in_scope(scope, event, department)
    if scope.department_ids is not None and department is None:
        raise ValidationError({"department": _("Choose your department.")})
    channels = list(channels)
    errors = event_errors(
        kind=kind,
        day=date,
        end=end_date,
        title=title,
        channels=channels,
        participants=participants,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    event = event or Event(agency=scope.agency, created_by=by)
    event.kind, event.date, event.end_date, event.title = kind, date, end_date, title.strip()
    event.channels = [c for c in Channel.values if c in channels]
    event.participants, event.summary, event.department = participants, summary, department
    event.save()
    return event


def event_delete(*, scope, event: Event, by) -> None:
    in_scope(scope, event)
    with transaction.atomic():
        for stored in event.files.all():
            stored.file.delete(save=False)
        event.delete()


def event_file_add(*, scope, by, event: Event, upload, name: str = "") -> EventFile:
    """Attach a photo or a PDF, checked by content and size like a voucher."""
    in_scope(scope, event)
    if event.files.count() >= MAX_FILES:
        raise ValidationError({"file": _("An event keeps at most 20 files.")})
    original = (name or getattr(upload, "name", "") or "").strip()[:120]
    upload = upload_prepare(upload)
    return EventFile.objects.create(event=event, file=upload, name=original, uploaded_by=by)


def event_file_delete(*, scope, by, event_file: EventFile) -> None:
    in_scope(scope, event_file.event)
    event_file.file.delete(save=False)
    event_file.delete()
