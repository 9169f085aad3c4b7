"""Ledger pages through their URLs: scoping, meter forms, readings with vouchers, bills, history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from ledger.models import Bill, Meter, Reading
from ledger.services import reading_record
from tests.factories import scope_of
from tests.ledger.factories import MeterFactory, ReadingFactory
from tests.ledger.url_samples import png_upload

D = Decimal


@pytest.fixture
def meter(agency, department):
    return MeterFactory(agency=agency, department=department, code="E-OFFICE", name="办公室电表")


def test_a_clerk_sees_only_their_departments_meters(meter, clerk, agency, other_department, login):
    MeterFactory(agency=agency, department=other_department, code="E-FIN")
    client = login(clerk)
    content = client.get(reverse("ledger:meter_list")).content.decode()
    assert "E-OFFICE" in content and "E-FIN" not in content
    foreign = Meter.objects.get(code="E-FIN")
    assert client.get(reverse("ledger:meter_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("ledger:reading_add", args=[foreign.pk])).status_code == 404


def test_another_agencys_manager_cannot_open_our_meter(meter, outsider, login):
    assert login(outsider).get(reverse("ledger:meter_detail", args=[meter.pk])).status_code == 404


def test_the_meter_list_filters_by_kind_and_search(meter, agency, manager, login):
    MeterFactory(agency=agency, kind="water", code="W-1")
    client = login(manager)
    content = client.get(reverse("ledger:meter_list"), {"kind": "water"}).content.decode()
    assert "W-1" in content and "E-OFFICE" not in content
    assert "E-OFFICE" in client.get(reverse("ledger:meter_list"), {"q": "办公室"}).content.decode()


def test_the_abnormal_filter_offers_all_yes_and_no_and_means_each(meter, agency, manager, login):
    """Not django-filter's 未知/是/否 of a yes-no field whose "no" showed every meter: 全部 lists
    all, 是 the meters with a reading still to review, 否 the others; every select starts at 全部."""
    flagged = MeterFactory(agency=agency, code="E-FLAG")
    ReadingFactory(meter=flagged, date=date(2020, 1, 31), is_abnormal=True)
    reviewed = MeterFactory(agency=agency, code="E-DONE")
    ReadingFactory(meter=reviewed, date=date(2020, 1, 31), is_abnormal=True, reviewed_at="2020-02-01T00:00Z")
    client = login(manager)

    def codes(**params):
        page = client.get(reverse("ledger:meter_list"), params).content.decode()
        return {code for code in ("E-OFFICE", "E-FLAG", "E-DONE") if f">{code}<" in page}

    assert codes() == codes(abnormal="") == {"E-OFFICE", "E-FLAG", "E-DONE"}
    assert codes(abnormal="1") == {"E-FLAG"}
    assert codes(abnormal="0") == {"E-OFFICE", "E-DONE"}
    with translation.override("zh-hans"):
        page = client.get(reverse("ledger:meter_list")).content.decode()
    assert "未知" not in page and "---------" not in page
    assert page.count('<option value="" selected>全部</option>') == 4  # kind, department, item, abnormal


def test_a_manager_creates_a_meter_and_a_duplicate_code_is_refused(agency, manager, meter, login):
    client = login(manager)
    data = {"code": "E-2", "name": "空调", "kind": "electricity", "item": "air_conditioning"}
    data.update(parent=meter.pk, multiplier="40", share="0.35", dial_digits="6")
    response = client.post(reverse("ledger:meter_create"), data)
    created = Meter.objects.get(code="E-2")
    assert response.status_code == 302 and created.parent == meter and created.share == D("0.35")
    response = client.post(
        reverse("ledger:meter_create"), {**data, "code": "E-OFFICE"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and Meter.objects.filter(code="E-OFFICE").count() == 1
    assert response.context["form"].errors["code"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("share", "1.5"), ("share", "0"), ("multiplier", "0"), ("item", "canteen")],
)
def test_a_meter_with_an_impossible_value_is_refused(agency, manager, login, field, value):
    data = {
        "code": "X",
        "name": "x",
        "kind": "electricity",
        "multiplier": "1",
        "share": "1",
        "dial_digits": "6",
    }
    response = login(manager).post(reverse("ledger:meter_create"), {**data, field: value})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Meter.objects.filter(code="X").exists()


def test_a_sub_meter_of_another_kind_is_refused(agency, manager, meter, login):
    data = {"code": "W", "name": "w", "kind": "water", "parent": meter.pk, "multiplier": "1", "share": "1",
            "dial_digits": "6"}  # fmt: skip
    response = login(manager).post(reverse("ledger:meter_create"), data)
    assert "parent" in response.context["form"].errors


def test_a_clerk_records_a_reading_with_a_voucher_photo(meter, clerk, login):
    client = login(clerk)
    response = client.post(
        reverse("ledger:reading_add", args=[meter.pk]),
        {"date": "2020-01-31", "value": "123.4", "event": "normal", "voucher": png_upload(), "note": "月底"},
    )
    assert response.status_code == 302
    reading = Reading.objects.get(meter=meter)
    assert reading.voucher and reading.created_by == clerk
    voucher = client.get(reverse("ledger:voucher", args=["reading", reading.pk]))
    assert voucher.status_code == 200 and b"".join(voucher.streaming_content).startswith(b"\x89PNG")


def test_a_voucher_that_is_not_an_image_is_refused(meter, clerk, login):
    fake = SimpleUploadedFile("photo.png", b"not really a picture", content_type="image/png")
    response = login(clerk).post(
        reverse("ledger:reading_add", args=[meter.pk]),
        {"date": "2020-01-31", "value": "1", "event": "normal", "voucher": fake},
    )
    assert response.status_code == 200 and "voucher" in response.context["form"].errors
    assert not Reading.objects.exists()


@override_settings(VOUCHER_MAX_UPLOAD_BYTES=50)
def test_a_voucher_over_the_size_limit_is_refused(meter, clerk, login):
    response = login(clerk).post(
        reverse("ledger:reading_add", args=[meter.pk]),
        {"date": "2020-01-31", "value": "1", "event": "normal", "voucher": png_upload()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and not Reading.objects.exists()
    assert any("larger than" in e or "大于" in e for e in response.context["form"].errors["voucher"])


def test_a_voucher_is_not_served_to_another_department(meter, agency, other_department, login):
    from tests.conftest import _member

    reading = ReadingFactory(meter=meter, voucher=png_upload())
    stranger = _member("clerk2", agency, "clerk", other_department)
    assert login(stranger).get(reverse("ledger:voucher", args=["reading", reading.pk])).status_code == 404


def test_the_reading_form_shows_a_rule_message_beside_the_field(meter, clerk, login):
    ReadingFactory(meter=meter, date=date(2020, 1, 31), value=D(500))
    response = login(clerk).post(
        reverse("ledger:reading_add", args=[meter.pk]),
        {"date": "2020-02-29", "value": "400", "event": "normal"},
    )
    assert response.status_code == 200 and response.context["form"].errors["value"]


def test_the_meter_page_shows_the_monthly_usage_and_who_changed_what(meter, clerk, manager, login):
    first = reading_record(scope=scope_of(clerk), meter=meter, date=date(2020, 1, 31), value=D(100))
    reading_record(scope=scope_of(clerk), meter=meter, date=date(2020, 2, 29), value=D(250))
    client = login(manager)
    client.post(
        reverse("ledger:reading_edit", args=[first.pk]),
        {"date": "2020-01-31", "value": "110", "event": "normal"},
    )
    response = client.get(reverse("ledger:meter_detail", args=[meter.pk]))
    content = response.content.decode()
    assert response.context["monthly"] == [(date(2020, 2, 1), D(140))]
    assert 'id="usage-data"' in content and "140.00" in content
    changes = [c for e in response.context["history"] for c in e.changes]
    assert any(old == "100.000" and new == "110.000" for _label, old, new in changes)
    assert any(e.who == manager for e in response.context["history"])


def test_a_clerk_records_a_bill(meter, clerk, login):
    response = login(clerk).post(
        reverse("ledger:bill_create"),
        {
            "meter": meter.pk,
            "period_start": "2020-01-01",
            "period_end": "2020-01-31",
            "quantity": "300",
            "amount": "245.50",
            "invoice_number": "No.123",
        },
    )
    assert response.status_code == 302
    assert Bill.objects.get().amount == D("245.50")
    assert "No.123" in login(clerk).get(reverse("ledger:bill_list")).content.decode()


def test_a_bill_that_ends_before_it_starts_is_refused(meter, clerk, login):
    response = login(clerk).post(
        reverse("ledger:bill_create"),
        {
            "meter": meter.pk,
            "period_start": "2020-02-01",
            "period_end": "2020-01-31",
            "quantity": "3",
            "amount": "2",
        },
    )
    assert response.status_code == 200 and "period_end" in response.context["form"].errors


def test_leaders_read_but_do_not_write(meter, leader, login):
    client = login(leader)
    assert client.get(reverse("ledger:meter_detail", args=[meter.pk])).status_code == 200
    assert client.get(reverse("ledger:round")).status_code == 403
    assert client.post(reverse("ledger:reading_add", args=[meter.pk]), {}).status_code == 403


def test_a_manager_marks_an_abnormal_reading_reviewed(meter, manager, login):
    reading = ReadingFactory(meter=meter, is_abnormal=True)
    response = login(manager).post(reverse("ledger:reading_review", args=[reading.pk]))
    reading.refresh_from_db()
    assert response.status_code == 302 and reading.reviewed_by == manager
