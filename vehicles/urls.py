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

urlpatterns += [
    path("dispatch/", views.dispatch_list, name="dispatch_list"),
    path("dispatch/new/", views.dispatch_create, name="dispatch_create"),
    path("dispatch/<int:pk>/edit/", views.dispatch_edit, name="dispatch_edit"),
    path("dispatch/<int:pk>/approve/", views.dispatch_approve, name="dispatch_approve"),
    path("dispatch/<int:pk>/complete/", views.dispatch_complete, name="dispatch_complete"),
    path("dispatch/<int:pk>/cancel/", views.dispatch_cancel, name="dispatch_cancel"),
    path("dispatch/pooling/", views.pooling, name="pooling"),
    path("sealed/", views.seal_list, name="seal_list"),
    path("sealed/new/", views.seal_create, name="seal_create"),
    path("sealed/<int:pk>/edit/", views.seal_edit, name="seal_edit"),
    path("sealed/violations/", views.violations_list, name="violations"),
]

urlpatterns += [
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("accounting/export/", views.accounting_export, name="accounting_export"),
]
