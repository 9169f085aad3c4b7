"""URLs of office consumables, included by ``ledger/urls.py`` in the ``ledger`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.stock, name="consumables"),
    path("items/new/", views.item_edit, name="consumables_item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="consumables_item_edit"),
    path("purchases/", views.purchase_list, name="consumables_purchases"),
    path("purchases/new/", views.purchase_create, name="consumables_purchase_create"),
    path("requisitions/", views.requisition_list, name="consumables_requisitions"),
    path("requisitions/new/", views.requisition_create, name="consumables_requisition_create"),
    path("paper/", views.paper_list, name="consumables_paper"),
    path("paper/new/", views.paper_create, name="consumables_paper_create"),
    path("expenses/", views.expense_list, name="consumables_expenses"),
    path("expenses/new/", views.expense_create, name="consumables_expense_create"),
    path("expenses/month/", views.expense_month, name="consumables_expense_month"),
    path("sections/", views.sections, name="consumables_sections"),
    path("export/", views.export, name="consumables_export"),
    path("vouchers/<str:kind>/<int:pk>/", views.voucher, name="consumables_voucher"),
]
