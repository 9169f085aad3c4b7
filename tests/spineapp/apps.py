from django.apps import AppConfig


class SpineAppConfig(AppConfig):
    name = "tests.spineapp"
    label = "spineapp"
    verbose_name = "Hauls (test app)"

    def ready(self) -> None:
        from . import plugin

        plugin.register()
