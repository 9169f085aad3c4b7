"""The agency dashboard and the city overview, through their URLs, for each role."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from agencies.scoping import SESSION_KEY
from reporting import registry
from reporting.dashboards.common import Period, period_resolve
from reporting.models import MonthlyFigure, ProgrammeGoal
from tests.factories import AgencyYearFactory, scope_of
from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_bureau, seed_city
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def registered():
    with dashboard_registry():
        yield


@pytest.fixture
def bureau(agency, department):
    """The bureau with its 2019 and 2020 figures; ``department`` (办公室) is one of its sections."""
    default_targets()
    seed_bureau(agency)
    return agency


def _city_client(login, city_user, agency):
    client = login(city_user)
    session = client.session
    session[SESSION_KEY] = agency.code
    session.save()
    return client


def _cards(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="target-card" data-indicator="([^"]+)" data-status="([^"]+)"', html))


def test_a_leader_reads_which_targets_were_met_in_2020_and_which_section_used_the_most_electricity(
    bureau, leader, login
):
    response = login(leader).get(reverse("reporting:dashboard"), {"year": 2020})
    html = response.content.decode()

    assert response.status_code == 200
    # Electricity fell more than 3 %; water per person did not (45 people instead of 46).
    assert _cards(html) == {"electricity": "met", "water": "missed"}
    assert "✓ 电" in html or "达标" in html  # the status is written out, not only coloured
    assert "未达标" in html and "达标" in html
    assert "下降3%以上" in html and "≤" not in html  # a target in words (docs/conventions.md)
    top = re.search(r'data-testid="top-department-electricity">(.*?)</p>', html, re.S).group(1)
    assert "最多的科室：<strong>办公室</strong>" in top and "40.0%" in top and "46,240 千瓦时" in top


def test_the_dashboard_opens_on_the_newest_year_that_has_targets(bureau, manager, login):
    # 2021's facts are in but its targets are not set yet: a leader opens on 2020, with a link.
    AgencyYearFactory(agency=bureau, year=2021, headcount=44)
    response = login(manager).get(reverse("reporting:dashboard"))
    assert response.context["d"].period.year == 2020
    assert response.context["d"].period.quarter is None
    html = login(manager).get(reverse("reporting:dashboard"), {"year": 2021}).content.decode()
    assert "2021年尚未设置目标" in html and '<a href="?year=2020">2020</a>' in html


def test_a_quarter_shows_the_year_to_date_through_its_end(bureau, leader, login):
    response = login(leader).get(reverse("reporting:dashboard"), {"year": 2020, "quarter": 2})
    card = next(c for c in response.context["d"].cards if c.result.indicator == "electricity")
    assert card.result.actual == D(sum(ELECTRICITY_2020[:6]))
    assert card.result.baseline == D(sum(ELECTRICITY_2019[:6]))
    assert len(card.spark) == 6


def test_the_monthly_chart_and_its_table_carry_the_same_numbers_with_the_target_line(bureau, leader, login):
    response = login(leader).get(reverse("reporting:dashboard"), {"year": 2020})
    html = response.content.decode()
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html).group(1)
    )
    chart = next(c for c in data["monthly"] if c["key"] == "electricity")
    series = {s["role"]: s["data"] for s in chart["series"]}
    assert series["this_year"] == [float(v) for v in ELECTRICITY_2020]
    assert series["baseline"] == [float(v) for v in ELECTRICITY_2019]
    assert series["target"] == [float((D(v) * D("0.97")).quantize(D("0.01"))) for v in ELECTRICITY_2019]
    assert "previous" not in series  # last year is the baseline year here: one line, not two
    table = re.search(r'data-testid="monthly-table">(.*?)</table>', html, re.S).group(1)
    assert "13,700" in table and "14,200" in table  # August 2020 and 2019


def test_departments_items_and_per_person_figures_are_broken_down(bureau, leader, login):
    response = login(leader).get(reverse("reporting:dashboard"), {"year": 2020})
    d = response.context["d"]
    [departments] = [b for b in d.departments if b.key == "electricity"]
    assert [r.name for r in departments.rows] == ["办公室", "规划财务科", "基金监管科"]
    assert departments.rows[0].value == sum(D(v) * D("0.40") for v in ELECTRICITY_2020)
    [items] = d.items
    keys = ["electricity.air_conditioning", "electricity.lighting", "electricity.power"]
    with translation.override("zh-hans"):
        assert [r.name for r in items.rows] == [str(registry.get_indicator(k).name) for k in keys]
    assert items.rows[0].value == sum(D(v) * D("0.45") for v in ELECTRICITY_2020)
    water = next(r for r in d.indicator_rows if r.indicator.key == "water")
    assert water.per_capita == water.value / 45 and water.per_area is None
    electricity = next(r for r in d.indicator_rows if r.indicator.key == "electricity")
    assert electricity.per_area == electricity.value / D("1942.42")


@pytest.mark.parametrize("quarter", [2, None])
def test_department_rows_sum_the_same_months_of_this_year_and_the_last_by_hand(
    bureau, leader, login, quarter
):
    """The department read is hand-written SQL: its sums equal the monthly rows added up here,
    months 1..the quarter's end of 2020 against the same months of 2019."""
    through = 3 * quarter if quarter else 12
    params = {"year": 2020, **({"quarter": quarter} if quarter else {})}
    d = login(leader).get(reverse("reporting:dashboard"), params).context["d"]
    expected: dict = {}
    for row in MonthlyFigure.objects.filter(agency=bureau, department__isnull=False).select_related(
        "department"
    ):
        if row.month.year in (2019, 2020) and row.month.month <= through:
            key = (row.indicator, row.department.name, "now" if row.month.year == 2020 else "prev")
            expected[key] = expected.get(key, Decimal(0)) + row.value
    shown = {}
    for breakdown in d.departments:
        for r in breakdown.rows:
            shown.update(
                {(breakdown.key, r.name, "now"): r.value, (breakdown.key, r.name, "prev"): r.previous}
            )
    assert {k: v for k, v in shown.items() if v is not None} == expected
    assert any(k[2] == "prev" for k in expected) and any(k[2] == "now" for k in expected)


def test_registered_alerts_are_listed(bureau, leader, login):
    html = login(leader).get(reverse("reporting:dashboard")).content.decode()
    alerts = re.search(r'data-testid="alerts">(.*?)</ul>', html, re.S).group(1)
    assert "未抄表" in alerts and "level-danger" in alerts


def test_a_bad_period_says_so_and_shows_the_default(bureau, leader, login):
    response = login(leader).get(reverse("reporting:dashboard"), {"year": "20x0", "quarter": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "输入整数" in response.content.decode()
    assert response.context["d"].period.year == 2020


def test_without_a_period_asked_the_dashboard_opens_where_the_home_pages_summary_does(agency, leader, login):
    """A year in progress opens on its year to date through the last quarter that has ended — the
    period of the home page's summary and of the notice due — not on the whole year, whose months
    still to come would leave every target at risk."""
    last = Period.last_ended(timezone.localdate())
    AgencyYearFactory(agency=agency, year=last.year, headcount=40)
    client = login(leader)
    assert client.get(reverse("reporting:dashboard")).context["d"].period == last
    home = client.get(reverse("home")).content.decode()
    assert (reverse("reporting:dashboard") + last.query).replace("&", "&amp;") in home
    whole = client.get(reverse("reporting:dashboard"), {"year": last.year}).context["d"].period
    assert whole == Period(year=last.year)  # a year asked alone is still the whole year


@pytest.mark.parametrize(
    ("today", "years", "with_targets", "opened"),
    [
        (date(2026, 12, 3), [2026, 2025, 2019], [2025], Period(2026, 3)),
        (date(2026, 4, 1), [2026, 2025], [2026], Period(2026, 1)),
        (date(2026, 3, 31), [2026, 2025], [2026], Period(2025)),  # the fourth quarter: the whole year
        (date(2027, 1, 1), [2026], [2026], Period(2026)),
        # the last quarter's year has no facts: the newest year with facts and targets, whole
        (date(2026, 12, 3), [2021, 2020, 2019], [2020], Period(2020)),
        (date(2026, 12, 3), [2021, 2020], [], Period(2021)),
        (date(2026, 12, 3), [], [], Period(timezone.localdate().year)),
    ],
)
def test_the_period_opened_when_none_is_asked(today, years, with_targets, opened):
    resolved = period_resolve(year=None, quarter=None, years=years, with_targets=with_targets, today=today)
    assert resolved == opened


def test_an_asked_year_or_quarter_is_the_period_whatever_the_day():
    day, years = date(2026, 12, 3), [2026, 2025]
    assert period_resolve(year=2025, quarter=None, years=years, with_targets=[], today=day) == Period(2025)
    assert period_resolve(year=2026, quarter=2, years=years, with_targets=[], today=day) == Period(2026, 2)
    # a quarter asked without a year: that quarter of the year the old rule gives
    quarter_only = period_resolve(year=None, quarter=2, years=years, with_targets=[2025], today=day)
    assert quarter_only == Period(2025, 2)


def test_the_dashboard_is_for_leaders_managers_and_the_city_not_clerks(bureau, clerk, city_user, login):
    assert login(clerk).get(reverse("reporting:dashboard")).status_code == 403
    response = _city_client(login, city_user, bureau).get(reverse("reporting:dashboard"))
    assert response.status_code == 200 and bureau.name in response.content.decode()


def test_an_agency_without_targets_or_figures_gets_a_readable_page(agency, leader, login):
    response = login(leader).get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert "未设置" in response.content.decode() or response.context["d"].cards == []


# --- City ---------------------------------------------------------------------------------------


def test_the_city_page_lists_every_agency_with_its_status_per_target(city_user, login, city_agency):
    default_targets()
    agencies = seed_city(6)
    client = login(city_user)
    response = client.get(reverse("reporting:city_dashboard"), {"year": 2020})
    html = response.content.decode()
    assert response.status_code == 200
    for agency in agencies:
        row = re.search(rf'<tr data-agency="{agency.code}">(.*?)</tr>', html, re.S).group(1)
        assert agency.name in row
        assert row.count("status-badge status-") >= 2
    d = response.context["d"]
    statuses = {
        row.agency.code: {k: r.status for k, r in row.results.items()} for row in d.rows if row.results
    }
    # Odd agencies cut 5 % (met), even ones used 1 % more (missed); water the same.
    assert statuses["CITY001"] == {"electricity": "met", "water": "met"}
    assert statuses["CITY000"] == {"electricity": "missed", "water": "missed"}
    # Ranking by reduction: the savers first.
    assert [r.agency.code for r in d.ranking][:3] == ["CITY001", "CITY003", "CITY005"]


def test_a_province_is_counted_in_full_and_printed_a_page_at_a_time(
    city_user, login, city_agency, monkeypatch
):
    from reporting.dashboards import city

    monkeypatch.setattr(city, "PAGE_SIZE", 2)
    default_targets()
    seed_city(4)  # with the city's own office: 5 agencies in the programme, 3 pages of 2
    client = login(city_user)
    url = reverse("reporting:city_dashboard")
    first = client.get(url, {"year": 2020})
    d = first.context["d"]
    assert (d.pages, len(d.rows), d.on_track_count, len(d.with_targets)) == (3, 5, 2, 5)
    assert [r["agency"].code for r in first.context["table"]] == [r.agency.code for r in d.rows[:2]]
    last = client.get(url, {"year": 2020, "page": 3})
    assert [r["agency"].code for r in last.context["table"]] == [d.rows[4].agency.code]
    assert [r["rank"] for r in last.context["ranking"]] == list(range(5, len(d.ranking) + 1))
    assert len(last.context["chart_data"]["ranking"]["names"]) == len(last.context["ranking"])
    html = last.content.decode()
    assert 'aria-current="page">3<' in html and "page=2" in html
    for hostile in ("x", "-1", "99"):  # clamped to the pages there are, never a 500
        page = client.get(url, {"year": 2020, "page": hostile}).context["page"]
        assert page == (3 if hostile == "99" else 1)


def test_the_share_on_track_is_set_against_the_programme_goal_an_admin_can_edit(
    city_user, login, city_agency
):
    default_targets()
    seed_city(4)
    assert list(ProgrammeGoal.objects.values_list("year", "share_percent")) == [(2022, 70), (2025, 80)]
    client = login(city_user)
    d = client.get(reverse("reporting:city_dashboard"), {"year": 2020}).context["d"]
    # 2 of the 4 seeded agencies are on track; the city's own office has no figures (at risk).
    assert (d.on_track_count, len(d.with_targets)) == (2, 5)
    assert d.on_track_share == D("40.0") and d.goal.year == 2022 and d.goal_reached is False
    ProgrammeGoal.objects.filter(year=2022).update(share_percent=D("40"))
    html = client.get(reverse("reporting:city_dashboard"), {"year": 2020}).content.decode()
    assert "40%" in html and "已达到" in html


def test_the_city_page_is_for_the_city_role_only(leader, manager, clerk, login):
    for user in (leader, manager, clerk):
        assert login(user).get(reverse("reporting:city_dashboard")).status_code == 403


def test_click_through_switches_to_the_agency_and_opens_its_dashboard(bureau, city_user, login):
    client = login(city_user)
    html = client.get(reverse("reporting:city_dashboard"), {"year": 2020}).content.decode()
    assert f'action="{reverse("agencies:switch")}"' in html
    response = client.post(
        reverse("agencies:switch"),
        {"agency": bureau.code, "next": reverse("reporting:dashboard") + "?year=2020"},
    )
    assert response.status_code == 302 and response["Location"] == "/reporting/dashboard/?year=2020"
    page = client.get(response["Location"])
    assert page.context["d"].agency == bureau and _cards(page.content.decode())["electricity"] == "met"


def test_the_switch_never_redirects_off_site(bureau, city_user, login):
    response = login(city_user).post(
        reverse("agencies:switch"), {"agency": bureau.code, "next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("home")


# --- Reporting's own alerts and the unpublished list ----------------------------------------------


def _publish(agency, quarter, manager):
    from reporting.disclosures.services import disclosure_compute, disclosure_publish
    from reporting.periods import Quarter

    draft = disclosure_compute(agency=agency, quarter=Quarter.parse(quarter))
    return disclosure_publish(scope=scope_of(manager), disclosure=draft)


def test_the_city_page_lists_agencies_that_have_not_published_the_periods_last_quarter(
    bureau, other_agency, manager, city_user, login
):
    _publish(bureau, "2020Q4", manager)
    d = login(city_user).get(reverse("reporting:city_dashboard"), {"year": 2020}).context["d"]
    assert d.disclosure_quarter == "2020年第四季度"
    codes = {a.code for a in d.unpublished}
    assert bureau.code not in codes and other_agency.code in codes
    d = login(city_user).get(reverse("reporting:city_dashboard"), {"year": 2020, "quarter": 2}).context["d"]
    assert d.disclosure_quarter == "2020年第二季度" and bureau.code in {a.code for a in d.unpublished}


def test_the_city_page_names_an_agency_by_its_short_name_else_its_name(
    bureau, other_agency, city_user, login
):
    other_agency.short_name = "简称局"
    other_agency.save()
    response = login(city_user).get(reverse("reporting:city_dashboard"), {"year": 2020})
    names = {a.code: a.display_name for a in response.context["d"].unpublished}
    assert (names[bureau.code], names[other_agency.code]) == (bureau.name, "简称局")
    assert "简称局" in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_share_is_written_as_the_template_filter_floatformat_wrote_it(language):
    """The share tables are formatted in Python (``share_text``); the page printed
    ``share|floatformat:1`` followed by % before, — without a share."""
    from django.template.defaultfilters import floatformat

    from reporting.dashboards.agency import share_text

    values = [D(n) / 100 for n in range(-1000, 1001, 1)] + [
        D("12345.67"),
        D("100.00"),
        D("-0.00"),
        D("99.95"),
    ]
    with translation.override(language):
        assert share_text(None) == "—"
        for value in values:
            assert share_text(value) == f"{floatformat(value, 1)}%", value


def test_unpublished_and_reopened_quarters_are_alerts_on_the_dashboard(bureau, manager, leader, login):
    from reporting.disclosures.alerts import REOPENED, UNPUBLISHED
    from reporting.disclosures.services import disclosure_reopen
    from reporting.periods import Quarter

    assert {UNPUBLISHED.key, REOPENED.key} <= {
        a.key for a in __import__("reporting.registry").registry.alerts()
    }
    _publish(bureau, "2020Q3", manager)
    disclosure_reopen(scope=scope_of(manager, bureau), quarter=Quarter(2020, 3), reason="电表读数录错")
    html = login(leader).get(reverse("reporting:dashboard"), {"year": 2020}).content.decode()
    alerts = re.search(r'data-testid="alerts">(.*?)</ul>', html, re.S).group(1)
    assert "2020年第三季度" in alerts and "重新开放" in alerts
    assert "尚未公示" in alerts  # today's last quarter has no published disclosure


def test_the_dashboard_speaks_english_when_asked(bureau, leader, login):
    client = login(leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("reporting:dashboard"), {"year": 2020}).content.decode()
    assert "Targets against the baseline year" in html and "✓ met" in html and "✗ missed" in html


def _palette_colours(source: str, name: str) -> set[str]:
    block = re.search(name + r": (\{.*?\}|\[.*?\])", source, re.S).group(1)
    return set(re.findall(r"#[0-9a-f]{6}", block))


def test_the_palette_keeps_the_waste_colours_for_waste_only():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "static" / "js" / "palette.js").read_text()
    waste = _palette_colours(source, "waste")
    others = {c for name in ("series", "roles", "status") for c in _palette_colours(source, name)}
    assert len(waste) == 4 and len(others) >= 10
    assert not waste & others
