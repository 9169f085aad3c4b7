"""django-tables2 tables of the vehicles ledger."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.conventions import person_name
from agencies.tables import Table

from .models import DispatchOrder, FuelLog, Station, Vehicle


class VehicleTable(Table):
    plate = tables.TemplateColumn(
        "<a href=\"{% url 'vehicles:vehicle_detail' record.pk %}\">{{ record.plate }}</a>",
        verbose_name=_("plate number"),
    )
    standard = tables.TemplateColumn(
        "{% load conventions %}{{ record.standard|number:2 }} {{ record.rate_unit|unit }}",
        attrs={"td": {"class": "text-end"}},
    )
    status = tables.Column(verbose_name=_("status"), accessor="get_status_display", orderable=False)
    actions = tables.TemplateColumn(
        template_name="vehicles/_vehicle_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = Vehicle
        fields = (
            "plate",
            "make_model",
            "fuel_type",
            "new_energy",
            "standard",
            "department",
            "in_use_from",
            "status",
            "sealed_from",
            "retired_on",
        )
        attrs = {"class": "table table-sm table-hover align-middle table-numbers", "data-testid": "vehicles"}
        empty_text = _("No vehicles registered yet.")


class FuelLogTable(Table):
    vehicle = tables.Column(verbose_name=_("vehicle"), accessor="vehicle__plate")
    quantity = tables.TemplateColumn(
        "{{ record.quantity }} {% load conventions %}{{ record.unit|unit }}",
        verbose_name=pgettext_lazy("fuel log", "quantity"),
        attrs={"td": {"class": "text-end"}},
    )
    amount = tables.Column(attrs={"td": {"class": "text-end"}})
    full = tables.BooleanColumn(verbose_name=_("filled up"))
    station = tables.TemplateColumn(template_name="vehicles/_station_cell.html", verbose_name=_("station"))
    created_by = tables.Column(verbose_name=_("entered by"))
    actions = tables.TemplateColumn(
        template_name="vehicles/_fuel_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = FuelLog
        fields = (
            "date",
            "vehicle",
            "grade",
            "quantity",
            "unit_price",
            "amount",
            "odometer",
            "full",
            "station",
            "fuel_card",
            "note",
            "created_by",
        )
        attrs = {"class": "table table-sm table-hover align-middle table-numbers", "data-testid": "fuel-logs"}
        order_by = ("-date",)
        empty_text = _("No fuel logs recorded yet.")

    def render_created_by(self, value):
        return person_name(value)


class StationTable(Table):
    actions = tables.TemplateColumn(
        template_name="vehicles/_station_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = Station
        fields = ("name", "address", "is_active")
        attrs = {"class": "table table-sm align-middle", "data-testid": "stations"}
        empty_text = _("No designated stations listed yet.")


class DispatchTable(Table):
    vehicle = tables.Column(verbose_name=_("vehicle"), accessor="vehicle__plate")
    distance = tables.Column(verbose_name=_("km"), orderable=False, attrs={"td": {"class": "text-end"}})
    actions = tables.TemplateColumn(
        template_name="vehicles/_dispatch_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = DispatchOrder
        fields = (
            "number",
            "status",
            "planned_start",
            "planned_end",
            "department",
            "applicant",
            "destination",
            "purpose",
            "passengers",
            "vehicle",
            "driver",
            "distance",
        )
        attrs = {
            "class": "table table-sm table-hover align-middle table-numbers",
            "data-testid": "dispatches",
        }
        order_by = ("-planned_start",)
        empty_text = _("No dispatch orders yet.")
