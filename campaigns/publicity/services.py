"""Writes of publicity and training: events and their photos and files.

Every write takes the caller's scope and checks what it writes and points at (``scope.check``),
then the rules; the author is ``scope.user``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Department
from agencies.scoping import Scope
from ledger.uploads import upload_prepare

from .models import Channel, Event, EventFile
from .rules import event_errors

MAX_FILES = 20  # per event


def event_save(
    *,
    scope: Scope,
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
    if scope.department_ids is not None and department is None:
        raise ValidationError({"department": _("Choose your department.")})
    target = event or Event(agency=scope.agency, created_by=scope.user)
    target.department = department
    scope.check(target)
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
    event = target
    event.kind, event.date, event.end_date, event.title = kind, date, end_date, title.strip()
    event.channels = [c for c in Channel.values if c in channels]
    event.participants, event.summary, event.department = participants, summary, department
    event.save()
    return event


def event_delete(*, scope: Scope, event: Event) -> None:
    scope.check(event)
    with transaction.atomic():
        for stored in event.files.all():
            stored.file.delete(save=False)
        event.delete()


def event_file_add(*, scope: Scope, event: Event, upload, name: str = "") -> EventFile:
    """Attach a photo or a PDF, checked by content and size like a voucher."""
    scope.check(event)
    if event.files.count() >= MAX_FILES:
        raise ValidationError({"file": _("An event keeps at most 20 files.")})
    original = (name or getattr(upload, "name", "") or "").strip()[:120]
    upload = upload_prepare(upload)
    return EventFile.objects.create(event=event, file=upload, name=original, uploaded_by=scope.user)


def event_file_delete(*, scope: Scope, event_file: EventFile) -> None:
    scope.check(event_file)
    event_file.file.delete(save=False)
    event_file.delete()
