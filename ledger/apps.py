"""Ledger: energy and water meters, readings and bills; office consumables and paper."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Energy & water ledger")

    def ready(self) -> None:
        from . import alerts, home, indicators
        from .consumables import alerts as consumables_alerts
        from .consumables import indicators as consumables_indicators

        indicators.register()
        alerts.register()
        home.register()
        consumables_indicators.register()
        consumables_alerts.register()
        try:
            from imports import registry  # noqa: F401 — the shared import pipeline
        except ImportError:  # pragma: no cover — before the pipeline is merged
            return
        from . import importers
        from .consumables import importers as consumables_importers

        importers.register()
        consumables_importers.register()
