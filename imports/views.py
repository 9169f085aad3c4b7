"""Pages of the import pipeline: upload, preview with progress, confirm, result, templates."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import scope_required

from .exports import template_workbook
from .forms import ImportUploadForm
from .models import ImportJob
from .queries import job_mapping_rows, kinds_for_role
from .reader import ImportFileError
from .registry import get_import_kind
from .services import import_confirm, import_job_create, import_remap, import_start

IMPORT_ROLES = (Role.MANAGER, Role.CLERK)


def _job(request, pk: int) -> ImportJob:
    """A job of the request's agency; a clerk sees only the jobs they uploaded."""
    jobs = request.scope.filter(ImportJob.objects.select_related("agency"))
    if not request.scope.is_manager:
        jobs = jobs.filter(uploaded_by=request.user)
    return get_object_or_404(jobs, pk=pk)


@scope_required(*IMPORT_ROLES)
def index(request):
    kinds = kinds_for_role(request.scope.role)
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = import_job_create(
            agency=request.scope.agency,
            kind=data["kind"],
            upload=data["file"],
            filename=data["file"].name,
            by=request.user,
            dry_run=data["dry_run"],
        )
        import_start(job=job)
        return redirect("imports:job_detail", pk=job.pk)
    jobs = request.scope.filter(ImportJob.objects.select_related("uploaded_by"))
    if not request.scope.is_manager:
        jobs = jobs.filter(uploaded_by=request.user)
    context = {"form": form, "jobs": jobs[:20], "kinds": kinds}
    return render(request, "imports/index.html", context, status=400 if form.errors else 200)


@scope_required(*IMPORT_ROLES)
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "imports/job_detail.html", {"job": job, **job_mapping_rows(job)})


@require_POST
@scope_required(*IMPORT_ROLES)
def job_remap(request, pk: int):
    """The mapping step: one select per header of the file; remembered, then checked again."""
    job = _job(request, pk)
    mapping = {
        cell["header"]: request.POST.get(f"h{cell['position']}", "")
        for cell in job.columns
        if cell["status"] != "month"
    }
    try:
        import_remap(job=job, mapping=mapping, by=request.user)
    except ImportFileError as error:
        messages.error(request, error.message)
    return redirect("imports:job_detail", pk=job.pk)


@scope_required(*IMPORT_ROLES)
def job_progress(request, pk: int):
    """Polled every second by htmx while the job runs; asks for a full reload once it stops."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_pending:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@scope_required(*IMPORT_ROLES)
def job_confirm(request, pk: int):
    job = _job(request, pk)
    try:
        import_confirm(job=job, by=request.user)
    except ImportFileError as error:
        messages.error(request, error.message)
    return redirect("imports:job_detail", pk=job.pk)


@scope_required(Role.MANAGER)
def backup_download(request):
    """Every ledger of the agency in one workbook (a sheet per kind), which imports back."""
    from .exports import agency_workbook
    from .registry import ImportContext

    context = ImportContext(agency=request.scope.agency, user=request.user, dry_run=False)
    content, _counts = agency_workbook(context, language=request.LANGUAGE_CODE)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.scope.agency.code}-ledgers.xlsx"'
    return response


@scope_required(*IMPORT_ROLES)
def template_download(request):
    """``?kind=readings`` → the kind's .xlsx template."""
    kind = request.GET.get("kind")
    if not kind:
        return redirect("imports:index")
    try:
        import_kind = get_import_kind(kind)
    except LookupError:
        raise Http404(_("No such import kind.")) from None
    if not import_kind.allows(request.scope.role):
        raise Http404(_("No such import kind."))
    response = HttpResponse(
        template_workbook(import_kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{import_kind.key}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
