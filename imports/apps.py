from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Excel import")

    def ready(self) -> None:
        from . import checks  # noqa: F401 — registers the defusedxml start-up check
        from . import home as home_page
        from .kinds import register_builtin_kinds

        register_builtin_kinds()
        home_page.register()
