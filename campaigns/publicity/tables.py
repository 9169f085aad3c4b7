"""django-tables2 tables of publicity events."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agencies.tables import Table

from .models import Event


class EventTable(Table):
    title = tables.LinkColumn("campaigns:event_detail", args=[tables.A("pk")])
    channels = tables.TemplateColumn(
        "{{ record.channel_labels|join:'、' }}", verbose_name=_("channels"), orderable=False
    )
    files = tables.Column(verbose_name=_("files"), accessor="file_count", orderable=False)

    class Meta:
        model = Event
        fields = ("date", "kind", "title", "channels", "participants", "department", "files")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "events"}
        order_by = ("-date",)
        empty_text = _("No events recorded for this year.")
