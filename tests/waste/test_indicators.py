"""The waste indicators and alert: kg per category and in total, by department; months without records."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting import writes
from reporting.models import MonthlyFigure
from reporting.registry import alerts, get_indicator
from tests.waste.factories import HazardousCollectionFactory, WasteCollectionFactory
from waste.alerts import months_without_records
from waste.indicators import WASTE_KEYS

D = Decimal
MONTHS = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)]


def as_dict(figures):
    return {(f.agency_id, f.department_id, f.month): f.value for f in figures}


def test_waste_registers_a_total_four_categories_and_an_alert():
    assert "per_capita" in get_indicator("waste").bases and str(get_indicator("waste").unit) == "kg"
    for category in ("hazardous", "recyclable", "kitchen", "other"):
        assert get_indicator(f"waste.{category}").parent == "waste"
    assert "waste.months_without_records" in {a.key for a in alerts()}


def test_kg_per_category_and_total_from_the_raw_rows(agency, department, other_agency):
    rows = [
        WasteCollectionFactory(agency=agency, date=date(2020, 1, 3), category="other", weight=D("10.25")),
        WasteCollectionFactory(agency=agency, date=date(2020, 1, 31), category="other", weight=D("4.75")),
        WasteCollectionFactory(
            agency=agency, department=department, date=date(2020, 1, 15), category="recyclable", weight=D("6")
        ),
        HazardousCollectionFactory(agency=agency, date=date(2020, 3, 1), weight=D("1.2")),
        WasteCollectionFactory(agency=agency, date=date(2019, 12, 31), category="kitchen", weight=D("99")),
        WasteCollectionFactory(agency=other_agency, date=date(2020, 1, 5), category="kitchen", weight=D("7")),
    ]
    assert len(rows) == 6
    total = as_dict(get_indicator("waste").compute([agency.pk], MONTHS))
    assert total == {
        (agency.pk, None, date(2020, 1, 1)): D("21.00"),  # 10.25 + 4.75 + 6
        (agency.pk, department.pk, date(2020, 1, 1)): D("6.00"),
        (agency.pk, None, date(2020, 3, 1)): D("1.20"),
    }
    other = as_dict(get_indicator("waste.other").compute([agency.pk], MONTHS))
    assert other == {(agency.pk, None, date(2020, 1, 1)): D("15.00")}
    hazardous = as_dict(get_indicator("waste.hazardous").compute([agency.pk], MONTHS))
    assert hazardous == {(agency.pk, None, date(2020, 3, 1)): D("1.20")}
    assert as_dict(get_indicator("waste.kitchen").compute([agency.pk], MONTHS)) == {}


def test_the_refresh_computes_every_waste_key_in_one_query(agency, django_assert_num_queries):
    WasteCollectionFactory(agency=agency, date=date(2020, 2, 2), category="kitchen", weight=D("3"))
    from waste.indicators import waste_figures

    with django_assert_num_queries(1):
        result = waste_figures([agency.pk], MONTHS, list(WASTE_KEYS))
    assert set(result) == set(WASTE_KEYS)
    writes.refresh_now(agency_ids=[agency.pk], months=MONTHS, indicators=WASTE_KEYS)
    assert MonthlyFigure.objects.get(agency=agency, indicator="waste.kitchen").value == D(3)


def messages(items):
    return {item.agency_id: item.message for item in items}


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [
        # The alert looks at complete months only: on 1 May April is judged, on 30 April it is not.
        (date(2020, 4, 30), ["2020-02"]),
        (date(2020, 5, 1), ["2020-02", "2020-04"]),
    ],
)
def test_months_without_a_record_are_an_alert(agency, as_of, missing):
    for day in (date(2020, 1, 31), date(2020, 3, 1)):
        WasteCollectionFactory(agency=agency, date=day)
    text = messages(months_without_records([agency.pk], as_of))[agency.pk]
    assert all(m in text for m in missing)
    assert (
        "2020-01" not in text and "2020-03" not in text and "2019-12" not in text
    )  # before the first record


def test_a_record_before_the_window_makes_every_empty_month_of_the_window_count(agency, other_agency):
    WasteCollectionFactory(agency=agency, date=date(2018, 6, 1))
    text = messages(months_without_records([agency.pk, other_agency.pk], date(2020, 5, 1)))
    assert "2019-05" in text[agency.pk] and "2020-04" in text[agency.pk]
    assert other_agency.pk not in text  # never kept the ledger: not judged


def test_no_alert_when_every_month_has_a_record(agency):
    for month in range(1, 13):
        WasteCollectionFactory(agency=agency, date=date(2020, month, 28))
    assert months_without_records([agency.pk], date(2021, 1, 1)) == []


def test_the_alert_takes_one_query_for_any_number_of_agencies(agency, other_agency):
    WasteCollectionFactory(agency=agency, date=date(2020, 1, 31))
    WasteCollectionFactory(agency=other_agency, date=date(2020, 2, 3))
    with CaptureQueriesContext(connection) as queries:
        items = months_without_records([agency.pk, other_agency.pk], date(2020, 6, 1))
    assert len(queries) == 1 and {i.agency_id for i in items} == {agency.pk, other_agency.pk}


def test_waste_is_in_the_quarterly_disclosure_and_its_notice(agency, tmp_path):
    """Registered, so the disclosure and the public notice carry it with no change to reporting."""
    import subprocess

    from reporting.disclosures.notice import notice_render
    from reporting.disclosures.services import disclosure_compute
    from reporting.periods import Quarter

    for month, weight in ((10, "100"), (11, "120.5"), (12, "80")):
        WasteCollectionFactory(agency=agency, date=date(2020, month, 5), category="other", weight=D(weight))
    WasteCollectionFactory(agency=agency, date=date(2020, 11, 6), category="recyclable", weight=D("40"))
    writes.refresh_now(
        agency_ids=[agency.pk], months=[date(2020, m, 1) for m in range(1, 13)], indicators=WASTE_KEYS
    )
    disclosure = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    items = {item["key"]: item for item in disclosure.data["indicators"]}
    assert items["waste"]["quarter"] == "340.50" and items["waste.recyclable"]["quarter"] == "40.00"
    per_capita = next(base for base in items["waste"]["bases"] if base["key"] == "per_capita")
    assert per_capita["quarter"] == str((D("340.50") / 45).quantize(D("0.01")))
    # The recyclable share of the quarter is the quarter's sums divided, never a sum of shares.
    assert items["waste.recyclable_share"]["quarter"] == str((D(40) / D("340.50") * 100).quantize(D("0.01")))
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice_render(disclosure=disclosure))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "生活垃圾清运量" in text and "340.50" in text


def test_the_analysis_report_of_waste(agency, leader, login):
    """统计汇总和分析报告 for waste: registered, so reporting's one report module shows it."""
    from django.urls import reverse

    for month in range(1, 4):
        WasteCollectionFactory(agency=agency, date=date(2020, month, 5), category="other", weight=D("100"))
        WasteCollectionFactory(
            agency=agency, date=date(2020, month, 6), category="recyclable", weight=D("25")
        )
    writes.refresh_now(agency_ids=[agency.pk], months=MONTHS, indicators=WASTE_KEYS)
    client = login(leader)
    page = client.get(reverse("reporting:analysis_report"), {"report": "waste", "year": 2020, "quarter": 1})
    assert page.status_code == 200
    html = page.content.decode()
    assert "生活垃圾清运量统计汇总和分析报告" in html and "可回收物占比" in html
    assert "清运量375" in html.replace(" ", "")  # 300 kg other + 75 kg recyclables in the quarter
    for name in ("reporting:analysis_report_pdf", "reporting:analysis_report_xlsx"):
        response = client.get(reverse(name), {"report": "waste", "year": 2020, "quarter": 1})
        assert response.status_code == 200 and len(response.content) > 1000


def test_months_without_a_record_are_an_alert_on_the_agency_dashboard(agency, leader, login):
    """Registered with reporting, so the dashboard shows it with no change to reporting/ (#16.6)."""
    from django.urls import reverse
    from django.utils import timezone

    from waste.rules import month_add

    this_month = timezone.localdate().replace(day=1)
    WasteCollectionFactory(agency=agency, date=month_add(this_month, -3))  # then two empty months
    html = login(leader).get(reverse("reporting:dashboard")).content.decode()
    missing = "、".join(f"{m:%Y-%m}" for m in (month_add(this_month, -2), month_add(this_month, -1)))
    assert f"{missing}无垃圾清运记录。" in html
