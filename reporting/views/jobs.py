"""Background jobs that failed or are stuck: the manager's agency (the admin sees all in /admin/)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import scope_required

from .. import jobs
from ..models import BackgroundJob


@scope_required(Role.MANAGER)
def job_list(request):
    attention = jobs.jobs_needing_attention(request.scope.filter(BackgroundJob.objects))
    return render(request, "reporting/jobs.html", {"jobs": attention[:200]})


@require_POST
@scope_required(Role.MANAGER)
def job_retry(request, pk):
    job = get_object_or_404(request.scope.filter(BackgroundJob.objects), pk=pk)
    if jobs.job_retry(scope=request.scope, job=job):
        messages.success(request, _("“%(job)s” was sent again.") % {"job": job.label})
    else:
        messages.warning(
            request,
            _("“%(job)s” was not sent: it is done or the background service is down.") % {"job": job.label},
        )
    return redirect("reporting:job_list")
