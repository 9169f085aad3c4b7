"""The monthly round (抄表): all or none, per-row errors, clerks limited to their departments."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ledger.models import Meter, Reading
from ledger.queries import last_readings, round_rows
from ledger.services import RoundEntry, RoundInvalid, round_save
from reporting.figures.locks import PeriodLockedError, lock_indicators
from tests.factories import scope_of
from tests.ledger.factories import MeterFactory, ReadingFactory

D = Decimal
JAN, FEB = date(2020, 1, 31), date(2020, 2, 29)


@pytest.fixture
def meters(agency, department):
    meters = [MeterFactory(agency=agency, department=department, code=f"R-{i}") for i in range(3)]
    for meter in meters:
        ReadingFactory(meter=meter, date=JAN, value=D(100))
    return meters


def test_a_valid_round_writes_every_row(meters, clerk):
    entries = [RoundEntry(m.pk, FEB, D(150 + i)) for i, m in enumerate(meters)]
    saved = round_save(scope=scope_of(clerk), entries=entries)
    assert len(saved) == 3 and all(r.source == "round" and r.created_by == clerk for r in saved)


def test_one_invalid_row_writes_nothing_and_names_the_row(meters, clerk):
    entries = [RoundEntry(meters[0].pk, FEB, D(150)), RoundEntry(meters[1].pk, FEB, D(50))]
    with pytest.raises(RoundInvalid) as info, translation.override("en"):
        round_save(scope=scope_of(clerk), entries=entries)
    assert list(info.value.row_errors) == [meters[1].pk]
    assert info.value.row_errors[meters[1].pk]["value"].startswith("The value is below the previous reading")
    assert Reading.objects.filter(date=FEB).count() == 0


def test_a_clerk_cannot_enter_another_departments_meter(meters, clerk, other_department, agency):
    foreign = MeterFactory(agency=agency, department=other_department)
    with pytest.raises(RoundInvalid) as info, translation.override("en"):
        round_save(scope=scope_of(clerk), entries=[RoundEntry(foreign.pk, FEB, D(1))])
    assert info.value.row_errors == {foreign.pk: {"__row__": "This meter is not one of yours."}}


def test_a_round_in_a_locked_month_is_refused(meters, clerk, agency):
    lock_indicators(agency_id=agency.pk, months=[date(2020, 2, 1)], indicators=["electricity"])
    with pytest.raises(PeriodLockedError):
        round_save(scope=scope_of(clerk), entries=[RoundEntry(meters[0].pk, FEB, D(120))])
    assert not Reading.objects.filter(date=FEB).exists()


def test_the_round_page_lists_my_meters_with_their_last_reading(
    meters, clerk, other_department, agency, login
):
    MeterFactory(agency=agency, department=other_department, code="NOT-MINE")
    response = login(clerk).get(reverse("ledger:round"))
    assert response.status_code == 200
    content = response.content.decode()
    assert all(m.code in content for m in meters) and "NOT-MINE" not in content
    assert "2020-01-31" in content


def test_the_round_page_saves_all_rows_or_shows_errors_beside_the_row(meters, clerk, login):
    client = login(clerk)
    post = {"date": "2020-02-29", **{f"value-{m.pk}": "160" for m in meters}}
    post[f"value-{meters[2].pk}"] = "90"
    response = client.post(reverse("ledger:round"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert Reading.objects.filter(date=FEB).count() == 0
    row = response.content.decode().split(f'id="row-{meters[2].pk}"')[1].split("</tr>")[0]
    assert "below the previous reading" in row or "低于上次读数" in row
    valid_row = response.content.decode().split(f'id="row-{meters[0].pk}"')[1].split("</tr>")[0]
    assert "60.00 kWh" in valid_row  # the valid rows keep their usage beside them
    post[f"value-{meters[2].pk}"] = "170"
    response = client.post(reverse("ledger:round"), post)
    assert response.status_code == 302
    assert Reading.objects.filter(date=FEB).count() == 3


def test_the_preview_shows_the_usage_as_the_clerk_types(meters, clerk, login):
    meter = meters[0]
    meter.multiplier = D(40)
    meter.save()
    response = login(clerk).post(
        reverse("ledger:round_preview"), {"meter": meter.pk, "date": "2020-02-29", "value": "110.5"}
    )
    assert "420.00 千瓦时" in response.content.decode()  # docs/conventions.md: units in words


def test_managers_see_which_meters_are_missing_this_month(meters, manager, login, agency, other_department):
    MeterFactory(agency=agency, department=other_department, code="OTHER")
    response = login(manager).get(reverse("ledger:round"))
    content = response.content.decode()
    assert "OTHER" in content and 'data-missing="4"' in content


def test_an_unusual_usage_in_the_round_needs_the_rows_confirmation_and_is_flagged(agency, department, clerk):
    meter = MeterFactory(agency=agency, department=department)
    for month, value in enumerate([100, 200, 300, 400], start=1):
        ReadingFactory(meter=meter, date=date(2020, month + 1, 1) - timedelta(days=1), value=D(value))
    big = RoundEntry(meter.pk, date(2020, 5, 31), D(2000))
    with pytest.raises(RoundInvalid) as info, translation.override("en"):
        round_save(scope=scope_of(clerk), entries=[big])
    assert "more than 3 times" in info.value.row_errors[meter.pk]["confirm_abnormal"]
    (saved,) = round_save(scope=scope_of(clerk), entries=[replace(big, confirm_abnormal=True)])
    assert saved.is_abnormal and saved.confirmed_by == clerk


# --- a photo of the dial per reading, kept as its voucher ---------------------------------------


def test_a_round_keeps_each_rows_dial_photo_as_the_readings_voucher(meters, clerk, login):
    from tests.ledger.url_samples import png_upload

    post = {"date": "2020-02-29", f"value-{meters[0].pk}": "150", f"value-{meters[1].pk}": "160"}
    post[f"photo-{meters[0].pk}"] = png_upload("dial.png")
    client = login(clerk)
    assert client.post(reverse("ledger:round"), post).status_code == 302
    with_photo, without = (Reading.objects.get(meter=m, date=FEB) for m in meters[:2])
    assert with_photo.voucher.name.startswith("vouchers/reading/") and not without.voucher
    served = client.get(reverse("ledger:voucher", args=["reading", with_photo.pk]))
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_photo_that_is_not_an_image_is_refused_on_its_row_and_nothing_is_saved(meters, clerk, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("dial.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    post = {"date": "2020-02-29", f"value-{meters[0].pk}": "150", f"value-{meters[1].pk}": "160"}
    post[f"photo-{meters[1].pk}"] = fake
    with translation.override("en"):
        response = login(clerk).post(reverse("ledger:round"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Reading.objects.filter(date=FEB).exists()
    row = next(r for r in response.context["rows"] if r.meter.pk == meters[1].pk)
    assert "not a photo" in row.errors["voucher"]
    assert not next(r for r in response.context["rows"] if r.meter.pk == meters[0].pk).errors


def test_a_pdf_is_no_photo_of_the_dial(meters, clerk, login):
    """A reading's voucher is a photo of its dial (#12.7): a PDF, a voucher elsewhere, is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("dial.jpg", b"%PDF-1.7\n%%EOF\n", content_type="image/jpeg")
    post = {"date": "2020-02-29", f"value-{meters[0].pk}": "150", f"photo-{meters[0].pk}": pdf}
    with translation.override("en"):
        response = login(clerk).post(reverse("ledger:round"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Reading.objects.filter(date=FEB).exists()
    row = next(r for r in response.context["rows"] if r.meter.pk == meters[0].pk)
    assert "not a photo (JPEG, PNG, WebP or GIF)" in row.errors["voucher"]  # the reading form: test_uploads


def test_a_photo_over_the_size_cap_is_refused(meters, clerk, settings):
    from tests.ledger.url_samples import png_upload

    settings.VOUCHER_MAX_UPLOAD_BYTES = 10
    entry = RoundEntry(meters[0].pk, FEB, D(150), voucher=png_upload())
    with pytest.raises(RoundInvalid) as refused:
        round_save(scope=scope_of(clerk), entries=[entry])
    assert "voucher" in refused.value.row_errors[meters[0].pk]
    assert not Reading.objects.filter(date=FEB).exists()


def test_a_photo_without_the_reading_it_shows_is_refused(meters, clerk, login):
    from tests.ledger.url_samples import png_upload

    post = {"date": "2020-02-29", f"photo-{meters[0].pk}": png_upload()}
    response = login(clerk).post(reverse("ledger:round"), post)
    row = next(r for r in response.context["rows"] if r.meter.pk == meters[0].pk)
    assert row.errors == {"value": "请填写照片中表盘显示的读数。"}


def test_a_round_photo_is_scoped_like_every_voucher(meters, clerk, login, other_department, outsider):
    from tests.factories import MembershipFactory, UserFactory
    from tests.ledger.url_samples import png_upload

    (reading,) = round_save(
        scope=scope_of(clerk), entries=[RoundEntry(meters[0].pk, FEB, D(150), voucher=png_upload())]
    )
    url = reverse("ledger:voucher", args=["reading", reading.pk])
    other_clerk = UserFactory(username="clerk-finance")
    MembershipFactory(user=other_clerk, agency=meters[0].agency, role="clerk", department=other_department)
    assert login(other_clerk).get(url).status_code == 404  # another section's clerk
    assert login(outsider).get(url).status_code == 404  # another agency


def test_the_round_lists_meters_by_department_order_kind_and_code_with_their_last_reading(
    agency, department, other_department, django_assert_num_queries
):
    department.sort_order, other_department.sort_order = 2, 1
    department.save()
    other_department.save()
    # Created in none of the sorted orders, so that each sort key has to do its part.
    late = MeterFactory(agency=agency, department=department, code="A-1")
    water = MeterFactory(agency=agency, department=other_department, code="B-1", kind="water")
    second = MeterFactory(agency=agency, department=other_department, code="Z-2")
    first = MeterFactory(agency=agency, department=other_department, code="Z-1")
    ReadingFactory(meter=first, date=JAN, value=D(100))  # last month only: not read this month
    ReadingFactory(meter=second, date=JAN, value=D(100))
    ReadingFactory(meter=second, date=date(2020, 3, 31), value=D(300))  # after the month: neither
    ReadingFactory(meter=water, date=date(2020, 2, 15), value=D(10))
    rows = round_rows(Meter.objects.filter(agency=agency), date(2020, 2, 1))
    assert [(r.meter, r.last and r.last.date, r.read_this_month) for r in rows] == [
        (first, JAN, False),
        (second, date(2020, 3, 31), False),
        (water, date(2020, 2, 15), True),
        (late, None, False),
    ]
    with django_assert_num_queries(0):  # each row's department, shown with it, came with the meters
        assert [r.meter.department for r in rows] == [other_department] * 3 + [department]


def test_a_meters_last_reading_is_its_newest_and_on_a_replacement_day_the_new_meters_first(agency):
    rolled, replaced, unread = (MeterFactory(agency=agency) for _ in range(3))
    ReadingFactory(meter=rolled, date=JAN, value=D(99990), event="rollover")
    newest = ReadingFactory(meter=rolled, date=FEB, value=D(20))
    ReadingFactory(meter=replaced, date=JAN, value=D(100))
    # Stored new meter first: on one day the event, not the order of entry, says which is last.
    first_of_new = ReadingFactory(meter=replaced, date=FEB, value=D(0), event="replacement_initial")
    ReadingFactory(meter=replaced, date=FEB, value=D(180), event="replacement_final")
    ReadingFactory(meter=unread, date=JAN, value=D(5))  # not asked for
    assert last_readings([rolled.pk, replaced.pk]) == {rolled.pk: newest, replaced.pk: first_of_new}


def test_on_a_replacement_day_the_new_meters_first_is_last_whatever_plan_reads_the_readings(
    agency, no_index_scans
):
    """The newest reading's tie on a replacement day is broken by the event, not by the index the
    database happens to walk (walked backwards, the unique index already puts the new meter's
    first reading last on its day). With index scans off, PostgreSQL reads the rows in the order
    they were stored and sorts them by date: the old meter's final reading, stored first, would
    win a tie left to the sort. (Planted ``order_by("-date")``: fails here, passes on the index.)"""
    replaced = MeterFactory(agency=agency)
    ReadingFactory(meter=replaced, date=JAN, value=D(100))
    ReadingFactory(meter=replaced, date=FEB, value=D(180), event="replacement_final")
    first_of_new = ReadingFactory(meter=replaced, date=FEB, value=D(0), event="replacement_initial")
    assert last_readings([replaced.pk]) == {replaced.pk: first_of_new}
