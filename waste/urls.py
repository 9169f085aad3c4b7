"""URLs of the waste ledger."""

from django.urls import path

from . import views

app_name = "waste"

urlpatterns = [
    path("", views.collection_list, name="index"),
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("collections/<int:pk>/photo/", views.collection_photo, name="collection_photo"),
    path("points/", views.point_list, name="point_list"),
    path("points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("storage/", views.storage_list, name="storage_list"),
    path("storage/new/", views.storage_create, name="storage_create"),
    path("storage/<int:pk>/edit/", views.storage_edit, name="storage_edit"),
    path("storage/handover/", views.handover_create, name="handover_create"),
    path("export/", views.export, name="export"),
    path("display/", views.display, name="display"),
    path("display.pdf", views.display_pdf, name="display_pdf"),
]
