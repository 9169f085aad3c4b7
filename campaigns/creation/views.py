"""Pages of the creation workflow: the application, the self-assessment and the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import scope_required
from campaigns.publicity.forms import YearForm
from ledger.uploads import upload_response
from waste.forms import form_errors

from . import services
from .forms import ApplicationForm, MemberForm, OfficeForm, ScoreForm, VerdictForm, VerificationForm
from .models import ManagementOffice, OrganisationMember, Stage
from .queries import city_overview, creations_of, item_lines, latest_creation_year, organisation_of


def _year(request) -> int:
    return YearForm(request.GET).year_or(timezone.localdate().year)


@scope_required()
def creation_list(request):
    """The agency's creation year by year: stage, application, self-assessment, verification."""
    creations = list(creations_of(request.scope).prefetch_related("scores", "scheme__items"))
    rows = [(c, services.creation_tally(c)) for c in creations]
    return render(request, "campaigns/creation/creation_list.html", {"rows": rows})


@scope_required(Role.MANAGER)
def creation_apply(request):
    """Apply (申报) for a year with the implementation plan, or correct the application."""
    today = timezone.localdate()
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        year = _year(request)
        current = creations_of(request.scope).filter(year=year).first()
        form.initial = {"year": year, "applied_on": today}
        if current:
            form.initial.update(plan_title=current.plan_title, applied_on=current.applied_on)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            creation = services.application_save(
                scope=request.scope,
                year=data["year"],
                plan_title=data["plan_title"],
                applied_on=data["applied_on"],
                plan_document=data["plan_document"],
                today=today,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Application saved."))
            return redirect("campaigns:creation_detail", pk=creation.pk)
    return render(request, "campaigns/creation/application_form.html", {"form": form})


@scope_required()
def creation_detail(request, pk):
    creation = get_object_or_404(creations_of(request.scope), pk=pk)
    context = {
        "creation": creation,
        "lines": item_lines(creation, today=timezone.localdate()),
        "tally": services.creation_tally(creation),
        "organisation": organisation_of(creation.agency, creation.year),
    }
    return render(request, "campaigns/creation/creation_detail.html", context)


@scope_required(Role.MANAGER)
def creation_assess(request, pk):
    """The self-assessment form: each item's points (or pass/fail) and evidence, with what the
    portal holds beside it; an item the portal shows complete is proposed at full points."""
    today = timezone.localdate()
    creation = get_object_or_404(creations_of(request.scope), pk=pk)
    lines = item_lines(creation, today=today, live=True)
    rows = []
    for line in lines:
        initial = {}
        if line.score is not None:
            initial = {"points": line.score.points, "evidence": line.score.evidence}
            initial["passed"] = {True: "yes", False: "no"}.get(line.score.passed, "")
        elif line.evidence is not None and line.evidence.found:
            initial = {"points": line.item.points, "passed": "yes"}
        form = ScoreForm(request.POST or None, prefix=line.item.code, item=line.item, initial=initial)
        rows.append((line, form))
    if request.method == "POST" and all(form.is_valid() for _line, form in rows):
        entries = [
            services.ScoreEntry(
                item=line.item,
                points=form.cleaned_data.get("points"),
                passed=form.passed_value if line.item.is_pass_fail else None,
                evidence=form.cleaned_data["evidence"],
            )
            for line, form in rows
        ]
        try:
            services.self_assessment_save(
                scope=request.scope, creation=creation, entries=entries, today=today
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Self-assessment saved."))
            return redirect("campaigns:creation_detail", pk=creation.pk)
    context = {"creation": creation, "rows": rows, "open": creation.stage == Stage.APPLIED}
    return render(request, "campaigns/creation/assess.html", context)


@require_POST
@scope_required(Role.MANAGER)
def creation_submit(request, pk):
    creation = get_object_or_404(creations_of(request.scope), pk=pk)
    try:
        services.self_assessment_submit(scope=request.scope, creation=creation, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Self-assessment submitted for verification."))
    return redirect("campaigns:creation_detail", pk=creation.pk)


@require_POST
@scope_required(Role.MANAGER)
def creation_reopen(request, pk):
    creation = get_object_or_404(creations_of(request.scope), pk=pk)
    try:
        services.self_assessment_reopen(scope=request.scope, creation=creation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Self-assessment taken back; submit it again when it is ready."))
    return redirect("campaigns:creation_detail", pk=creation.pk)


@scope_required(Role.CITY)
def creation_verify(request, pk):
    """The city's verification (核查) of a submitted self-assessment: a verdict on each item
    (confirmed, or adjusted with a comment) and the overall result."""
    today = timezone.localdate()
    creation = get_object_or_404(creations_of(request.scope), pk=pk)
    lines = item_lines(creation, today=today)
    rows = [
        (line, VerdictForm(request.POST or None, prefix=line.item.code, item=line.item)) for line in lines
    ]
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _line, f in rows):
        entries = [
            services.VerdictEntry(
                item=line.item,
                verdict=f.cleaned_data["verdict"],
                points=f.cleaned_data.get("points"),
                passed=f.passed_value if line.item.is_pass_fail else None,
                comment=f.cleaned_data["comment"],
            )
            for line, f in rows
        ]
        try:
            services.verification_save(
                scope=request.scope,
                creation=creation,
                entries=entries,
                result=form.cleaned_data["result"],
                comment=form.cleaned_data["comment"],
                today=today,
            )
        except ValidationError as error:
            _item_errors(error, rows, form)
        else:
            messages.success(request, _("Verification saved."))
            return redirect("campaigns:creation_detail", pk=creation.pk)
    context = {
        "creation": creation,
        "rows": rows,
        "form": form,
        "tally": services.creation_tally(creation),
        "may_verify": request.scope.may_verify and creation.state == Stage.ASSESSED,
    }
    return render(request, "campaigns/creation/verify.html", context)


def _item_errors(error: ValidationError, rows, form) -> None:
    """A service's errors shown by item (keyed by the item's code) or on the overall form."""
    forms_by_code = {line.item.code: f for line, f in rows}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        if key in forms_by_code:
            forms_by_code[key].add_error(None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


@scope_required(Role.CITY)
def creation_city(request):
    """The city's view: every agency's stage and result and the share meeting the requirements
    (the latest year any agency applied for, unless ``?year=`` says otherwise)."""
    agencies = list(request.scope.agencies().filter(in_programme=True).order_by("code"))
    year = YearForm(request.GET).year_or(latest_creation_year(agencies) or timezone.localdate().year)
    context = {"overview": city_overview(agencies, year=year), "year": year}
    return render(request, "campaigns/creation/city.html", context)


@scope_required()
def creation_plan(request, pk):
    return upload_response(get_object_or_404(creations_of(request.scope), pk=pk).plan_document)


# --- the organisation (附件1) -----------------------------------------------------------------


@scope_required()
def organisation(request):
    year = _year(request)
    context = {"organisation": organisation_of(request.scope.agency, year), "year": year}
    return render(request, "campaigns/creation/organisation.html", context)


def _members(scope):
    return scope.filter(OrganisationMember.objects)


@scope_required(Role.MANAGER)
def member_edit(request, pk=None):
    member = get_object_or_404(_members(request.scope), pk=pk) if pk else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "GET" and member is None:
        form.initial.update(year=_year(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_save(scope=request.scope, member=member, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Member saved."))
            return redirect(f"{reverse('campaigns:organisation')}?year={member.year}")
    return render(request, "campaigns/creation/member_form.html", {"form": form, "member": member})


member_create = member_edit


@require_POST
@scope_required(Role.MANAGER)
def member_delete(request, pk):
    member = get_object_or_404(_members(request.scope), pk=pk)
    year = member.year
    services.member_delete(scope=request.scope, member=member)
    messages.success(request, _("Member removed."))
    return redirect(f"{reverse('campaigns:organisation')}?year={year}")


@scope_required(Role.MANAGER)
def office_edit(request):
    form = OfficeForm(request.POST or None)
    if request.method == "GET":
        year = _year(request)
        office = request.scope.filter(ManagementOffice.objects).filter(year=year).first()
        form.initial = {"year": year, "duties": office.duties if office else ""}
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_save(scope=request.scope, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Duties saved."))
            return redirect(f"{reverse('campaigns:organisation')}?year={office.year}")
    return render(request, "campaigns/creation/office_form.html", {"form": form})
