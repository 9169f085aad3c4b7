"""ImportJob: the stored upload, its progress and its outcome — the audit entry of every import."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Validating")
    VALIDATED = "validated", _("Validated")
    FAILED = "failed", _("Failed")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")


RUNNING = (ImportStatus.VALIDATING, ImportStatus.WRITING)


class ImportJob(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(_("kind"), max_length=40)
    original_filename = models.CharField(_("original file name"), max_length=255)
    stored_path = models.CharField(
        _("stored file"),
        max_length=500,
        blank=True,
        help_text=_("Where the upload waits outside the web root; emptied once the import finishes."),
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Check every row and show the preview, write nothing.")
    )
    background = models.BooleanField(_("runs in the background"), default=False)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    message = models.TextField(_("message"), blank=True, help_text=_("Why the file as a whole was refused."))
    sheet = models.CharField(_("worksheet"), max_length=100, blank=True)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_validated = models.PositiveIntegerField(_("rows validated"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("[{row, column, message}]"))
    preview_headers = models.JSONField(_("preview headers"), default=list, blank=True)
    columns = models.JSONField(
        _("columns of the file"),
        default=list,
        blank=True,
        help_text=_("Every header of the file and the column it was taken as, or why it was not imported."),
    )
    header_signature = models.CharField(_("header layout"), max_length=64, blank=True)
    mapping = models.JSONField(
        _("chosen mapping"),
        default=dict,
        blank=True,
        help_text=_("Header → column chosen for this import (empty: not imported)."),
    )
    preview = models.JSONField(_("preview"), default=list, blank=True)
    skipped_count = models.PositiveIntegerField(_("rows passed over"), default=0)
    skipped = models.JSONField(
        _("rows passed over"),
        default=list,
        blank=True,
        help_text=_("Rows under the header that are not data (blank, 合计, notes): their row and why."),
    )
    months = models.JSONField(_("months touched"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="importjob_agency_recent")]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.get_status_display()})"

    # The advisory-lock namespace of import runners (imports.services._claim): a job's runner
    # holds lock (RUNNER_LOCK, job id) on PostgreSQL while it works on the job.
    RUNNER_LOCK = 18_001

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @cached_property
    def runner_stopped(self) -> bool:
        """Marked running, but the process that ran it is gone (killed, or its machine lost):
        nothing of the step was committed and the redelivered task will start it again."""
        if not self.is_running:
            return False
        if connection.vendor != "postgresql":
            from .services import STALE_AFTER

            return self.updated_at < timezone.now() - STALE_AFTER
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s "
                "AND objsubid = 2 AND granted",
                [self.RUNNER_LOCK, self.pk],
            )
            return cursor.fetchone() is None

    @property
    def rows_written_shown(self) -> int:
        """Rows written so far as the page says: none once its runner stopped (rolled back)."""
        return 0 if self.runner_stopped else self.rows_written

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED) or (
            self.dry_run and self.status == ImportStatus.VALIDATED
        )

    @property
    def skipped_rows(self) -> list[dict]:
        """The rows passed over, each with the reason in the reader's language."""
        from .pipeline import skip_reason

        return [{"row": s["row"], "reason": skip_reason(s["reason"])} for s in self.skipped]

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.VALIDATED and not self.dry_run and self.error_count == 0

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        done = self.rows_written_shown if self.status == ImportStatus.WRITING else self.rows_validated
        return min(100, round(100 * done / self.rows_total))

    @property
    def is_pending(self) -> bool:
        """Queued or running: the page keeps polling."""
        if self.status in RUNNING or self.status == ImportStatus.UPLOADED:
            return True
        return self.status == ImportStatus.VALIDATED and self.background and self.committed_by_id is not None

    @property
    def error_overflow(self) -> int:
        """Errors found but not stored (the list is capped)."""
        return max(0, self.error_count - len({e["row"] for e in self.errors}))

    @property
    def kind_label(self):
        from .registry import import_kinds

        kind = import_kinds().get(self.kind)
        return kind.label if kind else self.kind


class ImportMapping(models.Model):
    """Which header is which column, as a manager chose it for one layout of one kind's files.

    Applied when a file of the same kind arrives at the same agency with the same header row
    (``signature``), so a ledger's layout is explained once.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="import_mappings"
    )
    kind = models.CharField(_("kind"), max_length=40)
    signature = models.CharField(_("header layout"), max_length=64)
    headers = models.JSONField(
        _("headers"), default=list, blank=True, help_text=_("The header row, as written.")
    )
    mapping = models.JSONField(
        _("mapping"), default=dict, help_text=_("Header → column (empty: not imported).")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")
        ordering = ["agency", "kind", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "signature"], name="importmapping_unique_layout"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {' | '.join(str(h) for h in self.headers[:6])}"
