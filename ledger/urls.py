"""URLs of the energy and water ledger."""

from django.urls import include, path

from . import views

app_name = "ledger"

urlpatterns = [
    path("meters/", views.meter_list, name="meter_list"),
    path("meters/new/", views.meter_create, name="meter_create"),
    path("meters/<int:pk>/", views.meter_detail, name="meter_detail"),
    path("meters/<int:pk>/edit/", views.meter_edit, name="meter_edit"),
    path("meters/<int:meter_pk>/readings/new/", views.reading_add, name="reading_add"),
    path("readings/<int:pk>/edit/", views.reading_edit, name="reading_edit"),
    path("readings/<int:pk>/review/", views.reading_review, name="reading_review"),
    path("round/", views.round_page, name="round"),
    path("round/preview/", views.round_preview, name="round_preview"),
    path("bills/", views.bill_list, name="bill_list"),
    path("bills/new/", views.bill_create, name="bill_create"),
    path("export/", views.export, name="export"),
    path("vouchers/<str:kind>/<int:pk>/", views.voucher, name="voucher"),
    path("consumables/", include("ledger.consumables.urls")),
]
