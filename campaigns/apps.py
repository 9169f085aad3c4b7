"""Campaigns: publicity events and trainings, spot checks and bulletins, the creation workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Publicity & creation")

    def ready(self) -> None:
        from agencies.scoping import register_verification_models

        from . import alerts
        from .creation.models import ItemVerdict, Verification
        from .publicity import importers

        alerts.register()
        importers.register()
        register_verification_models(Verification, ItemVerdict)
