"""The city overview keeps each agency's target evaluation between requests (reporting/targets/cache.py).

Random writes through the real services — meter readings, waste collections recorded and
deleted, targets saved and deleted (an agency's own and the defaults, any base), yearly facts
changed, a rollup a writer bypassed and the nightly reconcile — and after every step the kept
evaluation (``targets_evaluate_cached``) is compared with an evaluation from scratch
(``targets_evaluate``) for random periods, and the city overview's page with the page a process
without kept evaluations renders. Then one test per kind of input: each write changes what the
next request gives, and re-evaluates only the agencies it concerns.
"""

import random
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agencies.models import AgencyYear
from agencies.scoping import Scope
from agencies.services import agency_year_save
from ledger.services import reading_record
from reporting import registry
from reporting.figures.rollup import rollup_reconcile
from reporting.models import MonthlyFigure, RollupVersion, Target
from reporting.registry import PER_AREA, PER_CAPITA, TOTAL, TargetBase, get_indicator
from reporting.targets import cache
from reporting.targets.cache import evaluation_cache_clear, evaluation_cache_size, targets_evaluate_cached
from reporting.targets.evaluate import targets_evaluate
from reporting.targets.services import target_delete, target_save
from tests.factories import AgencyFactory, AgencyYearFactory
from tests.ledger.factories import MeterFactory
from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_city
from tests.reporting.helpers import write_year
from tests.reporting.test_dashboard_queries import CITY_DASHBOARD_QUERIES
from waste import services as waste
from waste.indicators import SHARE_KEY as WASTE_SHARE
from waste.indicators import TOTAL_KEY as WASTE

pytestmark = pytest.mark.django_db
YEARS = (2019, 2020)


@pytest.fixture
def evaluated(monkeypatch):
    """The agency ids each call of ``targets_evaluate`` from the cache evaluated (the misses)."""
    calls = []
    real = cache.targets_evaluate

    def spy(**kwargs):
        calls.append(sorted(kwargs["agency_ids"]))
        return real(**kwargs)

    monkeypatch.setattr(cache, "targets_evaluate", spy)
    return calls


def assert_same(agency_ids, year, as_of):
    kept = targets_evaluate_cached(agency_ids=agency_ids, year=year, as_of_month=as_of)
    fresh = targets_evaluate(agency_ids=agency_ids, year=year, as_of_month=as_of)
    assert kept == fresh, (year, as_of)
    return kept


def _page(client, params):
    response = client.get(reverse("reporting:city_dashboard"), params)
    assert response.status_code == 200
    context = response.context
    return context["table"], context["ranking"], context["chart_data"], context["d"].on_track_share


def _read(meter, day, value):
    with translation.override("zh-hans"):
        reading_record(
            scope=Scope.system(meter.agency), meter=meter, date=day, value=D(value), confirm_abnormal=True
        )


@pytest.fixture
def city(settings):
    agencies = [AgencyFactory(code=f"LYEC{i}") for i in range(3)]
    for agency in agencies:
        for year in YEARS:
            AgencyYearFactory(agency=agency, year=year)
    return agencies


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_random_writes_the_kept_evaluation_is_an_evaluation_from_scratch(
    city, seed, city_user, login, evaluated, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    ids = [a.pk for a in city]
    meters = {a.pk: MeterFactory(agency=a, code="E-1") for a in city}
    last = {a.pk: (date(2018, 12, 31), 1000) for a in city}
    collections = []
    client = login(city_user)
    # each indicator in the bases it declares (a ratio: the total only)
    kinds = [
        (k, b) for k in ("electricity", "water", WASTE, WASTE_SHARE) for b in (TOTAL, *get_indicator(k).bases)
    ]
    assert {b for _k, b in kinds} == {TOTAL, PER_CAPITA, PER_AREA}
    # the defaults the writes then change: two of them divided by the yearly facts
    for key, basis in (
        ("electricity", PER_AREA),
        ("water", PER_CAPITA),
        (WASTE, TOTAL),
        (WASTE_SHARE, TOTAL),
    ):
        target_save(
            scope=Scope.system(None),
            indicator=key,
            year=2020,
            baseline_year=2019,
            reduction_percent=D(3),
            basis=basis,
        )
    for agency in city:  # a year of readings each, so that targets have figures to compare
        for _ in range(6):
            day, value = last[agency.pk]
            day, value = day + timedelta(days=60), value + 600 + rng.randint(0, 100)
            with django_capture_on_commit_callbacks(execute=True):
                _read(meters[agency.pk], day, value)
            last[agency.pk] = (day, value)
    hits = 0
    for _step in range(20):
        agency = rng.choice(city)
        action = rng.choice(
            ["reading", "collection", "delete", "target", "target", "untarget", "facts", "bypass"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            if action == "reading":
                day, value = last[agency.pk]
                days = rng.randint(20, 75)
                day, value = day + timedelta(days=days), value + days * rng.randint(9, 11)
                if day.year in YEARS:
                    _read(meters[agency.pk], day, value)
                    last[agency.pk] = (day, value)
            elif action == "collection":
                collections.append(
                    waste.collection_record(
                        scope=Scope.system(agency),
                        date=date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28)),
                        category=rng.choice(["recyclable", "kitchen", "other"]),
                        weight=D(rng.randint(1, 4000)) / 4,
                        company="临沂市环卫清运公司",
                    )
                )
            elif action == "delete" and collections:
                collection = collections.pop(rng.randrange(len(collections)))
                waste.collection_delete(scope=Scope.system(collection.agency), collection=collection)
            elif action == "target":
                key, basis = rng.choice(kinds)
                target_save(
                    scope=Scope.system(rng.choice([None, None, agency])),
                    indicator=key,
                    year=2020,
                    baseline_year=2019,
                    reduction_percent=D(rng.randint(0, 12)) / 2,
                    basis=basis,
                )
            elif action == "untarget" and Target.objects.exists():
                target = rng.choice(list(Target.objects.order_by("pk")))
                target_delete(scope=Scope.system(target.agency), target=target)
            elif action == "facts":
                agency_year_save(
                    scope=Scope.system(agency),
                    year=rng.choice(YEARS),
                    headcount=rng.choice([30, 45, 60]),
                    building_area=D(rng.choice([1500, 2000])),
                    office_area=D(800),
                )
            elif action == "bypass":  # a monthly row a writer put there without the refresh
                MonthlyFigure.objects.update_or_create(
                    agency=agency,
                    department=None,
                    indicator="electricity",
                    month=date(2020, rng.randint(1, 12), 1),
                    defaults={"value": D(rng.randint(100, 900))},
                )
                rollup_reconcile()  # the nightly task: rebuilds what differs, with a new version
        evaluated.clear()
        for _ in range(3):
            assert_same(ids, 2020, rng.randint(1, 12))
        assert_same(ids, 2020, 12)
        before_last = len(evaluated)
        assert_same(ids, 2020, 12)
        assert len(evaluated) == before_last  # all kept now: nothing evaluated again
        hits += 5 * len(ids) - sum(len(call) for call in evaluated)
        # The page from kept evaluations is the page a process that has none renders.
        params = {"year": 2020, "quarter": rng.choice(["", "1", "2", "3", "4"])}
        kept_page = _page(client, params)
        evaluation_cache_clear()
        assert _page(client, params) == kept_page
    assert hits  # the kept evaluations were used, not re-evaluated every time


@pytest.fixture
def two(db):
    with dashboard_registry():
        default_targets()
        agencies = seed_city(2, departments=1)
        yield agencies


def _results(agencies, as_of=12):
    ids = [a.pk for a in agencies]
    kept = assert_same(ids, 2020, as_of)
    return {(r.agency_id, r.indicator): r for r in kept}


def test_a_refresh_re_evaluates_its_agency_alone(two, evaluated):
    first, second = two
    before = _results(two)
    assert evaluated == [[first.pk, second.pk]]
    token = RollupVersion.objects.get(agency=first).token
    MonthlyFigure.objects.filter(agency=first, indicator="electricity", month__year=2020).delete()
    write_year(first, "electricity", 2020, [1] * 12)  # the monthly rows and their rollup, as a refresh
    assert RollupVersion.objects.get(agency=first).token != token
    after = _results(two)
    assert evaluated[-1] == [first.pk]
    assert after[(first.pk, "electricity")].actual == D(12) != before[(first.pk, "electricity")].actual
    assert after[(second.pk, "electricity")] is before[(second.pk, "electricity")]  # kept, not copied
    _results(two)
    assert len(evaluated) == 2  # nothing changed: nothing evaluated


def test_the_nightly_reconcile_gives_the_agencies_it_repairs_a_new_version(two, evaluated):
    first, _second = two
    before = _results(two)
    MonthlyFigure.objects.filter(agency=first, indicator="electricity", month=date(2020, 3, 1)).update(
        value=D(5)
    )
    assert _results(two) == before  # the rollup is what is read: unchanged until it is repaired
    assert rollup_reconcile() == 1
    after = _results(two)
    assert evaluated[-1] == [first.pk]
    assert after[(first.pk, "electricity")].actual != before[(first.pk, "electricity")].actual


def test_an_agencys_own_target_re_evaluates_that_agency_and_a_default_every_agency(two, evaluated):
    first, second = two
    before = _results(two)
    target_save(
        scope=Scope.system(first),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(9),
    )
    own = _results(two)
    assert evaluated[-1] == [first.pk]
    assert (
        own[(first.pk, "electricity")].target_percent == D(9)
        and not own[(first.pk, "electricity")].is_default
    )
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(4),
    )
    assert _results(two)[(second.pk, "electricity")].target_percent == D(4)
    assert evaluated[-1] == [second.pk]  # the first agency's own target still applies to it
    Target.objects.filter(agency__isnull=True, indicator="water").update(basis=TOTAL)  # bypassing the service
    by_total = _results(two)
    assert evaluated[-1] == [first.pk, second.pk]
    assert by_total[(second.pk, "water")].basis == TOTAL != before[(second.pk, "water")].basis
    target_delete(scope=Scope.system(first), target=Target.objects.get(agency=first))
    assert _results(two)[(first.pk, "electricity")].target_percent == D(4)


def test_a_changed_headcount_re_evaluates_the_per_capita_target(two, evaluated):
    first, _second = two
    before = _results(two)
    agency_year_save(
        scope=Scope.system(first), year=2020, headcount=90, building_area=D(2000), office_area=D(900)
    )
    after = _results(two)
    assert evaluated[-1] == [first.pk]
    assert after[(first.pk, "water")].actual != before[(first.pk, "water")].actual
    AgencyYear.objects.filter(agency=first, year=2019).update(headcount=1000)  # bypassing the service
    assert _results(two)[(first.pk, "water")].baseline < after[(first.pk, "water")].baseline / 10


DIVISORS = {}


def _trucks(agency_ids, years):
    return {(a, y): DIVISORS[(a, y)] for a in agency_ids for y in years if (a, y) in DIVISORS}


def test_an_apps_target_base_is_read_on_every_request(two, evaluated):
    """A registered base's divisor (vehicles in use, …) may change with any table of its app or with
    today's date: it is read on every request and its values are part of the key."""
    _first, second = two
    base = TargetBase("test.per_truck", "per truck", "/truck", _trucks, order=90)
    fuel = registry.Indicator("test.truck_fuel", "Truck fuel", "L", lambda a, m: [], bases=(base.key,))
    registry.register_target_base(base)
    registry.register_indicator(fuel)
    try:
        DIVISORS.clear()
        DIVISORS.update({(a.pk, y): D(4) for a in two for y in YEARS})
        for agency in two:
            write_year(agency, fuel.key, 2019, [100] * 12)
            write_year(agency, fuel.key, 2020, [90] * 12)
        target_save(
            scope=Scope.system(None),
            indicator=fuel.key,
            year=2020,
            baseline_year=2019,
            reduction_percent=D(3),
            basis=base.key,
        )
        before = _results(two)
        assert before[(second.pk, fuel.key)].actual == D(270)  # 1,080 L over 4 trucks
        DIVISORS[(second.pk, 2020)] = D(8)
        after = _results(two)
        assert evaluated[-1] == [second.pk]
        assert after[(second.pk, fuel.key)].actual == D(135)
    finally:
        registry.unregister_indicator(fuel.key)
        registry.unregister_target_base(base.key)


def test_an_indicator_registered_anew_re_evaluates(two, evaluated):
    """How an indicator aggregates is part of the key: a test (or a release) that registers it
    differently is not served the evaluation of the old declaration."""
    first, second = two
    before = _results(two)
    water = registry.get_indicator("water")
    registry.unregister_indicator("water")
    try:
        registry.register_indicator(
            registry.Indicator(
                "water", "Water", "%", aggregation=registry.Ratio("electricity", "electricity", D(100))
            )
        )
        after = _results(two)
        assert evaluated[-1] == [first.pk, second.pk]
        assert after[(first.pk, "water")].actual != before[(first.pk, "water")].actual
    finally:
        registry.unregister_indicator("water")
        registry.register_indicator(water)
    assert _results(two)[(first.pk, "water")] is before[(first.pk, "water")]  # the old one, still kept


def test_periods_and_years_are_kept_apart_and_the_store_is_bounded(two, evaluated, monkeypatch):
    ids = [a.pk for a in two]
    for as_of in (3, 6, 12):
        assert_same(ids, 2020, as_of)
    assert len(evaluated) == 3 and evaluation_cache_size() == 6
    monkeypatch.setattr(cache, "MAX_ENTRIES", 4)
    assert_same(ids, 2020, 9)
    assert evaluation_cache_size() == 4
    assert_same(ids, 2020, 3)  # the oldest went first
    assert evaluated[-1] == ids


def test_the_city_overview_queries_cold_and_kept(two, city_user, login):
    """The first request of a process evaluates every agency: the rollup versions and one read of
    the rollup; the next reads the versions only (CITY_DASHBOARD_QUERIES, test_dashboard_queries)."""
    client = login(city_user)
    url = reverse("reporting:city_dashboard")
    client.get(url, {"year": 2020})
    evaluation_cache_clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url, {"year": 2020})
    with CaptureQueriesContext(connection) as kept:
        client.get(url, {"year": 2020})
    assert len(cold) == CITY_DASHBOARD_QUERIES + 1
    assert len(kept) == CITY_DASHBOARD_QUERIES
    assert [q["sql"] for q in cold.captured_queries if "reporting_yearlyfigure" in q["sql"]]
    assert not [q["sql"] for q in kept.captured_queries if "reporting_yearlyfigure" in q["sql"]]
