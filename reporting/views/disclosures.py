"""The quarterly disclosures of an agency: list, compute, detail, publish, reopen, PDF and Excel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import scope_required

from ..disclosures import queries, services
from ..disclosures.exports import disclosure_workbook
from ..forms import PublishForm, QuarterForm, ReopenForm
from ..jobs import job_enqueue
from ..models import Disclosure
from ..tasks import compute_disclosure
from .files import PDF, READERS, XLSX, file_response


@scope_required(*READERS)
def disclosure_list(request):
    rows = request.scope.filter(Disclosure.objects).select_related("published_by")
    return render(request, "reporting/disclosure_list.html", {"disclosures": rows, "form": QuarterForm()})


@require_POST
@scope_required(Role.MANAGER)
def disclosure_compute(request):
    form = QuarterForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("quarter", []):
            messages.error(request, error)
        return redirect("reporting:disclosure_list")
    quarter = form.cleaned_data["quarter"]
    job_enqueue(
        compute_disclosure,
        agency_id=request.scope.agency.pk,
        label=_("Computing the draft disclosure of %(quarter)s") % {"quarter": quarter},
        kwargs={"agency_id": request.scope.agency.pk, "quarter": str(quarter)},
    )
    messages.success(
        request, _("Computing the draft of %(quarter)s; refresh in a moment.") % {"quarter": quarter}
    )
    return redirect("reporting:disclosure_list")


@scope_required(*READERS)
def disclosure_detail(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    context = queries.disclosure_page(disclosure=disclosure)
    context.update(publish_form=PublishForm(), reopen_form=ReopenForm())
    return render(request, "reporting/disclosure_detail.html", context)


@require_POST
@scope_required(Role.MANAGER)
def disclosure_publish(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.disclosure_publish(
            scope=request.scope, disclosure=disclosure, correction=form.cleaned_data.get("correction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published; the quarter's months are now locked."))
    return redirect("reporting:disclosure_detail", pk=pk)


@require_POST
@scope_required(Role.MANAGER)
def disclosure_reopen(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    try:
        services.disclosure_reopen(
            scope=request.scope, quarter=disclosure.period, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Reopened: the months are unlocked; compute and publish the corrected version.")
        )
    return redirect("reporting:disclosure_detail", pk=pk)


@scope_required(*READERS)
def disclosure_pdf(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    name = f"{disclosure.agency.code}-{disclosure.period}-v{disclosure.version}.pdf"
    return file_response(services.disclosure_notice_pdf(disclosure=disclosure), PDF, name, inline=True)


@scope_required(*READERS)
def disclosure_xlsx(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    name = f"{disclosure.agency.code}-{disclosure.period}-v{disclosure.version}.xlsx"
    return file_response(disclosure_workbook(disclosure=disclosure), XLSX, name)
