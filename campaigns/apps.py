"""Campaigns: publicity events and trainings, spot checks and bulletins, the creation workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Publicity & creation")

    def ready(self) -> None:
        from agencies.conventions import register_unit
        from agencies.scoping import register_verification_models

        from . import alerts
        from .creation.models import ItemVerdict, Verification
        from .energy import indicators as energy
        from .publicity import importers

        alerts.register()
        importers.register()
        register_unit("tCO₂", pgettext_lazy("unit", "tCO₂"))  # 吨二氧化碳
        energy.register()
        register_verification_models(Verification, ItemVerdict)
