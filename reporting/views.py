"""Pages of reporting: targets, quarterly disclosures (manager actions POST-only), public notices."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import public_view, scope_required

from . import queries, services
from .disclosures import notice_items
from .exports import consumption_ledger_workbook, disclosure_workbook
from .forms import PublishForm, QuarterForm, ReopenForm, TargetForm
from .models import Disclosure, DisclosureStatus, Target
from .notice import notice_render
from .tasks import compute_disclosure

READERS = (Role.MANAGER, Role.LEADER, Role.CITY)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request, default: int) -> int:
    try:
        return int(request.GET.get("year") or default)
    except ValueError:
        return default


def _file(content: bytes, content_type: str, filename: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{filename}"
    return response


@scope_required()
def targets(request):
    scope = request.scope
    year = _year(request, queries.default_target_year())
    context = queries.targets_page(agency=scope.agency, year=year)
    context["form"] = TargetForm(initial={"year": year, "baseline_year": year - 1})
    return render(request, "reporting/targets.html", context)


@require_POST
@scope_required(Role.MANAGER)
def target_save(request):
    scope = request.scope
    form = TargetForm(request.POST)
    if not form.is_valid():  # the service's model validation is repeated below for the agency
        context = queries.targets_page(
            agency=scope.agency, year=_year(request, queries.default_target_year())
        )
        return render(request, "reporting/targets.html", {**context, "form": form}, status=400)
    try:
        target = services.target_save(scope=scope, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:targets")
    messages.success(request, _("Saved the target %(target)s.") % {"target": target})
    return redirect(f"{reverse('reporting:targets')}?year={target.year}")


@require_POST
@scope_required(Role.MANAGER)
def target_delete(request, pk):
    target = get_object_or_404(request.scope.filter(Target.objects), pk=pk)
    services.target_delete(scope=request.scope, target=target)
    messages.success(request, _("Deleted the target; the default applies again."))
    return redirect("reporting:targets")


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
    compute_disclosure.delay_on_commit(request.scope.agency.pk, str(quarter))
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
    return _file(notice_render(disclosure=disclosure), "application/pdf", name, inline=True)


@scope_required(*READERS)
def disclosure_xlsx(request, pk):
    disclosure = get_object_or_404(request.scope.filter(Disclosure.objects), pk=pk)
    name = f"{disclosure.agency.code}-{disclosure.period}-v{disclosure.version}.xlsx"
    return _file(disclosure_workbook(disclosure=disclosure), XLSX, name)


@scope_required(*READERS)
def consumption_ledger_xlsx(request):
    scope = request.scope
    year = _year(request, timezone.localdate().year)
    return _file(
        consumption_ledger_workbook(agency=scope.agency, year=year), XLSX, f"{scope.agency.code}-{year}.xlsx"
    )


@public_view
def public_notices(request):
    return render(request, "reporting/public_notices.html", {"notices": queries.published_notices()})


def _published(pk) -> Disclosure:
    disclosure = (
        Disclosure.objects.select_related("agency").filter(pk=pk, status=DisclosureStatus.PUBLISHED).first()
    )
    if disclosure is None:
        raise Http404(_("No published notice has this number."))
    return disclosure


@public_view
def public_notice(request, pk):
    disclosure = _published(pk)
    context = queries.disclosure_page(disclosure=disclosure)
    context["items"] = notice_items(disclosure.data)  # the notice leaves out indicators with no data
    return render(request, "reporting/public_notice.html", context)


@public_view
def public_notice_pdf(request, pk):
    disclosure = _published(pk)
    name = f"{disclosure.agency.code}-{disclosure.period}-v{disclosure.version}.pdf"
    return _file(notice_render(disclosure=disclosure), "application/pdf", name, inline=True)
