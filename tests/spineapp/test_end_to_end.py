"""The throw-away app end to end: its import kind writes hauls through the one pipeline, the spine
refreshes its indicators, a target per truck (its own base) and its ratio (L/100 km) reach the
disclosure and the notice, its alert reaches the dashboard, and publication locks its figures."""

import csv
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.scoping import Scope
from imports.services import import_commit, import_job_create
from reporting.dashboards.agency import alerts_collect
from reporting.disclosures.notice import notice_table
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.models import MonthlyFigure
from reporting.periods import Quarter
from reporting.targets.evaluate import targets_evaluate
from reporting.targets.services import target_save
from tests.factories import scope_of
from tests.spineapp.models import Fleet, Haul
from tests.spineapp.plugin import FUEL, PER_100KM, PER_TRUCK

pytestmark = pytest.mark.django_db
Q4 = Quarter(2020, 4)
# (month, litres, km): 2019 the baseline, 2020 with one long haul in December
HAULS_2019 = [(date(2019, m, 1), D(400), D(4000)) for m in range(1, 13)]
HAULS_2020 = [(date(2020, m, 1), D(390), D(4200)) for m in range(1, 12)] + [
    (date(2020, 12, 1), D(600), D(6000))
]


@pytest.fixture
def run(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _import(agency, rows, name="hauls.csv"):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["月份", "油耗", "里程"])
            writer.writerows([[f"{m:%Y-%m-%d}", litres, km] for m, litres, km in rows])
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(agency=agency, kind="spineapp_hauls", upload=path, filename=name)
            return import_commit(job=job, by=None)

    return _import


@pytest.fixture
def fleet(agency):
    Fleet.objects.create(agency=agency, year=2019, trucks=4)
    Fleet.objects.create(agency=agency, year=2020, trucks=5)
    return agency


def test_the_test_app_plugs_in_by_registering_only_and_works_end_to_end(fleet, run, manager, login):
    agency = fleet
    job = run(agency, HAULS_2019 + HAULS_2020)
    assert job.status == "done", job.message
    assert Haul.objects.filter(agency=agency).count() == 24
    december = MonthlyFigure.objects.get(
        agency=agency, indicator=FUEL, month=date(2020, 12, 1), department=None
    )
    assert december.value == 600  # refreshed after the import's commit, its own indicators only
    assert not MonthlyFigure.objects.filter(indicator=PER_100KM).exists()  # a ratio keeps no rows

    # A target per truck (the app's base) and one on the ratio
    target_save(
        scope=Scope.system(None),
        indicator=FUEL,
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
        basis=PER_TRUCK,
    )
    target_save(
        scope=Scope.system(None), indicator=PER_100KM, year=2020, baseline_year=2019, reduction_percent=D(3)
    )
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[agency.pk], year=2020)}
    fuel_2020, fuel_2019 = D(390 * 11 + 600), D(400 * 12)
    km_2020, km_2019 = D(4200 * 11 + 6000), D(4000 * 12)
    assert results[FUEL].actual == fuel_2020 / 5 and results[FUEL].baseline == fuel_2019 / 4
    assert results[FUEL].unit == "升/truck" and results[FUEL].status == "met"
    ratio_2020, ratio_2019 = fuel_2020 / km_2020 * 100, fuel_2019 / km_2019 * 100
    assert results[PER_100KM].actual == ratio_2020 and results[PER_100KM].baseline == ratio_2019

    # The disclosure: the ratio of the quarter's sums, the per-truck row, both targets
    draft = disclosure_compute(agency=agency, quarter=Q4)
    items = {i["key"]: i for i in draft.data["indicators"]}
    q4 = (D(390 * 2 + 600) / D(4200 * 2 + 6000) * 100).quantize(D("0.01"))
    assert items[PER_100KM]["quarter"] == str(q4) and items[PER_100KM]["aggregation"] == "ratio"
    [per_truck] = items[FUEL]["bases"]
    assert per_truck["unit"] == "升/truck" and per_truck["ytd"] == str((fuel_2020 / 5).quantize(D("0.01")))
    assert items[FUEL]["target"]["basis"] == PER_TRUCK and items[PER_100KM]["target"]["status"]
    names = [row[0] for row in notice_table(draft.data, year=2020)]
    assert any(name.startswith("Haul fuel per 100 km（L/100km") for name in names)

    # The alert: December 2020's long haul as of then, and this month's on the dashboard
    found = alerts_collect(agency_ids=[agency.pk], as_of=date(2020, 12, 15))
    assert ("Long hauls", "2020-12: a haul over 5000 km") in [(n, item.message) for n, item in found]
    this_month = timezone.localdate().replace(day=1)
    Haul.objects.create(agency=agency, month=this_month, litres=D(700), km=D(7000))
    page = login(manager).get(reverse("reporting:dashboard"), {"year": 2020})
    assert f"{this_month:%Y-%m}: a haul over 5000 km" in page.content.decode()

    # Publication locks the app's figures for the quarter: a new December haul is refused, a 2019 one is not
    disclosure_publish(scope=scope_of(manager), disclosure=draft)
    refused = run(agency, [(date(2020, 12, 1), D(10), D(100))], name="late.csv")
    assert refused.status == "failed"
    assert "重新打开" in refused.message or "reopens" in refused.message
    assert Haul.objects.filter(agency=agency).count() == 25  # 24 imported and this month's
    accepted = run(agency, [(date(2019, 3, 1), D(10), D(100))], name="baseline.csv")
    assert accepted.status == "done", accepted.message


def test_the_dashboards_table_gives_a_ratio_to_the_hundredth_and_a_total_in_whole_units(
    fleet, run, leader, login
):
    """L/100 km of 9.37 is not shown as 9 (its change against 10.00 the only clue left)."""
    assert run(fleet, HAULS_2019 + HAULS_2020).status == "done"
    html = login(leader).get(reverse("reporting:dashboard"), {"year": 2020}).content.decode()
    table = re.search(r'data-testid="indicator-table">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for name, rest in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S):
        cells = re.findall(r'<td class="text-end">(.*?)</td>', rest, re.S)
        rows[re.sub(r"<small.*?</small>|<.*?>", "", name).strip()] = cells
    assert rows["Haul fuel per 100 km"][:2] == ["9.37", "10.00"]  # 4,890 L / 52,200 km; 4,800 / 48,000
    assert rows["Haul fuel"][:2] == ["4,890", "4,800"]
