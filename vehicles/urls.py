"""URLs of the vehicles ledger."""

from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    path("", views.vehicle_list, name="index"),
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("fuel/", views.fuel_list, name="fuel_list"),
    path("fuel/new/", views.fuel_create, name="fuel_create"),
    path("fuel/<int:pk>/edit/", views.fuel_edit, name="fuel_edit"),
    path("fuel/<int:pk>/delete/", views.fuel_delete, name="fuel_delete"),
    path("fuel/<int:pk>/receipt/", views.fuel_receipt, name="fuel_receipt"),
    path("accounting/", views.accounting, name="accounting"),
]
