"""Pages of the waste ledger: collections, points, the hazardous store, the monthly display."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.conventions import unit_label
from agencies.models import Role
from agencies.scoping import scope_required
from ledger.uploads import upload_response

from . import queries, services
from .categories import WasteCategory, category_styles
from .filters import CollectionFilter
from .forms import CollectionForm, HandoverForm, MonthForm, PointForm, StorageForm, form_errors
from .models import CollectionPoint, WasteCollection
from .tables import CollectionTable, PointTable, StorageTable

WRITERS = (Role.CLERK, Role.MANAGER)


def _collections(scope):
    return scope.filter(WasteCollection.objects, department_field="department")


def palette_json() -> list[dict]:
    """The categories with their names and colours, for the page's charts and legends."""
    return [{"key": s.key, "name": s.label, "colour": s.colour} for s in category_styles()]


@scope_required()
def collection_list(request):
    rows = _collections(request.scope).select_related("department", "point", "created_by")
    filterset = CollectionFilter(request.GET, queryset=rows, scope=request.scope)
    table = CollectionTable(filterset.qs, request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    sums = dict(filterset.qs.order_by().values_list("category").annotate(kg=Sum("weight")))
    totals = [(style, sums.get(style.key)) for style in category_styles()]
    context = {"table": table, "filter": filterset, "totals": totals, "palette": palette_json()}
    return render(request, "waste/collection_list.html", context)


def _collection_form(request, collection=None):
    form = CollectionForm(
        request.POST or None, request.FILES or None, instance=collection, scope=request.scope
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.collection_record(
                scope=request.scope,
                date=data["date"],
                category=data["category"],
                weight=data["weight"],
                company=data["company"],
                containers=data["containers"],
                point=data["point"],
                department=data["department"],
                licence_number=data["licence_number"],
                manifest_number=data["manifest_number"],
                note=data["note"],
                photo=request.FILES.get("photo"),
                collection=collection,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Waste collection saved."))
            return redirect("waste:collection_list")
    context = {"form": form, "collection": collection, "palette": palette_json()}
    return render(request, "waste/collection_form.html", context)


@scope_required(*WRITERS)
def collection_create(request):
    return _collection_form(request)


@scope_required(*WRITERS)
def collection_edit(request, pk):
    return _collection_form(request, get_object_or_404(_collections(request.scope), pk=pk))


@require_POST
@scope_required(*WRITERS)
def collection_delete(request, pk):
    collection = get_object_or_404(_collections(request.scope), pk=pk)
    try:
        services.collection_delete(scope=request.scope, collection=collection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Waste collection deleted."))
    return redirect("waste:collection_list")


@scope_required()
def collection_photo(request, pk):
    return upload_response(get_object_or_404(_collections(request.scope), pk=pk).photo)


# --- collection points ----------------------------------------------------------------------------


@scope_required()
def point_list(request):
    table = PointTable(request.scope.filter(CollectionPoint.objects), request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "waste/point_list.html", {"table": table, "palette": palette_json()})


@scope_required(Role.MANAGER)
def point_edit(request, pk=None):
    point = get_object_or_404(request.scope.filter(CollectionPoint.objects), pk=pk) if pk else None
    form = PointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_save(scope=request.scope, point=form.save(commit=False))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Collection point saved."))
            return redirect("waste:point_list")
    return render(request, "waste/point_form.html", {"form": form, "point": point})


point_create = point_edit


# --- the hazardous store and hand-overs ----------------------------------------------------------


@scope_required()
def storage_list(request):
    lots = queries.storage_for(request.scope).select_related("department", "handover")
    table = StorageTable(lots, request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    weight, count = queries.in_store(lots)
    context = {"table": table, "in_store_weight": weight, "in_store_lots": count, "palette": palette_json()}
    context["hazardous"] = WasteCategory.HAZARDOUS
    return render(request, "waste/storage_list.html", context)


@scope_required(*WRITERS)
def storage_edit(request, pk=None):
    lot = get_object_or_404(queries.storage_for(request.scope), pk=pk) if pk else None
    form = StorageForm(request.POST or None, instance=lot, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.storage_record(
                scope=request.scope,
                stored_on=data["stored_on"],
                kind=data["kind"],
                weight=data["weight"],
                pieces=data["pieces"],
                place=data["place"],
                department=data["department"],
                note=data["note"],
                lot=lot,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Lot saved in the hazardous storage log."))
            return redirect("waste:storage_list")
    return render(request, "waste/storage_form.html", {"form": form, "lot": lot})


storage_create = storage_edit


@scope_required(*WRITERS)
def handover_create(request):
    form = HandoverForm(request.POST or None, request.FILES or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hazardous_handover(
                scope=request.scope,
                date=data["date"],
                lots=list(data["lots"]),
                weight=data["weight"],
                containers=data["containers"],
                company=data["company"],
                licence_number=data["licence_number"],
                manifest_number=data["manifest_number"],
                department=data["department"],
                note=data["note"],
                photo=request.FILES.get("photo"),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Hand-over to the licensed disposer recorded."))
            return redirect("waste:storage_list")
    context = {"form": form, "palette": palette_json(), "hazardous": WasteCategory.HAZARDOUS}
    return render(request, "waste/handover_form.html", context)


# --- the monthly display (定期公示垃圾清运量) -------------------------------------------------------


def _display(request):
    month = MonthForm(request.GET).month_or(timezone.localdate().replace(day=1))
    return month, queries.display(agency_id=request.scope.agency.pk, month=month)


def _handovers(request, month):
    hazardous = (
        request.scope.filter(WasteCollection.objects)
        .filter(
            category=WasteCategory.HAZARDOUS,
            date__year=month.year,
            date__month=month.month,
        )
        .order_by("date", "pk")
    )
    return list(hazardous.values_list("company", "manifest_number"))


@scope_required()
def display(request):
    month, data = _display(request)
    chart = {
        "months": [f"{m:%Y-%m}" for m in data.trend_months],
        "unit": unit_label("kg"),
        "series": [
            {
                "key": row.key,
                "name": row.label,
                "colour": row.colour,
                "data": [float(v) for v in data.trend[row.key]],
            }
            for row in data.rows
        ],
        "month": [
            {"key": row.key, "name": row.label, "colour": row.colour, "value": float(row.month)}
            for row in data.rows
        ],
    }
    context = {"d": data, "chart": chart, "palette": palette_json(), "handovers": _handovers(request, month)}
    return render(request, "waste/display.html", context)


@scope_required()
def display_pdf(request):
    from .pdf import display_pdf as render_pdf

    month, data = _display(request)
    pdf = render_pdf(
        display=data,
        office=request.scope.agency.name,
        handovers=_handovers(request, month),
        day=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{request.scope.agency.code}-waste-{month:%Y-%m}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@scope_required()
def export(request):
    """The collections the user may see, as .xlsx with the import's headers (imports back unchanged)."""
    from imports.exports import kind_workbook
    from imports.registry import ImportContext, get_import_kind

    scope = request.scope
    context = ImportContext(
        agency=scope.agency, user=scope.user, dry_run=False, departments=scope.department_ids
    )
    content = kind_workbook(get_import_kind("waste"), context, language=request.LANGUAGE_CODE)
    return xlsx_response(content, f"{scope.agency.code}-waste.xlsx")
