"""django-tables2 tables of the waste ledger."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agencies.conventions import person_name
from agencies.tables import Table

from .models import CollectionPoint, HazardousStorage, WasteCollection


class CollectionTable(Table):
    category = tables.TemplateColumn(
        "{% load waste_tags %}{% waste_badge record.category %}", verbose_name=_("category")
    )
    weight = tables.Column(attrs={"td": {"class": "text-end"}})
    created_by = tables.Column(verbose_name=_("entered by"))
    actions = tables.TemplateColumn(
        template_name="waste/_collection_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = WasteCollection
        fields = (
            "date",
            "category",
            "weight",
            "containers",
            "company",
            "point",
            "department",
            "manifest_number",
            "note",
            "created_by",
        )
        attrs = {
            "class": "table table-sm table-hover align-middle table-numbers",
            "data-testid": "collections",
        }
        order_by = ("-date",)
        empty_text = _("No waste collections recorded yet.")

    def render_created_by(self, value):
        return person_name(value)


class StorageTable(Table):
    handover = tables.TemplateColumn(
        template_name="waste/_storage_state.html", verbose_name=_("state"), orderable=False
    )
    actions = tables.TemplateColumn(
        template_name="waste/_storage_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = HazardousStorage
        fields = ("stored_on", "kind", "weight", "pieces", "place", "department", "handover", "note")
        attrs = {"class": "table table-sm align-middle table-numbers", "data-testid": "storage"}
        order_by = ("-stored_on",)
        empty_text = _("Nothing in the hazardous store.")


class PointTable(Table):
    categories = tables.TemplateColumn(
        "{% load waste_tags %}{% for c in record.categories %}{% waste_badge c %} {% endfor %}",
        verbose_name=_("categories"),
        orderable=False,
    )
    actions = tables.TemplateColumn(
        template_name="waste/_point_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = CollectionPoint
        fields = ("name", "location", "categories", "is_active", "note")
        attrs = {"class": "table table-sm align-middle", "data-testid": "points"}
        empty_text = _("No collection points yet.")
