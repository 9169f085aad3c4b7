"""Ledger: energy and water meters, readings and bills; office consumables and paper."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Energy & water ledger")

    def ready(self) -> None:
        from . import alerts, home, indicators

        indicators.register()
        alerts.register()
        home.register()
        try:
            from imports import registry  # noqa: F401 — the shared import pipeline
        except ImportError:  # pragma: no cover — before the pipeline is merged
            return
        from . import importers

        importers.register()
