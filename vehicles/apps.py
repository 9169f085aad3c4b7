"""Vehicles: official vehicles, dispatch orders, fuel logs, seal periods and L/100 km."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Official vehicles")

    def ready(self) -> None:
        from . import alerts, importers, indicators

        indicators.register()
        alerts.register()
        importers.register()
