"""Consumables pages through their URLs: a clerk's own section, the stock page, the posted table."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ledger.consumables.models import Item, Purchase, Requisition
from tests.ledger.consumables_factories import (
    ExpenseFactory,
    ItemFactory,
    PurchaseFactory,
    RequisitionFactory,
)
from tests.pdfs import assert_every_font_embedded, missing_glyphs


@pytest.fixture
def stocked(agency):
    return ItemFactory(
        agency=agency, code="A4", name="A4复印纸", unit="包", stock=Decimal(20), stock_value=Decimal(500)
    )


def _requisition(department, item, quantity="2"):
    return {
        "department": department.pk,
        "item": item.pk,
        "date": "2020-03-10",
        "quantity": quantity,
        "requested_by": "王祥凤",
        "note": "",
    }


def test_a_clerk_requisitions_for_their_own_section(login, clerk, department, stocked):
    response = login(clerk).post(
        reverse("ledger:consumables_requisition_create"), _requisition(department, stocked)
    )
    assert response.status_code == 302
    requisition = Requisition.objects.get()
    assert (requisition.department, requisition.issued_by, requisition.quantity) == (
        department,
        clerk,
        Decimal(2),
    )
    stocked.refresh_from_db()
    assert stocked.stock == Decimal(18)


def test_a_clerk_cannot_requisition_for_another_section(login, clerk, other_department, stocked):
    client = login(clerk)
    form = client.get(reverse("ledger:consumables_requisition_create")).context["form"]
    assert other_department not in form.fields["department"].queryset
    response = client.post(
        reverse("ledger:consumables_requisition_create"), _requisition(other_department, stocked)
    )
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert not Requisition.objects.exists()


def test_an_issue_beyond_stock_shows_the_stock_on_hand_on_the_form(login, manager, department, stocked):
    response = login(manager).post(
        reverse("ledger:consumables_requisition_create"), _requisition(department, stocked, "21")
    )
    assert response.status_code == 200
    assert "20 包" in response.context["form"].errors["quantity"][0]
    assert not Requisition.objects.exists()


def test_a_clerk_sees_only_their_sections_requisitions(login, clerk, department, other_department, stocked):
    RequisitionFactory(item=stocked, department=department, requested_by="本科室")
    RequisitionFactory(item=stocked, department=other_department, requested_by="别的科室")
    content = login(clerk).get(reverse("ledger:consumables_requisitions")).content.decode()
    assert "本科室" in content and "别的科室" not in content


def test_the_stock_page_highlights_items_below_their_reorder_level(login, leader, agency, stocked):
    ItemFactory(agency=agency, code="TONER", name="再生硒鼓", stock=Decimal(1), reorder_level=Decimal(2))
    client = login(leader)
    content = client.get(reverse("ledger:consumables")).content.decode()
    assert content.count('data-below="1"') == 1 and content.count("table-warning") == 1
    below = client.get(reverse("ledger:consumables") + "?below=1").context["items"]
    assert [i.code for i in below] == ["TONER"]


def test_a_purchase_form_refuses_an_amount_off_by_more_than_a_fen(login, manager, stocked):
    data = {
        "item": stocked.pk,
        "approved_on": "2020-03-01",
        "approver": "高述刚",
        "date": "2020-03-02",
        "quantity": "10",
        "unit_price": "2.50",
        "amount": "25.02",
        "supplier": "文具商行",
    }
    client = login(manager)
    response = client.post(reverse("ledger:consumables_purchase_create"), data)
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert not Purchase.objects.exists()
    response = client.post(reverse("ledger:consumables_purchase_create"), {**data, "amount": "25.01"})
    assert response.status_code == 302 and Purchase.objects.count() == 1


def test_the_manager_sees_each_sections_consumption_and_its_year_on_year_change(
    login, manager, department, other_department, stocked
):
    RequisitionFactory(
        item=stocked, department=department, date=date(2019, 2, 1), quantity=10, amount=Decimal(100)
    )
    RequisitionFactory(
        item=stocked, department=department, date=date(2020, 2, 1), quantity=8, amount=Decimal(90)
    )
    RequisitionFactory(
        item=stocked, department=other_department, date=date(2020, 2, 1), quantity=4, amount=Decimal(40)
    )
    response = login(manager).get(reverse("ledger:consumables_sections"), {"year": 2020, "through": 3})
    rows = {row.department.name if row.department else "total": row for row in response.context["rows"]}
    assert rows["办公室"].quantity_change == Decimal("-20.00") and rows["办公室"].cost_change == Decimal(
        "-10.00"
    )
    assert rows["规划财务科"].quantity_change is None  # nothing the year before to compare with
    assert (rows["total"].quantity, rows["total"].last_quantity) == (Decimal(12), Decimal(10))
    content = response.content.decode()
    assert "−20.00%" in content and "+20.00%" in content


def test_the_monthly_running_costs_table_posts_as_page_pdf_and_excel(login, leader, agency, department):
    ExpenseFactory(agency=agency, department=department, kind="telephone", amount=Decimal("88.50"))
    ExpenseFactory(agency=agency, department=None, kind="reception", amount=Decimal("300.00"))
    ExpenseFactory(agency=agency, department=department, kind="telephone", date=date(2020, 4, 1))
    client, url = login(leader), reverse("ledger:consumables_expense_month")
    table = client.get(url, {"month": "2020-03"}).context["table"]
    assert table.total.amounts == {"telephone": Decimal("88.50"), "reception": Decimal("300.00")}
    assert table.total.total == Decimal("388.50")
    pdf = client.get(url, {"month": "2020-03", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert_every_font_embedded(pdf.content) and not missing_glyphs(pdf.content)
    xlsx = client.get(url, {"month": "2020-03", "format": "xlsx"})
    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[-1][-1] == 388.5 and values[2][0] in ("Section", "科室")


def test_only_a_manager_edits_the_catalogue(login, manager, clerk, stocked):
    url = reverse("ledger:consumables_item_edit", args=[stocked.pk])
    assert login(clerk).get(url).status_code == 403
    data = {
        "code": "A4",
        "name": "A4再生复印纸",
        "category": "paper",
        "unit": "包",
        "is_green": "on",
        "reorder_level": "10",
        "is_active": "on",
    }
    assert login(manager).post(url, data).status_code == 302
    stocked.refresh_from_db()
    assert stocked.is_green and stocked.stock == Decimal(20)  # the form never touches the stock


def test_vouchers_are_served_only_inside_the_scope(login, manager, outsider, agency, stocked):
    from tests.ledger.url_samples import png_upload

    purchase = PurchaseFactory(item=stocked, voucher=png_upload())
    url = reverse("ledger:consumables_voucher", args=["purchase", purchase.pk])
    assert login(manager).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert Item.objects.count() == 1


def test_items_below_their_reorder_level_are_an_alert_on_the_agency_dashboard(login, leader, agency):
    """Registered with reporting, so the dashboard shows it with no change to reporting/ (#15.6)."""
    ItemFactory(agency=agency, stock=Decimal(1), reorder_level=Decimal(2))
    ItemFactory(agency=agency, stock=Decimal(2), reorder_level=Decimal(2))  # at the level: not below
    html = login(leader).get(reverse("reporting:dashboard")).content.decode()
    assert "有 1 种办公耗材库存低于最低库存。" in html
    assert reverse("ledger:consumables") + "?below=1" in html
