"""Pages of the ledger: meters, the monthly round (抄表), readings, bills and vouchers."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.models import Role
from agencies.params import CONTROL_CHARACTERS, CONTROL_MESSAGE, date_param, decimal_param
from agencies.scoping import scope_required

from . import queries, services
from .filters import BillFilter, MeterFilter
from .forms import BillForm, MeterForm, ReadingForm
from .models import Bill, Meter, Reading, ReadingEvent
from .tables import BillTable, MeterTable, ReadingTable
from .uploads import upload_response

WRITERS = (Role.CLERK, Role.MANAGER)


def _meters(scope):
    return scope.filter(Meter.objects, department_field="department")


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@scope_required()
def meter_list(request):
    meters = _meters(request.scope).select_related("department", "parent")
    filterset = MeterFilter(request.GET, queryset=meters, scope=request.scope)
    table = MeterTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "ledger/meter_list.html", {"table": table, "filter": filterset})


@scope_required()
def meter_detail(request, pk):
    meter = get_object_or_404(_meters(request.scope).select_related("department", "parent"), pk=pk)
    readings = ReadingTable(meter.readings.select_related("created_by"), request=request)
    RequestConfig(request, paginate={"per_page": 24}).configure(readings)
    monthly = queries.meter_monthly(meter)
    chart = {"months": [f"{m:%Y-%m}" for m, _v in monthly], "values": [float(v) for _m, v in monthly]}
    context = {"meter": meter, "readings": readings, "monthly": monthly, "chart": chart}
    context["history"] = queries.meter_history(meter)
    return render(request, "ledger/meter_detail.html", context)


@scope_required(Role.MANAGER)
def meter_create(request, pk=None):
    meter = get_object_or_404(_meters(request.scope), pk=pk) if pk else None
    form = MeterForm(request.POST or None, instance=meter, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            meter = services.meter_save(scope=request.scope, meter=form.instance)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Meter %(meter)s saved.") % {"meter": meter})
            return redirect("ledger:meter_detail", pk=meter.pk)
    return render(request, "ledger/meter_form.html", {"form": form, "meter": meter})


meter_edit = meter_create


def _reading_form(request, meter, reading=None):
    form = ReadingForm(request.POST or None, request.FILES or None, instance=reading)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reading_record(
                scope=request.scope,
                meter=meter,
                date=data["date"],
                value=data["value"],
                event=data["event"],
                estimated=data["estimated"],
                confirm_abnormal=data["confirm_abnormal"],
                note=data["note"],
                voucher=request.FILES.get("voucher"),
                reading=reading,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Reading saved."))
            return redirect("ledger:meter_detail", pk=meter.pk)
    return render(request, "ledger/reading_form.html", {"form": form, "meter": meter, "reading": reading})


@scope_required(*WRITERS)
def reading_add(request, meter_pk):
    return _reading_form(request, get_object_or_404(_meters(request.scope), pk=meter_pk))


@scope_required(*WRITERS)
def reading_edit(request, pk):
    readings = Reading.objects.filter(meter__in=_meters(request.scope)).select_related("meter")
    reading = get_object_or_404(readings, pk=pk)
    return _reading_form(request, reading.meter, reading)


@require_POST
@scope_required(Role.MANAGER)
def reading_review(request, pk):
    reading = get_object_or_404(Reading.objects.filter(meter__in=_meters(request.scope)), pk=pk)
    services.reading_review(scope=request.scope, reading=reading)
    messages.success(request, _("Marked as reviewed."))
    return redirect("ledger:meter_detail", pk=reading.meter_id)


def _parse_round(
    post, files, rows
) -> tuple[list[services.RoundEntry], dict[int, dict[str, str]], date | None]:
    errors: dict[int, dict[str, str]] = {}
    day = date_param(post.get("date"))
    if day is None:
        return [], errors, None
    entries = []
    for row in rows:
        pk = row.meter.pk
        row.value = post.get(f"value-{pk}", "").strip().replace(",", "")
        row.event = post.get(f"event-{pk}", ReadingEvent.NORMAL)
        row.estimated, row.confirm = bool(post.get(f"estimated-{pk}")), bool(post.get(f"confirm-{pk}"))
        row.note = post.get(f"note-{pk}", "")[:200]
        photo = files.get(f"photo-{pk}")
        if not row.value:
            if photo:
                errors[pk] = {"value": _("Type the reading the photo shows.")}
            continue
        value = decimal_param(row.value)
        if value is None:
            errors[pk] = {"value": _("Enter a number.")}
            continue
        if CONTROL_CHARACTERS.search(row.note):
            errors[pk] = {"note": CONTROL_MESSAGE}
            continue
        if row.event not in ReadingEvent.values:
            row.event = ReadingEvent.NORMAL
        entries.append(
            services.RoundEntry(pk, day, value, row.event, row.estimated, row.confirm, row.note, photo)
        )
    return entries, errors, day


# Meters per page of the round. Each row posts three fields (reading, event, note) and Django
# refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): one form for every meter
# broke at about 330. Pages follow the department order, and each page is saved all-or-nothing.
ROUND_PAGE_SIZE = 100


@scope_required(*WRITERS)
def round_page(request):
    day = services.today()
    if request.method == "POST":
        day = _parse_date(request.POST.get("date")) or day
    elif request.GET.get("date"):  # a month missed earlier, from the home page's to-do
        day = min(_parse_date(request.GET["date"]) or day, day)
    every_row = queries.round_rows(_meters(request.scope), day.replace(day=1))
    page = Paginator(every_row, ROUND_PAGE_SIZE).get_page(request.POST.get("page") or request.GET.get("page"))
    rows = list(page.object_list)
    context = {"rows": rows, "day": day, "today": services.today(), "events": ReadingEvent.choices}
    context.update(page=page, pages=_round_pages(page.paginator), round_error="")
    if request.method == "POST":
        entries, errors, parsed = _parse_round(request.POST, request.FILES, rows)
        try:
            if parsed is None:
                raise services.RoundInvalid({}, _("Enter the reading date."))
            if errors:
                raise services.RoundInvalid(errors)
            saved = services.round_save(scope=request.scope, entries=entries)
        except services.RoundInvalid as invalid:
            context["round_error"] = invalid.messages[0]
            for row in rows:
                row.errors, row.usage = invalid.row_errors.get(row.meter.pk), invalid.usages.get(row.meter.pk)
        except ValidationError as error:
            context["round_error"] = " ".join(error.messages)
        else:
            messages.success(
                request,
                ngettext("%(count)d reading saved.", "%(count)d readings saved.", len(saved))
                % {"count": len(saved)},
            )
            if page.paginator.num_pages > 1:
                return redirect(f"{reverse('ledger:round')}?page={page.number}")
            return redirect("ledger:round")
    context["missing"] = sum(1 for row in every_row if not row.read_this_month)
    return render(request, "ledger/round.html", context)


def _round_pages(paginator: Paginator) -> list[dict]:
    """Each page of the round with the departments on it, for the pager."""
    if paginator.num_pages < 2:
        return []
    pages = []
    for number in paginator.page_range:
        rows = paginator.page(number).object_list
        first, last = rows[0].meter.department, rows[-1].meter.department
        names = [str(d) for d in dict.fromkeys([first, last]) if d is not None]
        pages.append({"number": number, "departments": " – ".join(names)})
    return pages


def _parse_date(text):
    return date_param(text)  # a date of the portal's calendar, else None (#10.6)


@require_POST
@scope_required(*WRITERS)
def round_preview(request):
    """htmx: the usage (or the problem) of one row of the round as the clerk types."""
    post, pk = request.POST, request.POST.get("meter", "")
    meter = _meters(request.scope).filter(pk=int(pk) if pk.isdigit() else 0).first()
    # htmx sends the whole round form: this row's fields are suffixed with the meter's id.
    raw = (post.get(f"value-{pk}") or post.get("value", "")).strip().replace(",", "")
    day, context = _parse_date(post.get("date")), {"meter": meter}
    if meter is not None and day is not None and raw:
        value = decimal_param(raw)
        if value is None:
            context["errors"] = {"value": _("Enter a number.")}
        else:
            event = post.get(f"event-{pk}") or post.get("event") or ReadingEvent.NORMAL
            confirm = bool(post.get(f"confirm-{pk}") or post.get("confirm"))
            check = services.round_preview(
                meter=meter, day=day, value=value, event=event, confirm_abnormal=confirm
            )
            context.update(errors=check.errors, usage=check.usage, abnormal=check.abnormal)
    return render(request, "ledger/_round_usage.html", context)


@scope_required()
def bill_list(request):
    bills = Bill.objects.filter(meter__in=_meters(request.scope)).select_related("meter", "created_by")
    filterset = BillFilter(request.GET, queryset=bills, meters=_meters(request.scope))
    table = BillTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "ledger/bill_list.html", {"table": table, "filter": filterset})


@scope_required(*WRITERS)
def bill_create(request):
    form = BillForm(request.POST or None, request.FILES or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bill_record(
                scope=request.scope,
                meter=data["meter"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                quantity=data["quantity"],
                amount=data["amount"],
                invoice_number=data["invoice_number"],
                note=data["note"],
                voucher=request.FILES.get("voucher"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Bill saved."))
            return redirect("ledger:bill_list")
    return render(request, "ledger/bill_form.html", {"form": form})


@scope_required()
def export(request):
    """The meters, readings or bills the user may see, as .xlsx with the import's headers."""
    from django.http import HttpResponse

    from .exports import EXPORTED_KINDS, ledger_workbook

    kind = request.GET.get("kind", "meters")
    if kind not in EXPORTED_KINDS:
        kind = "meters"
    content = ledger_workbook(kind, scope=request.scope, language=request.LANGUAGE_CODE)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.scope.agency.code}-{kind}.xlsx"'
    return response


@scope_required()
def voucher(request, kind, pk):
    """A reading's or bill's voucher (photo or PDF), only to people who may see the meter."""
    model = {"reading": Reading, "bill": Bill}.get(kind)
    if model is None:
        raise Http404
    row = get_object_or_404(model.objects.filter(meter__in=_meters(request.scope)), pk=pk)
    return upload_response(row.voucher)
