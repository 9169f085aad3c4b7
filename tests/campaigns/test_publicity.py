"""Publicity and training events: services, files, the calendar and the yearly count per kind."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Event, EventFile
from campaigns.publicity import services
from campaigns.publicity.queries import counts_per_kind
from tests.campaigns.factories import EventFactory
from tests.ledger.url_samples import png_upload


def save(scope, user, **fields):
    values = {"kind": "lecture", "date": date(2020, 6, 30), "title": "节能知识讲座"} | fields
    return services.event_save(scope=scope, **values)


def test_an_event_keeps_its_channels_in_order(manager_scope, manager):
    event = save(manager_scope, manager, channels=["meeting", "wechat", "website"], participants=45)
    assert event.channels == ["website", "wechat", "meeting"]


def test_bad_events_are_refused(manager_scope, manager):
    with pytest.raises(ValidationError) as refused:
        save(manager_scope, manager, end_date=date(2020, 6, 1), channels=["tv"], participants=-3)
    assert {"end_date", "channels", "participants"} <= set(refused.value.message_dict)


def test_clerks_record_events_of_their_section(clerk_scope, clerk, department, other_department):
    with pytest.raises(ValidationError):
        save(clerk_scope, clerk)
    with pytest.raises(PermissionDenied):
        save(clerk_scope, clerk, department=other_department)
    assert save(clerk_scope, clerk, department=department).department == department


def test_files_are_images_or_pdfs_by_content(manager_scope, manager):
    event = save(manager_scope, manager)
    with pytest.raises(ValidationError):
        services.event_file_add(
            scope=manager_scope, event=event, upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00")
        )
    pdf = services.event_file_add(
        scope=manager_scope,
        event=event,
        upload=SimpleUploadedFile("通知.pdf", b"%PDF-1.7\n%%EOF"),
    )
    photo = services.event_file_add(scope=manager_scope, event=event, upload=png_upload("p.jpg"))
    assert pdf.file.name.endswith(".pdf") and pdf.name == "通知.pdf" and photo.file.name.endswith(".png")


def test_a_file_is_served_with_its_real_type_to_its_agency_only(manager, outsider, agency, login):
    event = EventFactory(agency=agency)
    stored = EventFile.objects.create(event=event, file=png_upload("evil.html"), name="evil.html")
    response = login(manager).get(reverse("campaigns:event_file", args=[stored.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert login(outsider).get(reverse("campaigns:event_file", args=[stored.pk])).status_code == 404


def test_upload_through_the_page(manager, agency, login):
    event = EventFactory(agency=agency)
    response = login(manager).post(
        reverse("campaigns:event_file_add", args=[event.pk]), {"file": png_upload()}
    )
    assert response.status_code == 302 and event.files.count() == 1
    bad = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")
    login(manager).post(reverse("campaigns:event_file_add", args=[event.pk]), {"file": bad})
    assert event.files.count() == 1


def test_the_yearly_count_per_kind_by_hand(agency, other_agency):
    for kind, day, people in [
        ("energy_week", date(2020, 6, 29), 45),
        ("lecture", date(2020, 9, 1), 30),
        ("lecture", date(2020, 11, 1), 20),
        ("training", date(2019, 5, 1), 10),
    ]:
        EventFactory(agency=agency, kind=kind, date=day, participants=people)
    EventFactory(agency=other_agency, kind="lecture", date=date(2020, 9, 1))
    counts = counts_per_kind(Event.objects.filter(agency=agency), years=[2019, 2020])
    rows = {kind: values for kind, _label, values in counts.rows}
    assert rows["lecture"] == [0, 2] and rows["energy_week"] == [0, 1] and rows["training"] == [1, 0]
    assert counts.totals == [1, 3] and counts.participants == [10, 95]


def test_the_calendar_page_marks_the_national_days(agency, leader, login):
    EventFactory(agency=agency, date=date(2020, 3, 22), kind="world_water_day", title="世界水日宣传")
    html = login(leader).get(reverse("campaigns:event_calendar"), {"year": 2020}).content.decode()
    assert 'data-national="china_water_week world_water_day ' in html  # 22 March
    assert "绿水青山，节能增效" in html and "全国节能宣传周" in html
    assert html.count("cal-national") >= 7 + 7 + 1  # water week, energy week, low-carbon day inside it


def test_bad_year_parameters_show_this_year(leader, login):
    for value in ("abc", "-5", "99999", "2020.5", ""):
        assert login(leader).get(reverse("campaigns:event_calendar"), {"year": value}).status_code == 200
