"""Pages of office consumables: stock, catalogue, purchases, requisitions, paper, running costs and
the per-section consumption year on year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.scoping import scope_required
from ledger.uploads import upload_response

from . import queries, services
from .exports import expense_pdf, expense_workbook
from .forms import ExpenseForm, ItemForm, MonthForm, PaperForm, PurchaseForm, RequisitionForm, YearForm
from .models import Expense, Item, PaperUse, Purchase, Requisition

WRITERS = (Role.CLERK, Role.MANAGER)
LIST_LIMIT = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save(request, form, write, *, success: str, to: str, template: str, context=None):
    """Validate ``form``, call the service ``write(data)``; errors go back onto the form."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(to)
    return render(request, template, {"form": form, **(context or {})})


def _items(scope):
    return scope.filter(Item.objects)


# --- stock and catalogue -------------------------------------------------------------------------


@scope_required()
def stock(request):
    items = _items(request.scope)
    below = request.GET.get("below") == "1"
    if below:
        items = items.filter(stock__lt=F("reorder_level"), is_active=True)
    return render(request, "ledger/consumables/stock.html", {"items": items, "below": below})


@scope_required(Role.MANAGER)
def item_edit(request, pk=None):
    item = get_object_or_404(_items(request.scope), pk=pk) if pk else None
    form = ItemForm(request.POST or None, instance=item)

    def write(data):
        services.item_save(scope=request.scope, item=form.instance)

    return _save(
        request, form, write, success=_("Item saved."), to="ledger:consumables",
        template="ledger/consumables/form.html", context={"title": _("Catalogue item")},
    )  # fmt: skip


# --- purchases ----------------------------------------------------------------------------------


@scope_required()
def purchase_list(request):
    purchases = Purchase.objects.filter(item__in=_items(request.scope)).select_related("item")[:LIST_LIMIT]
    return render(request, "ledger/consumables/purchase_list.html", {"purchases": purchases})


@scope_required(Role.MANAGER)
def purchase_create(request):
    form = PurchaseForm(request.POST or None, request.FILES or None, scope=request.scope)

    def write(data):
        services.purchase_record(
            scope=request.scope, voucher=request.FILES.get("voucher"),
            **{k: v for k, v in data.items() if k != "voucher"},
        )  # fmt: skip

    return _save(
        request, form, write, success=_("Purchase saved."), to="ledger:consumables_purchases",
        template="ledger/consumables/form.html", context={"title": _("New purchase"), "multipart": True},
    )  # fmt: skip


# --- requisitions -------------------------------------------------------------------------------


@scope_required()
def requisition_list(request):
    rows = request.scope.filter(
        Requisition.objects, agency_field="item__agency", department_field="department"
    )
    rows = rows.select_related("item", "department", "issued_by")[:LIST_LIMIT]
    return render(request, "ledger/consumables/requisition_list.html", {"requisitions": rows})


@scope_required(*WRITERS)
def requisition_create(request):
    form = RequisitionForm(
        request.POST or None,
        scope=request.scope,
        initial={"requested_by": request.user.get_full_name() or request.user.username},
    )

    def write(data):
        services.requisition_record(scope=request.scope, **data)

    return _save(
        request, form, write, success=_("Requisition saved."), to="ledger:consumables_requisitions",
        template="ledger/consumables/form.html", context={"title": _("New requisition")},
    )  # fmt: skip


# --- paper --------------------------------------------------------------------------------------


@scope_required()
def paper_list(request):
    rows = request.scope.filter(
        PaperUse.objects, agency_field="department__agency", department_field="department"
    )
    return render(
        request,
        "ledger/consumables/paper_list.html",
        {"rows": rows.select_related("department")[:LIST_LIMIT]},
    )


@scope_required(*WRITERS)
def paper_create(request):
    form = PaperForm(request.POST or None, scope=request.scope)

    def write(data):
        services.paper_record(scope=request.scope, **data)

    return _save(
        request, form, write, success=_("Paper use saved."), to="ledger:consumables_paper",
        template="ledger/consumables/form.html", context={"title": _("Paper registration")},
    )  # fmt: skip


# --- running costs ------------------------------------------------------------------------------


@scope_required()
def expense_list(request):
    rows = request.scope.filter(Expense.objects, department_field="department").select_related("department")
    return render(request, "ledger/consumables/expense_list.html", {"rows": rows[:LIST_LIMIT]})


@scope_required(*WRITERS)
def expense_create(request):
    form = ExpenseForm(request.POST or None, request.FILES or None, scope=request.scope)

    def write(data):
        services.expense_record(
            scope=request.scope, voucher=request.FILES.get("voucher"),
            **{k: v for k, v in data.items() if k != "voucher"},
        )  # fmt: skip

    return _save(
        request, form, write, success=_("Expense saved."), to="ledger:consumables_expenses",
        template="ledger/consumables/form.html", context={"title": _("New expense"), "multipart": True},
    )  # fmt: skip


def _month_table(request):
    form = MonthForm(request.GET or {"month": services.today().strftime("%Y-%m")})
    month = form.cleaned_data["month"] if form.is_valid() else services.today().replace(day=1)
    table = queries.expense_table(
        agency=request.scope.agency, month=month, agency_wide_label=_("Agency-wide"), total_label=_("Total")
    )
    return form, table


@scope_required()
def expense_month(request):
    """The monthly per-section table the office posts; ``?format=pdf|xlsx`` gives it to print."""
    form, table = _month_table(request)
    agency = request.scope.agency
    fmt = request.GET.get("format")
    name = f"{agency.code}-running-costs-{table.month:%Y-%m}"
    if fmt == "pdf":
        footer = _("%(agency)s, compiled on %(day)s") % {
            "agency": agency.name,
            "day": services.today().isoformat(),
        }
        content = expense_pdf(agency_name=agency.name, table=table, footer=footer)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(expense_workbook(agency_name=agency.name, table=table), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return render(request, "ledger/consumables/expense_month.html", {"form": form, "table": table})


# --- per-section consumption, year on year ------------------------------------------------------


@scope_required()
def sections(request):
    today = services.today()
    form = YearForm(request.GET or {"year": today.year, "through": today.month})
    year, through = today.year, today.month
    if form.is_valid():
        year = form.cleaned_data["year"]
        through = form.cleaned_data["through"] or (today.month if year == today.year else 12)
    rows = queries.section_consumption(
        departments=request.scope.departments(),
        year=year,
        through=through,
        with_total=request.scope.department_ids is None,
    )
    return render(
        request,
        "ledger/consumables/sections.html",
        {"form": form, "rows": rows, "year": year, "through": through},
    )


EXPORT_KINDS = ("items", "purchases", "requisitions", "paper", "expenses")


@scope_required()
def export(request):
    """A consumables ledger as .xlsx through its import kind's export: ``?kind=items|purchases|…``
    (a clerk's: their sections' rows); it imports back unchanged."""
    from imports.exports import kind_workbook
    from imports.registry import ImportContext, get_import_kind

    kind = request.GET.get("kind") if request.GET.get("kind") in EXPORT_KINDS else "items"
    scope = request.scope
    context = ImportContext(
        agency=scope.agency, user=request.user, dry_run=False, departments=scope.department_ids
    )
    content = kind_workbook(get_import_kind(kind), context, language=request.LANGUAGE_CODE)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{scope.agency.code}-{kind}.xlsx"'
    return response


@scope_required()
def voucher(request, kind, pk):
    """A purchase's or expense's voucher (photo or PDF), only to people who may see the row."""
    if kind == "purchase":
        rows = Purchase.objects.filter(item__in=_items(request.scope))
    elif kind == "expense":
        rows = request.scope.filter(Expense.objects, department_field="department")
    else:
        raise Http404
    return upload_response(get_object_or_404(rows, pk=pk).voucher)
