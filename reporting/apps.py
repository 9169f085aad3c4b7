from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — connects the task signals that record each job's run
        from .dashboards import home
        from .disclosures import alerts
        from .figures import lookups  # noqa: F401 — field__any_of=ids (one array parameter)
        from .targets import bases

        bases.register()  # the built-in target bases: total, per capita, per m²
        alerts.register()  # reporting's own alerts, registered like any app's
        home.register()  # the workbench: the quarter to publish, alerts, summaries
