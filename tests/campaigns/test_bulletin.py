"""The monthly bulletin of spot checks: findings by section, as a page and a PDF in the notice's style."""

import subprocess
from datetime import date

from django.urls import reverse

from campaigns.inspections.bulletin import bulletin_build
from tests.campaigns.factories import SpotCheckFactory, SpotCheckFindingFactory
from tests.factories import DepartmentFactory
from tests.pdfs import assert_every_font_embedded, missing_glyphs

AS_OF = date(2020, 8, 3)


def found(check, *items):
    for item in items:
        SpotCheckFindingFactory(spot_check=check, item=item)
    return check


def make_month(agency, department, other_department):
    found(
        SpotCheckFactory(
            agency=agency, department=department, date=date(2020, 7, 2), rectify_by=date(2020, 7, 9)
        ),
        "lights_empty",
        "devices_standby",
    )
    found(
        SpotCheckFactory(
            agency=agency,
            department=department,
            date=date(2020, 7, 20),
            rectify_by=date(2020, 7, 25),
            rectified_on=date(2020, 7, 24),
        ),
        "lights_empty",
    )
    SpotCheckFactory(agency=agency, department=other_department, date=date(2020, 7, 21))  # nothing found
    found(
        SpotCheckFactory(agency=agency, department=department, date=date(2020, 8, 1), rectify_by=AS_OF),
        "ac_nobody",
    )


def test_findings_by_section_counted_by_hand(agency, department, other_department):
    make_month(agency, department, other_department)
    b = bulletin_build(agency=agency, month=date(2020, 7, 1), as_of=AS_OF)
    assert b.checks_count == 3 and b.findings_total == 3
    rows = {row.department: row for row in b.sections}
    assert rows[department].checks == 2 and rows[department].findings == {
        "lights_empty": 2,
        "devices_standby": 1,
    }
    assert rows[department].states == {"overdue": 1, "closed": 1}
    assert rows[other_department].total == 0 and b.clean_sections == [other_department]
    assert b.item_totals[0][0] == "lights_empty" and b.item_totals[0][2] == 2
    assert b.overdue_sections == [department]


def test_the_bulletin_page(agency, department, other_department, leader, login):
    make_month(agency, department, other_department)
    html = login(leader).get(reverse("campaigns:bulletin"), {"month": "2020-07"}).content.decode()
    assert "2020-07节能抽查情况通报" in html and "人走灯未灭（长明灯） × 2" in html
    assert "对2个科室进行了3次抽查，发现问题3处。" in html


def test_the_bulletin_pdf_reads_like_a_notice(agency, department, other_department, manager, login, tmp_path):
    make_month(agency, department, other_department)
    response = login(manager).get(reverse("campaigns:bulletin_pdf"), {"month": "2020-07"})
    assert response["Content-Type"] == "application/pdf"
    assert_every_font_embedded(response.content) and not missing_glyphs(response.content)
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    ).stdout
    compact = "".join(text.split())
    assert "关于2020年7月节能抽查情况的通报" in compact
    assert "各科室：" in compact and "进行了3次不定期抽查" in compact and "共发现问题3处" in compact
    assert f"{other_department.name}抽查中未发现问题，予以通报表扬" in compact
    assert "逾期未整改1次" in compact and "临沂市医疗保障局能源资源管理办公室" in compact


def test_a_month_without_checks(agency, manager, login, tmp_path):
    html = login(manager).get(reverse("campaigns:bulletin"), {"month": "2019-01"}).content.decode()
    assert "本月未开展节能抽查" in html
    response = login(manager).get(reverse("campaigns:bulletin_pdf"), {"month": "2019-01"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_another_agencys_checks_are_not_in_the_bulletin(agency, other_agency, manager, login):
    SpotCheckFactory(
        agency=other_agency, department=DepartmentFactory(agency=other_agency), date=date(2020, 7, 2)
    )
    b = login(manager).get(reverse("campaigns:bulletin"), {"month": "2020-07"}).context["b"]
    assert b.checks_count == 0
