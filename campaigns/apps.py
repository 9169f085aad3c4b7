"""Campaigns: publicity events and trainings, spot checks and bulletins, the creation workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Publicity & creation")

    def ready(self) -> None:
        from . import alerts
        from .publicity import importers

        alerts.register()
        importers.register()
