"""Pages of the waste ledger through the URLs: forms, scope, the display and its PDF."""

import io
import subprocess
from datetime import date
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from tests.pdfs import assert_every_font_embedded, missing_glyphs
from tests.waste.factories import HazardousStorageFactory, WasteCollectionFactory
from waste.models import WasteCollection

D = Decimal


def post_collection(client, **fields):
    data = {
        "date": "2020-03-10",
        "category": "other",
        "weight": "12.50",
        "company": "临沂市环卫清运公司",
    } | fields
    return client.post(reverse("waste:collection_create"), data)


def test_a_manager_records_a_collection(manager, login):
    response = post_collection(login(manager))
    assert response.status_code == 302
    row = WasteCollection.objects.get()
    assert (row.category, row.weight, row.created_by) == ("other", D("12.50"), manager)


def test_a_hazardous_hand_over_without_a_licence_is_shown_as_a_form_error_in_chinese(manager, login):
    response = post_collection(login(manager), category="hazardous", manifest_number="37130000001")
    assert response.status_code == 200
    assert "有资质" in response.content.decode() and not WasteCollection.objects.exists()


def test_the_same_error_in_english_when_the_interface_is_english(manager, login):
    client = login(manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = post_collection(client, category="hazardous", manifest_number="37130000001")
    assert "licensed disposer" in response.content.decode()


def test_a_clerks_record_defaults_to_their_department(clerk, department, login):
    response = post_collection(login(clerk), department=department.pk)
    assert response.status_code == 302 and WasteCollection.objects.get().department == department


def test_a_clerk_cannot_post_another_departments_id(clerk, other_department, login):
    response = post_collection(login(clerk), department=other_department.pk)
    assert response.status_code in (200, 403) and not WasteCollection.objects.exists()


def test_another_agencys_record_is_not_found(outsider, agency, login):
    row = WasteCollectionFactory(agency=agency)
    client = login(outsider)
    assert client.get(reverse("waste:collection_edit", args=[row.pk])).status_code == 404
    assert client.post(reverse("waste:collection_delete", args=[row.pk])).status_code == 404
    assert WasteCollection.objects.filter(pk=row.pk).exists()


def test_a_hand_over_through_the_page(manager, agency, login):
    lot = HazardousStorageFactory(agency=agency, weight=D("2.40"))
    data = {
        "date": "2020-03-10",
        "lots": [lot.pk],
        "company": "山东某危废处置有限公司",
        "licence_number": "鲁危证37130001",
        "manifest_number": "37130000002",
    }
    response = login(manager).post(reverse("waste:handover_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    lot.refresh_from_db()
    assert lot.handover.weight == D("2.40") and lot.handover.category == "hazardous"


def test_the_list_totals_each_category_of_the_filtered_rows(manager, agency, login):
    WasteCollectionFactory(agency=agency, category="kitchen", weight=D("10"), date=date(2020, 3, 1))
    WasteCollectionFactory(agency=agency, category="kitchen", weight=D("5"), date=date(2020, 4, 1))
    html = login(manager).get(reverse("waste:collection_list"), {"date_to": "2020-03-31"}).content.decode()
    assert "10.00" in html and "15.00" not in html


def test_the_display_of_a_month_by_hand(manager, agency, login):
    for category, weight, day in [
        ("recyclable", "30", date(2020, 3, 2)),
        ("other", "60", date(2020, 3, 20)),
        ("kitchen", "10", date(2020, 3, 31)),
        ("other", "40", date(2020, 1, 5)),
        ("other", "7", date(2019, 3, 5)),
        ("other", "99", date(2020, 4, 1)),
    ]:
        WasteCollectionFactory(agency=agency, category=category, weight=D(weight), date=day)
    d = login(manager).get(reverse("waste:display"), {"month": "2020-03"}).context["d"]
    rows = {row.key: row for row in d.rows}
    assert d.total_month == D(100) and d.total_year_to_date == D(140) and d.total_last_year_month == D(7)
    assert rows["recyclable"].month_share == D(30) and d.recyclable_share_month == D(30)
    assert d.recyclable_share_year == D(30) / D(140) * 100
    assert d.records_month == 3 and rows["hazardous"].month == 0


def test_a_bad_month_parameter_shows_this_month(manager, login):
    for value in ("2020-13", "abcd", "99999-01", "-1", "\x00"):
        assert login(manager).get(reverse("waste:display"), {"month": value}).status_code == 200


def test_the_display_pdf_is_a_chinese_notice_with_the_numbers(manager, agency, login, tmp_path):
    WasteCollectionFactory(agency=agency, category="recyclable", weight=D("30"), date=date(2020, 3, 2))
    response = login(manager).get(reverse("waste:display_pdf"), {"month": "2020-03"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "display.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "2020年3月垃圾分类清运量公示" in text and "可回收物" in text and "30.00" in text
    assert "临沂市医疗保障局" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) <= 2
    assert_every_font_embedded(response.content) and not missing_glyphs(response.content)


def test_a_manager_sets_up_a_collection_point(manager, agency, login):
    from waste.models import CollectionPoint

    data = {
        "name": "七楼茶水间",
        "location": "7层东",
        "categories": ["other", "recyclable"],
        "is_active": "on",
    }
    response = login(manager).post(reverse("waste:point_create"), data)
    assert response.status_code == 302
    point = CollectionPoint.objects.get(agency=agency)
    assert (point.name, point.categories, point.is_active) == ("七楼茶水间", ["recyclable", "other"], True)
    response = login(manager).post(reverse("waste:point_create"), data)
    assert response.status_code == 200 and "已有同名" in response.content.decode()


def test_a_clerks_export_holds_their_sections_collections_only(
    clerk, agency, department, other_department, login
):
    import openpyxl

    WasteCollectionFactory(agency=agency, department=department, note="mine")
    WasteCollectionFactory(agency=agency, department=other_department, note="theirs")
    response = login(clerk).get(reverse("waste:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    notes = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "mine" in notes and "theirs" not in notes
