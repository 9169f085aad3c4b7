"""seed_demo loads the seed's bureau and demo users, reaches the last complete month, and running
it twice adds nothing; running it again in a later month adds the months since."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.demo import demo_period
from agencies.models import Agency, AgencyYear
from ledger.models import Bill, Reading
from reporting.models import Disclosure, DisclosureStatus, Target
from tests.demo_snapshot import seed_demo

pytestmark = pytest.mark.django_db


def _rows_per_table() -> dict[str, int]:
    """Every table's row count but the history tables': a re-run saves the demo's rows again, and
    django-simple-history keeps a history row for every save."""
    return {
        model._meta.db_table: model.objects.count()
        for model in apps.get_models()
        if "historical" not in model._meta.db_table
    }


def test_seed_demo_loads_the_bureau_as_the_seed_describes_it(settings):
    settings.DEMO_ALLOWED = True
    out = StringIO()
    seed_demo(stdout=out)

    bureau = Agency.objects.get(code="LYYB")
    assert bureau.name == "临沂市医疗保障局"
    sections = set(bureau.departments.filter(parent=None).values_list("name", flat=True))
    assert {"办公室", "党建工作科", "规划财务科", "待遇保障科", "基金监管科", "医药价格和招采科"} <= sections
    centre = bureau.departments.get(name="市医疗保险事业中心")
    assert set(centre.children.values_list("name", flat=True)) == {
        "基金管理科",
        "信息统计科",
        "基金稽核与协议管理科",
        "待遇结算科",
        "个人账户与关系转移科",
    }
    facts = bureau.years.get(year=2020)
    assert (facts.headcount, str(facts.building_area), str(facts.office_area)) == (45, "1942.42", "1024.00")
    # Every year of the demo up to this one has its facts, so per-capita figures work today.
    this_year = demo_period().today.year
    assert set(bureau.years.values_list("year", flat=True)) == set(range(2019, this_year + 1))
    assert Agency.objects.count() >= 3
    for username in ("clerk", "manager", "leader", "city"):
        assert username in out.getvalue()


def test_running_the_demo_again_on_the_same_day_adds_no_row_to_any_table(settings):
    """Idempotent for every ledger at once (agencies, meters and readings, bills, consumables, fuel,
    waste, campaigns, targets, disclosures and their events, figures): one re-run of the longest
    demo, counted table by table, rather than a re-run per ledger."""
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2026-11-30")  # the day the ledgers' demo tests seed (one copy for all)
    first = _rows_per_table()
    assert first["ledger_reading"] and first["vehicles_fuellog"] and first["waste_wastecollection"]
    call_command("seed_demo", "--today", "2026-11-30", stdout=StringIO())
    assert _rows_per_table() == first


def test_the_demo_ledger_reaches_the_last_complete_month_and_leaves_this_month_to_the_user(settings):
    settings.DEMO_ALLOWED = True
    seed_demo()
    period = demo_period()
    readings = Reading.objects.filter(meter__agency__code="LYYB")
    assert readings.latest("date").date == period.last_day
    assert not readings.filter(date__gte=period.current_month).exists()
    # This year's targets exist, so the dashboard's cards are alive.
    assert Target.objects.filter(year=period.today.year, indicator="electricity").exists()


def test_re_running_the_demo_in_a_later_month_extends_it_without_duplicates(settings):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2021-02-15")
    readings = Reading.objects.filter(meter__agency__code="LYYB", meter__code="E-01")
    assert readings.latest("date").date == date(2021, 1, 31)
    bureau = Agency.objects.get(code="LYYB")
    quarters = {(d.year, d.quarter): d.status for d in Disclosure.objects.filter(agency=bureau, version=1)}
    assert quarters[(2020, 4)] == DisclosureStatus.DRAFT and quarters[(2020, 3)] == DisclosureStatus.PUBLISHED
    assert not Bill.objects.filter(period_end__gt=date(2020, 12, 31)).exists()
    january = readings.get(date=date(2021, 1, 31)).value

    out = StringIO()
    call_command("seed_demo", "--today", "2021-05-03", stdout=out)
    assert "2019-01–2021-04" in out.getvalue()
    assert readings.latest("date").date == date(2021, 4, 30)
    assert readings.get(date=date(2021, 1, 31)).value == january  # earlier months are untouched
    assert readings.filter(date__year=2021).count() == 4
    assert Bill.objects.filter(meter__code="E-01", period_start=date(2021, 1, 1)).count() == 1
    statuses = {
        (d.year, d.quarter): d.status for d in Disclosure.objects.filter(agency=bureau).order_by("version")
    }
    assert statuses[(2020, 4)] == DisclosureStatus.PUBLISHED
    assert statuses[(2021, 1)] == DisclosureStatus.DRAFT
    assert Disclosure.objects.filter(agency=bureau, year=2020, quarter=4).count() == 1
    assert AgencyYear.objects.filter(agency=bureau, year=2021).exists()


def test_the_demo_stops_extending_a_meter_once_someone_has_read_it(settings, django_user_model):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2021-02-15")
    meter = Reading.objects.get(meter__agency__code="LYYB", meter__code="W-01", date=date(2021, 1, 31)).meter
    clerk = django_user_model.objects.get(username="clerk")
    Reading.objects.create(meter=meter, date=date(2021, 3, 10), value=99999, created_by=clerk)
    call_command("seed_demo", "--today", "2021-05-03", stdout=StringIO())
    # The clerk's reading stands alone after January; the other meters go on to April.
    assert list(meter.readings.filter(date__gt=date(2021, 1, 31)).values_list("date", flat=True)) == [
        date(2021, 3, 10)
    ]
    assert Reading.objects.filter(meter__agency__code="LYYB", date=date(2021, 4, 30)).count() == 5


def test_seed_demo_refuses_a_today_in_the_future(settings):
    settings.DEMO_ALLOWED = True
    with pytest.raises(CommandError, match="future"):
        call_command("seed_demo", "--today", "2999-01-01", stdout=StringIO())


def test_seed_demo_refuses_to_run_on_a_production_site(settings):
    settings.DEBUG = False
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
