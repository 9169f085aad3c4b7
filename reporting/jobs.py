"""Background jobs: sent after commit, kept when the broker is down, watched when they fail.

``job_enqueue`` records a ``BackgroundJob`` in the caller's transaction and sends the task after
commit. A broker that cannot be reached leaves the job ``waiting`` — the request still succeeds
and its user is told the work is delayed (``DelayedWorkMiddleware``) — and the beat task
``jobs_send_waiting`` sends it once the broker answers. Celery's task signals record each job's
run (``running``, ``done``, ``failed`` with the error in words); ``jobs_needing_attention`` lists
the failed and the stuck for the managers' page, where ``job_retry`` sends one again.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import timedelta

from celery import current_app, signals
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.scoping import Scope

from .models.jobs import BackgroundJob, JobState

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "job-"
WAITING_STUCK_AFTER = timedelta(minutes=2)  # the broker has been down that long
QUEUED_STUCK_AFTER = timedelta(minutes=15)  # no worker took it
RUNNING_STUCK_MARGIN = timedelta(minutes=2)  # beyond the task's hard time limit

_delayed: ContextVar[bool] = ContextVar("background_work_delayed", default=False)


def job_enqueue(task, *, agency_id: int | None, label: str, kwargs: dict) -> BackgroundJob:
    """Record the job now and send ``task(**kwargs)`` after the current transaction commits."""
    job = BackgroundJob.objects.create(agency_id=agency_id, task=task.name, label=label[:200], kwargs=kwargs)

    def send() -> None:  # a function, not a partial: Django logs a robust failure by __qualname__
        job_send(job.pk)

    transaction.on_commit(send, robust=True)
    return job


def job_send(job_id: int) -> bool:
    """Send a waiting (or failed) job to the broker; False, and the job still waiting, if it is down.

    The claim is a conditional UPDATE, so two senders (the request's on-commit and the beat task)
    never both send it.
    """
    now = timezone.now()
    sendable = [JobState.WAITING, JobState.FAILED]
    if not BackgroundJob.objects.filter(pk=job_id, state__in=sendable).update(
        state=JobState.QUEUED, updated_at=now, error=""
    ):
        return False
    job = BackgroundJob.objects.get(pk=job_id)
    task = current_app.tasks[job.task]
    task_id = f"{TASK_ID_PREFIX}{job.pk}-{job.attempts}-{int(now.timestamp())}"
    if current_app.conf.task_always_eager:  # in-process: a failure is the task's, not the broker's
        task.apply_async(kwargs=job.kwargs, task_id=task_id)
        return True
    try:
        task.apply_async(kwargs=job.kwargs, task_id=task_id)
    except Exception:  # any failure to hand the message to the broker
        logger.warning("Background job %s could not be sent; it waits for the broker", job.pk, exc_info=True)
        BackgroundJob.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.WAITING,
            updated_at=timezone.now(),
            error=_(
                "The background service could not be reached; the job waits and will be sent when it is back."
            ),
        )
        note_delayed()
        return False
    return True


def jobs_send_waiting(limit: int = 500) -> int:
    """Beat: send the jobs the broker could not take (oldest first); returns how many were sent."""
    ids = (
        BackgroundJob.objects.filter(state=JobState.WAITING)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return sum(job_send(pk) for pk in list(ids[:limit]))


def job_retry(*, scope: Scope, job: BackgroundJob) -> bool:
    """A manager (or the admin) sends a failed or stuck job again; the tasks are idempotent."""
    scope.check(job)
    if job.state == JobState.DONE:
        return False
    BackgroundJob.objects.filter(pk=job.pk).exclude(state=JobState.DONE).update(
        state=JobState.WAITING, updated_at=timezone.now()
    )
    return job_send(job.pk)


def jobs_needing_attention(queryset: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    """Failed jobs and stuck ones: waiting for the broker, queued with no worker taking them,
    or running past their task's time limit (a worker that died without redelivery)."""
    now = timezone.now()
    running_limit = timedelta(seconds=current_app.conf.task_time_limit or 1800) + RUNNING_STUCK_MARGIN
    return queryset.filter(
        Q(state=JobState.FAILED)
        | Q(state=JobState.WAITING, updated_at__lt=now - WAITING_STUCK_AFTER)
        | Q(state=JobState.QUEUED, updated_at__lt=now - QUEUED_STUCK_AFTER)
        | Q(state=JobState.RUNNING, started_at__lt=now - running_limit)
    ).select_related("agency")


def error_in_words(error: BaseException | None) -> str:
    """What went wrong, for a manager: never a traceback."""
    if isinstance(error, OperationalError | InterfaceError):
        return _("The database could not be reached.")
    if isinstance(error, SoftTimeLimitExceeded | TimeLimitExceeded):
        return _("It took longer than its time limit and was stopped.")
    if isinstance(error, WorkerLostError):
        return _("The background process running it stopped unexpectedly.")
    if isinstance(error, ValidationError):
        detail = " ".join(error.messages)[:300]
    else:
        detail = str(error or "").strip()[:300] or type(error).__name__
    return _("It failed: %(error)s") % {"error": detail}


# --- the user is told when work waits for the broker ----------------------------------------


def note_delayed() -> None:
    """Something this request asked for could not be sent: tell its user (if there is one)."""
    _delayed.set(True)


class DelayedWorkMiddleware:
    """Adds a warning to the response's user when background work had to wait for the broker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _delayed.set(False)
        try:
            response = self.get_response(request)
            if _delayed.get() and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "The background service is not available right now. What you saved is kept; "
                        "the work it starts (figures, computations, imports) is delayed and will run "
                        "as soon as the service is back."
                    ),
                )
            return response
        finally:
            _delayed.reset(token)


# --- the workers record each job's run --------------------------------------------------------


def _job_id(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    number = task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0]
    return int(number) if number.isdigit() else None


@signals.task_prerun.connect
def _job_started(task_id=None, **_kwargs) -> None:
    if (pk := _job_id(task_id)) is not None:
        BackgroundJob.objects.filter(pk=pk).exclude(state=JobState.DONE).update(
            state=JobState.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
        )


@signals.task_success.connect
def _job_done(sender=None, **_kwargs) -> None:
    request = getattr(sender, "request", None)
    if (pk := _job_id(getattr(request, "id", None))) is not None:
        BackgroundJob.objects.filter(pk=pk).update(state=JobState.DONE, finished_at=timezone.now(), error="")


@signals.task_retry.connect
def _job_retried(request=None, reason=None, **_kwargs) -> None:
    if (pk := _job_id(getattr(request, "id", None))) is not None:
        BackgroundJob.objects.filter(pk=pk).update(state=JobState.QUEUED, error=error_in_words(reason))


@signals.task_failure.connect
def _job_failed(task_id=None, exception=None, **_kwargs) -> None:
    if (pk := _job_id(task_id)) is not None:
        BackgroundJob.objects.filter(pk=pk).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=error_in_words(exception)
        )
