from django.urls import path  # noqa: F401 — patterns arrive with this module's issue

app_name = "vehicles"

urlpatterns: list = []
