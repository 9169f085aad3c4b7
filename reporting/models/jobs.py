"""Background jobs sent to the Celery workers, recorded so that none is lost or fails unseen."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class JobState(models.TextChoices):
    WAITING = "waiting", _("waiting for the background service")  # not sent: the broker was down
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundJob(models.Model):
    """One piece of background work (a disclosure computation, an import step …).

    Written in the transaction of the request that asked for it and sent to the broker after
    commit; a broker that is down leaves it ``waiting`` and the beat task ``jobs_send_waiting``
    sends it once the broker answers. The worker's task signals move it through ``running`` to
    ``done`` or ``failed`` (with the error in words); a manager may send it again.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True
    )
    task = models.CharField(_("task"), max_length=200)
    label = models.CharField(_("job"), max_length=200, help_text=_("What the job does, in words."))
    kwargs = models.JSONField(_("arguments"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.WAITING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "updated_at"], name="backgroundjob_state_updated")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"
