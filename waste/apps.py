"""Waste: the waste-sorting collection ledger (GB/T 19095 categories) and hazardous hand-overs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteConfig(AppConfig):
    name = "waste"
    verbose_name = _("Waste sorting")

    def ready(self) -> None:
        from . import alerts, importers, indicators

        indicators.register()
        alerts.register()
        importers.register()
