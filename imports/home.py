"""What the import pipeline puts on the energy manager's home page (工作台): imports of the last
30 days that failed or were refused for row errors and have not been redone since. Registered in
``ImportsConfig.ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.conventions import date_label
from agencies.models import Role
from agencies.workbench import Todo, TodoSource, register_todo

from .models import ImportJob, ImportStatus
from .registry import get_import_kind

RECENT = timedelta(days=30)


def _kind_label(key: str) -> str:
    try:
        return str(get_import_kind(key).label)
    except LookupError:
        return key


def failed_imports(scope, today: date) -> list[Todo]:
    """One query: the agency's recent refused imports with no later finished import of the kind."""
    redone = ImportJob.objects.filter(
        agency=OuterRef("agency"),
        kind=OuterRef("kind"),
        status=ImportStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    refused = Q(status=ImportStatus.FAILED) | Q(
        status=ImportStatus.VALIDATED, error_count__gt=0, dry_run=False
    )
    jobs = (
        scope.filter(ImportJob.objects)
        .filter(refused, created_at__date__gte=today - RECENT)
        .exclude(Exists(redone))
        .order_by("-created_at")[:5]
    )
    return [
        Todo(
            ngettext(
                "The import of %(file)s (%(kind)s, %(day)s) was refused: %(count)d row with errors.",
                "The import of %(file)s (%(kind)s, %(day)s) was refused: %(count)d rows with errors.",
                job.error_count,
            )
            % {
                "file": job.original_filename,
                "kind": _kind_label(job.kind),
                "day": date_label(timezone.localdate(job.created_at)),
                "count": job.error_count,
            }
            if job.error_count
            else _("The import of %(file)s (%(kind)s, %(day)s) failed: %(reason)s")
            % {
                "file": job.original_filename,
                "kind": _kind_label(job.kind),
                "day": date_label(timezone.localdate(job.created_at)),
                "reason": job.message or _("see the import page"),
            },
            reverse("imports:job_detail", args=[job.pk]),
            "danger",
        )
        for job in jobs
    ]


def register() -> None:
    register_todo(TodoSource("imports.failed", frozenset({Role.MANAGER}), failed_imports, order=40))
