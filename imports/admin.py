"""Django admin: the audit trail of imports, and an upload page that goes through the same services."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency

from .forms import ImportUploadForm
from .models import ImportJob, ImportMapping, ImportStatus
from .reader import ImportFileError
from .services import import_confirm, import_job_create, import_start


class AdminImportForm(ImportUploadForm):
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.all())

    field_order = ["agency", "kind", "file", "dry_run"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "original_filename",
        "agency",
        "kind",
        "status",
        "new_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "dry_run", "agency"]
    search_fields = ["original_filename", "agency__name", "agency__code"]
    actions = ["confirm_jobs"]
    change_list_template = "admin/imports/importjob/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # uploads go through the upload page below

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="imports_importjob_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        form = AdminImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            job = import_job_create(
                agency=data["agency"],
                kind=data["kind"],
                upload=data["file"],
                filename=data["file"].name,
                by=request.user,
                dry_run=data["dry_run"],
            )
            job = import_start(job=job)
            self.message_user(
                request, _("Uploaded; status: %(status)s.") % {"status": job.get_status_display()}
            )
            return redirect(reverse("admin:imports_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload a ledger"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/imports/importjob/upload.html", context)

    @admin.action(description=gettext_lazy("Confirm and write the selected validated imports"))
    def confirm_jobs(self, request, queryset):
        for job in queryset.filter(status=ImportStatus.VALIDATED, dry_run=False):
            try:
                job = import_confirm(job=job, by=request.user)
            except ImportFileError as error:
                self.message_user(request, f"{job}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{job}: {job.message or job.get_status_display()}")


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """The column choices managers made for their ledgers' layouts (delete one to be asked again)."""

    list_display = ["agency", "kind", "__str__", "updated_by", "updated_at"]
    list_filter = ["kind", "agency"]
    readonly_fields = ["signature", "headers", "updated_by", "updated_at"]
