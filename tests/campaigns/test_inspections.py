"""Spot checks, their rectification, repairs and the two alerts: through services and pages."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.alerts import rectifications_overdue, repairs_open
from campaigns.inspections import services
from campaigns.models import RepairRequest, SpotCheck
from reporting.registry import alerts
from tests.campaigns.factories import RepairRequestFactory, SpotCheckFactory, SpotCheckFindingFactory
from tests.factories import DepartmentFactory
from tests.ledger.url_samples import png_upload

D = Decimal
DAY = date(2020, 7, 15)


def check(scope, user, department, **fields):
    values = {"department": department, "date": DAY, "time": time(10, 0), "inspector": "高述刚"} | fields
    return services.spot_check_save(scope=scope, **values)


def items(spot_check):
    return set(spot_check.findings.values_list("item", flat=True))


def test_the_readings_add_their_findings(manager_scope, manager, department):
    found = check(
        manager_scope,
        manager,
        department,
        time=time(17, 5),
        ac_mode="cooling",
        ac_setpoint=D("24"),
        ticked=["lights_empty"],
        rectify_by=DAY + timedelta(days=3),
    )
    assert items(found) == {"ac_temperature", "ac_off_hours", "lights_empty"}


def test_a_check_that_found_nothing_needs_no_deadline(manager_scope, manager, department):
    clean = check(manager_scope, manager, department, ac_mode="cooling", ac_setpoint=D(26))
    assert items(clean) == set() and clean.rectify_by is None


def test_a_finding_without_a_deadline_is_refused(manager_scope, manager, department):
    with pytest.raises(ValidationError) as refused:
        check(manager_scope, manager, department, ticked=["private_appliance"])
    assert "rectify_by" in refused.value.message_dict and not SpotCheck.objects.exists()


def test_only_the_manager_checks_and_only_their_own_agencys_sections(
    manager_scope, manager, clerk_scope, clerk, department, other_agency
):
    with pytest.raises(PermissionDenied):
        check(clerk_scope, clerk, department)
    with pytest.raises(PermissionDenied):
        check(manager_scope, manager, DepartmentFactory(agency=other_agency))
    assert not SpotCheck.objects.exists()


def test_correcting_a_check_replaces_its_findings(manager_scope, manager, department):
    first = check(
        manager_scope, manager, department, ticked=["lights_empty", "devices_standby"], rectify_by=DAY
    )
    again = check(
        manager_scope, manager, department, ticked=["devices_standby"], rectify_by=DAY, spot_check=first
    )
    assert again.pk == first.pk and items(again) == {"devices_standby"}


def test_closing_a_rectification(manager_scope, manager, department):
    found = check(
        manager_scope, manager, department, ticked=["lights_empty"], rectify_by=DAY + timedelta(days=7)
    )
    with pytest.raises(ValidationError):
        services.spot_check_close(
            scope=manager_scope,
            spot_check=found,
            rectified_on=DAY - timedelta(days=1),
            rectification="x",
        )
    with pytest.raises(ValidationError):
        services.spot_check_close(scope=manager_scope, spot_check=found, rectified_on=DAY, rectification=" ")
    services.spot_check_close(
        scope=manager_scope,
        spot_check=found,
        rectified_on=DAY,
        rectification="已张贴随手关灯提示",
    )
    found.refresh_from_db()
    assert found.rectified_on == DAY


def test_photos_are_checked_like_vouchers(manager_scope, manager, department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        check(manager_scope, manager, department, photos=[SimpleUploadedFile("a.jpg", b"not an image")])
    saved = check(manager_scope, manager, department, photos=[png_upload("a.jpg")])
    assert saved.photos.get().file.name.endswith(".png")


def test_a_check_through_the_page(manager, department, login):
    data = {
        "department": department.pk,
        "date": "2020-07-15",
        "time": "17:10",
        "inspector": "高述刚",
        "ac_mode": "cooling",
        "ac_setpoint": "24",
        "findings": ["ac_windows_open"],
        "rectify_by": "2020-07-20",
    }
    response = login(manager).post(reverse("campaigns:spot_check_create"), data)
    assert response.status_code == 302
    assert items(SpotCheck.objects.get()) == {"ac_windows_open", "ac_temperature", "ac_off_hours"}


def test_another_agencys_section_is_an_invalid_choice_on_the_page(manager, other_agency, login):
    data = {
        "department": DepartmentFactory(agency=other_agency).pk,
        "date": "2020-07-15",
        "time": "10:00",
        "inspector": "x",
    }
    response = login(manager).post(reverse("campaigns:spot_check_create"), data)
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert not SpotCheck.objects.exists()


# --- repairs ----------------------------------------------------------------------------------------


def repair(scope, user, **fields):
    values = {
        "kind": "dripping_tap",
        "location": "七楼东侧卫生间",
        "problem": "水龙头滴水",
        "reported_on": DAY,
    } | fields
    return services.repair_save(scope=scope, **values)


def test_a_clerk_reports_a_repair_of_their_section(clerk_scope, clerk, department, other_department):
    with pytest.raises(ValidationError):
        repair(clerk_scope, clerk)
    with pytest.raises(PermissionDenied):
        repair(clerk_scope, clerk, department=other_department)
    saved = repair(clerk_scope, clerk, department=department)
    services.repair_fix(scope=clerk_scope, repair=saved, fixed_on=DAY + timedelta(days=2), fix_note="已换")
    saved.refresh_from_db()
    assert saved.fixed_on == DAY + timedelta(days=2)


def test_a_repair_cannot_be_fixed_before_it_was_reported(manager_scope, manager):
    saved = repair(manager_scope, manager)
    with pytest.raises(ValidationError):
        services.repair_fix(scope=manager_scope, repair=saved, fixed_on=DAY - timedelta(days=1))


def test_a_leader_reads_but_does_not_report(leader_scope, leader):
    with pytest.raises(PermissionDenied):
        repair(leader_scope, leader)


# --- alerts -----------------------------------------------------------------------------------------


def test_campaigns_register_their_alerts():
    assert {"campaigns.rectifications_overdue", "campaigns.repairs_open"} <= {a.key for a in alerts()}


@pytest.mark.parametrize(("offset", "alerted"), [(-1, False), (0, False), (1, True)])
def test_a_rectification_is_an_alert_from_the_day_after_its_deadline(agency, offset, alerted):
    deadline = date(2020, 7, 20)
    SpotCheckFindingFactory(spot_check=SpotCheckFactory(agency=agency, rectify_by=deadline))
    found = rectifications_overdue([agency.pk], deadline + timedelta(days=offset))
    assert bool(found) is alerted


def test_a_closed_or_clean_check_is_not_an_alert(agency):
    SpotCheckFindingFactory(spot_check=SpotCheckFactory(agency=agency, rectify_by=DAY, rectified_on=DAY))
    SpotCheckFactory(agency=agency, rectify_by=DAY)  # no finding
    assert rectifications_overdue([agency.pk], DAY + timedelta(days=30)) == []


@pytest.mark.parametrize(("days", "alerted"), [(7, False), (8, True)])
def test_a_repair_open_more_than_a_week_is_an_alert(agency, days, alerted):
    RepairRequestFactory(agency=agency, reported_on=DAY)
    RepairRequestFactory(agency=agency, reported_on=DAY - timedelta(days=30), fixed_on=DAY)
    found = repairs_open([agency.pk], DAY + timedelta(days=days))
    assert bool(found) is alerted
    if alerted:
        assert found[0].message.startswith("有1项")


def test_each_alert_is_one_query_for_any_number_of_agencies(agency, other_agency):
    for a in (agency, other_agency):
        SpotCheckFindingFactory(spot_check=SpotCheckFactory(agency=a, rectify_by=DAY))
        RepairRequestFactory(agency=a, reported_on=DAY)
    for alert in (rectifications_overdue, repairs_open):
        with CaptureQueriesContext(connection) as queries:
            found = alert([agency.pk, other_agency.pk], DAY + timedelta(days=60))
        assert len(queries) == 1 and len(found) == 2


def test_the_alerts_show_on_the_agency_dashboard(agency, leader, login):
    RepairRequestFactory(agency=agency, reported_on=timezone.localdate() - timedelta(days=8))
    html = login(leader).get(reverse("reporting:dashboard")).content.decode()
    assert "跑冒滴漏报修超过一周仍未修复" in html


def test_repair_list_filters(manager, agency, login):
    RepairRequestFactory(agency=agency, reported_on=timezone.localdate() - timedelta(days=8))
    RepairRequestFactory(agency=agency, reported_on=timezone.localdate(), location="八楼茶水间")
    client = login(manager)
    assert (
        "八楼茶水间"
        not in client.get(reverse("campaigns:repair_list"), {"state": "overdue"}).content.decode()
    )
    assert "八楼茶水间" in client.get(reverse("campaigns:repair_list"), {"state": "open"}).content.decode()
    assert RepairRequest.objects.count() == 2
