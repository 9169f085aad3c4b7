"""The ledger's indicators and alerts: totals from top-level meters, items from sub-meters, fixed queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import ledger.queries
from agencies.models import Department
from ledger.alerts import abnormal_readings, missing_readings
from ledger.models import Reading
from ledger.queries import cost_by_meter, usage_of_meters
from ledger.usage import bill_spread
from reporting.figures.refresh import figures_refresh
from reporting.registry import PER_CAPITA, alerts, get_indicator, indicators
from tests.factories import AgencyFactory
from tests.ledger.factories import BillFactory, MeterFactory, ReadingFactory
from tests.module_rows import module_rows

D = Decimal
MONTHS = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)]


def readings(meter, *values, start_month=12, start_year=2019):
    """Month-end readings from December 2019 on."""
    days = [date(2019, 12, 31), date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31), date(2020, 4, 30)]
    for day, value in zip(days, values, strict=False):
        ReadingFactory(meter=meter, date=day, value=D(value))


def as_dict(figures):
    return {(f.agency_id, f.department_id, f.month): f.value for f in figures}


def test_the_ledger_registers_its_indicators_and_alerts():
    keys = {i.key for i in indicators()}
    assert {"electricity", "water", "gas", "heat", "energy_cost"} <= keys
    assert {"electricity.air_conditioning", "electricity.lighting_sockets", "water.canteen"} <= keys
    assert (
        PER_CAPITA in get_indicator("water").bases
        and get_indicator("electricity.power").parent == "electricity"
    )
    assert {"ledger.missing_readings", "ledger.abnormal_readings"} <= {a.key for a in alerts()}


def test_totals_count_top_level_meters_times_multiplier_and_share_by_department(agency, department):
    main = MeterFactory(agency=agency, multiplier=D(40), share=D("0.35"))
    office = MeterFactory(agency=agency, department=department)
    readings(main, 0, 100, 200, 250)
    readings(office, 0, 10, 30, 60)
    sub = MeterFactory(agency=agency, parent=main, item="air_conditioning", department=department)
    readings(sub, 0, 500, 900, 1000)
    figures = as_dict(get_indicator("electricity").compute([agency.pk], MONTHS))
    assert figures[(agency.pk, None, date(2020, 1, 1))] == D(100) * 40 * D("0.35") + 10
    # The department's row: its own top-level meter (30) and its sub-meter under the building meter (100).
    assert figures[(agency.pk, department.pk, date(2020, 3, 1))] == D(30) + D(100)
    items = as_dict(get_indicator("electricity.air_conditioning").compute([agency.pk], MONTHS))
    assert items[(agency.pk, None, date(2020, 2, 1))] == D(400)
    assert items[(agency.pk, department.pk, date(2020, 2, 1))] == D(400)


def test_a_sub_meter_of_a_meter_already_measuring_its_department_is_not_counted_twice(agency, department):
    office = MeterFactory(agency=agency, department=department)
    readings(office, 0, 10, 30)
    readings(MeterFactory(agency=agency, department=department, parent=office, item="power"), 0, 4, 5)
    figures = as_dict(get_indicator("electricity").compute([agency.pk], MONTHS))
    assert figures[(agency.pk, department.pk, date(2020, 2, 1))] == D(20)


def test_meters_without_readings_are_measured_by_their_bills_and_cost_comes_from_bills(agency):
    gas = MeterFactory(agency=agency, kind="gas")
    BillFactory(
        meter=gas, period_start=date(2020, 1, 1), period_end=date(2020, 2, 29), quantity=D(60), amount=D(120)
    )
    gas_figures = as_dict(get_indicator("gas").compute([agency.pk], MONTHS))
    assert (
        gas_figures[(agency.pk, None, date(2020, 1, 1))] + gas_figures[(agency.pk, None, date(2020, 2, 1))]
        == 60
    )
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost[(agency.pk, None, date(2020, 1, 1))] == D("62.0000")
    assert cost[(agency.pk, None, date(2020, 2, 1))] == D("58.0000")


def test_a_sub_meters_bill_is_counted_once_in_the_energy_cost(agency, department):
    # The building meter's bill (300 yuan) already contains what its canteen sub-meter's bill (100)
    # says: the agency's cost is 300, not 400; the canteen's section is charged its 100, once.
    main = MeterFactory(agency=agency)
    canteen = MeterFactory(agency=agency, parent=main, item="power", department=department)
    BillFactory(meter=main, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(300))
    BillFactory(meter=canteen, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(100))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {
        (agency.pk, None, date(2020, 1, 1)): D(300),
        (agency.pk, department.pk, date(2020, 1, 1)): D(100),
    }


def test_a_sub_meter_billed_in_a_month_its_parent_has_no_bill_for_counts(agency, department):
    # The parent is billed for January only; the sub-meter for January and February: February's
    # sub-meter bill is the only money of that month and counts.
    main = MeterFactory(agency=agency)
    sub = MeterFactory(agency=agency, parent=main, item="power")
    BillFactory(meter=main, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(300))
    BillFactory(meter=sub, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(100))
    BillFactory(meter=sub, period_start=date(2020, 2, 1), period_end=date(2020, 2, 29), amount=D(90))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {(agency.pk, None, date(2020, 1, 1)): D(300), (agency.pk, None, date(2020, 2, 1)): D(90)}


def test_a_department_is_charged_once_for_its_own_meter_and_the_sub_meter_under_it(agency, department):
    office = MeterFactory(agency=agency, department=department)
    lights = MeterFactory(agency=agency, parent=office, item="lighting_sockets", department=department)
    BillFactory(meter=office, period_start=date(2020, 3, 1), period_end=date(2020, 3, 31), amount=D(50))
    BillFactory(meter=lights, period_start=date(2020, 3, 1), period_end=date(2020, 3, 31), amount=D(20))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {
        (agency.pk, None, date(2020, 3, 1)): D(50),
        (agency.pk, department.pk, date(2020, 3, 1)): D(50),
    }


def test_readings_outside_the_months_still_spread_into_them(agency):
    meter = MeterFactory(agency=agency)
    ReadingFactory(meter=meter, date=date(2019, 12, 31), value=D(0))
    ReadingFactory(meter=meter, date=date(2020, 4, 30), value=D(121))  # Jan–Apr: 31+29+31+30 days
    figures = as_dict(get_indicator("electricity").compute([agency.pk], [date(2020, 2, 1)]))
    assert figures == {(agency.pk, None, date(2020, 2, 1)): D("29.0000")}


@pytest.fixture(scope="module")
def cities(django_db_setup, django_db_blocker):
    """A city of 1 agency and one of 50 (``_city``), made once for the module (tests/module_rows.py)
    for the tests that count the queries for both: they only read them, and what a test writes is
    rolled back after it as before. {1: agency ids, 50: agency ids}."""
    with module_rows(django_db_blocker, lambda: {n: _city(n) for n in (1, 50)}) as rows:
        yield rows


def _city(n):
    ids = []
    for i in range(n):
        agency = AgencyFactory(code=f"Q{n}-{i}")
        dept = Department.objects.create(agency=agency, name="办公室")
        main = MeterFactory(agency=agency, code="E", department=dept)
        readings(main, 0, 10, 20, 30, 40)
        readings(MeterFactory(agency=agency, code="AC", parent=main, item="air_conditioning"), 0, 5, 9, 12)
        readings(MeterFactory(agency=agency, code="W", kind="water"), 0, 3, 6)
        BillFactory(meter=MeterFactory(agency=agency, code="G", kind="gas"))
        ids.append(agency.pk)
    return ids


@pytest.mark.parametrize(
    "key", ["electricity", "electricity.air_conditioning", "water", "gas", "energy_cost"]
)
def test_each_indicator_runs_the_same_number_of_queries_for_1_and_50_agencies(db, cities, key):
    counts = []
    for n in (1, 50):
        ids = cities[n]
        with CaptureQueriesContext(connection) as queries:
            figures = list(get_indicator(key).compute(ids, MONTHS))
        assert {f.agency_id for f in figures} == set(ids)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_refresh_writes_monthly_figures_for_every_ledger_indicator(agency, department):
    meter = MeterFactory(agency=agency, department=department, kind="water")
    readings(meter, 0, 30, 50)
    figures_refresh(agency_ids=[agency.pk], months=MONTHS)
    from reporting.models import MonthlyFigure

    assert (
        MonthlyFigure.objects.get(
            agency=agency, indicator="water", month=date(2020, 2, 1), department=None
        ).value
        == 20
    )


def test_missing_readings_alert_lists_active_meters_not_read_last_month(agency):
    read = MeterFactory(agency=agency)
    ReadingFactory(meter=read, date=date(2020, 3, 31))
    MeterFactory(agency=agency)
    MeterFactory(agency=agency, retired_on=date(2020, 1, 31))
    MeterFactory(agency=agency, installed_on=date(2020, 4, 10))
    with translation.override("zh-hans"):
        items = missing_readings([agency.pk], date(2020, 4, 15))  # March has ended; April is the round
    assert [(item.agency_id, item.message) for item in items] == [(agency.pk, "2020年3月有1块计量表未抄表。")]
    assert items[0].url == reverse("ledger:round") + "?date=2020-03-31"  # the round on that month
    with translation.override("en"):
        first_of_april = missing_readings([agency.pk], date(2020, 4, 1))
    assert first_of_april[0].message == "1 meter has no reading for Mar 2020."


def test_the_month_in_progress_is_no_missing_readings_alert_until_it_ends(agency):
    """Readings are taken at the month's end: on the 3rd, December's are not missing yet — the
    round is the writers' to-do — and November's are all there."""
    meter = MeterFactory(agency=agency, installed_on=date(2026, 1, 1))
    ReadingFactory(meter=meter, date=date(2026, 11, 30), value=Decimal(100))
    assert missing_readings([agency.pk], date(2026, 12, 3)) == []
    assert missing_readings([agency.pk], date(2026, 12, 31)) == []
    assert len(missing_readings([agency.pk], date(2027, 1, 1))) == 1  # December has ended unread
    # January's as-of looks at the December before it
    with translation.override("zh-hans"):
        assert missing_readings([agency.pk], date(2027, 1, 20))[0].message.startswith("2026年12月")


def test_abnormal_readings_alert_lists_flagged_unreviewed_readings(agency, manager):
    meter = MeterFactory(agency=agency)
    ReadingFactory(meter=meter, date=date(2020, 1, 31), is_abnormal=True)
    ReadingFactory(
        meter=meter,
        date=date(2020, 2, 29),
        is_abnormal=True,
        reviewed_by=manager,
        reviewed_at="2020-03-01T00:00Z",
    )
    items = abnormal_readings([agency.pk], date(2020, 3, 31))
    assert [(i.agency_id, i.message[:2]) for i in items] == [(agency.pk, "1 ")]


def test_an_alert_counts_one_or_many_in_english_and_the_same_words_in_chinese(agency):
    meter = MeterFactory(agency=agency)
    ReadingFactory(meter=meter, date=date(2020, 1, 31), is_abnormal=True)
    with translation.override("en"):
        assert abnormal_readings([agency.pk], date(2020, 3, 31))[0].message == (
            "1 reading with unusually high usage awaits the manager's review."
        )
    ReadingFactory(meter=meter, date=date(2020, 2, 29), is_abnormal=True)
    with translation.override("en"):
        assert abnormal_readings([agency.pk], date(2020, 3, 31))[0].message == (
            "2 readings with unusually high usage await the manager's review."
        )
    with translation.override("zh-hans"):
        assert abnormal_readings([agency.pk], date(2020, 3, 31))[0].message == (
            "2 条用量异常偏高的读数待能源资源管理员复核。"
        )


@pytest.mark.parametrize("alert", [missing_readings, abnormal_readings])
def test_each_alert_runs_the_same_number_of_queries_for_1_and_50_agencies(db, cities, alert):
    counts = []
    for n in (1, 50):
        ids = cities[n]
        with CaptureQueriesContext(connection) as queries:
            alert(ids, date(2020, 6, 30))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2


def test_a_replacement_just_before_or_after_the_months_is_counted_exactly(agency):
    meter = MeterFactory(agency=agency)
    ReadingFactory(meter=meter, date=date(2019, 11, 30), value=D(800))
    ReadingFactory(meter=meter, date=date(2019, 12, 31), value=D(900), event="replacement_final")
    ReadingFactory(meter=meter, date=date(2019, 12, 31), value=D(5), event="replacement_initial")
    ReadingFactory(meter=meter, date=date(2020, 1, 31), value=D(25))
    ReadingFactory(meter=meter, date=date(2020, 2, 15), value=D(40), event="replacement_final")
    ReadingFactory(meter=meter, date=date(2020, 2, 15), value=D(1), event="replacement_initial")
    ReadingFactory(meter=meter, date=date(2020, 2, 29), value=D(15))
    figures = as_dict(get_indicator("electricity").compute([agency.pk], [date(2020, 1, 1)]))
    assert figures == {(agency.pk, None, date(2020, 1, 1)): D(20)}
    figures = as_dict(
        get_indicator("electricity").compute([agency.pk], [date(2019, 12, 1), date(2020, 2, 1)])
    )
    assert figures[(agency.pk, None, date(2019, 12, 1))] == D(100)
    assert figures[(agency.pk, None, date(2020, 2, 1))] == D(15) + D(14)


def _varied(agency, department):
    """Sub-meters, a department, a rollover, a replacement, a bill-only meter, readings beyond the months."""
    main = MeterFactory(agency=agency, multiplier=D(40), share=D("0.35"), dial_digits=4)
    readings(main, 9000, 9500)
    ReadingFactory(meter=main, date=date(2020, 2, 29), value=D(200), event="rollover")
    ReadingFactory(meter=main, date=date(2020, 4, 30), value=D(700))
    sub = MeterFactory(agency=agency, parent=main, item="air_conditioning", department=department)
    readings(sub, 0, 500, 900)
    ReadingFactory(meter=sub, date=date(2020, 3, 15), value=D(950), event="replacement_final")
    ReadingFactory(meter=sub, date=date(2020, 3, 15), value=D(3), event="replacement_initial")
    ReadingFactory(meter=sub, date=date(2020, 6, 30), value=D(90))
    readings(MeterFactory(agency=agency, kind="water", department=department), 0, 3, 6, 10)
    readings(MeterFactory(agency=agency, kind="water", parent=None, item=""), 5, 7)
    BillFactory(meter=MeterFactory(agency=agency, kind="heat"), period_start=date(2019, 11, 15))


@pytest.mark.parametrize("months", [MONTHS, [date(2020, 2, 1)], [date(2020, 3, 1), date(2020, 5, 1)]])
def test_the_shared_computation_gives_every_usage_indicator_its_own_compute_s_figures(
    agency, department, months
):
    from ledger.indicators import USAGE_KEYS, usage_figures

    _varied(agency, department)
    other = AgencyFactory(code="OTHER-1")
    readings(MeterFactory(agency=other), 0, 1, 3, 6)
    ids = [agency.pk, other.pk]
    shared = usage_figures(ids, months, USAGE_KEYS)
    assert set(shared) == set(USAGE_KEYS)
    for key in USAGE_KEYS:
        assert as_dict(shared[key]) == as_dict(get_indicator(key).compute(ids, months)), key
    assert as_dict(shared["electricity.air_conditioning"])  # the data reaches the breakdowns


# Refreshing every ledger indicator: the usage indicators' one shared pass (meters with their
# neighbouring reading dates, the readings, the bills of bill-only meters), energy_cost's bills
# and its meter tree (a sub-meter's bill is counted once), each group in a savepoint pair (an
# indicator that raises cannot abort the others), around them SAVEPOINT, the agency lock, the
# stale records read, DELETE, INSERT, the yearly rollup's DELETE and INSERT … SELECT, the agencies'
# rollup version upsert, RELEASE — 18 for 1 or 50 agencies. Before the shared pass each of the 13
# usage indicators ran its own meters and readings queries.
LEDGER_REFRESH_QUERIES = 18


def test_refreshing_every_ledger_indicator_reads_the_readings_once_for_1_and_50_agencies(db, cities):
    from ledger.indicators import LEDGER_KEYS

    for n in (1, 50):
        ids = cities[n]
        with CaptureQueriesContext(connection) as queries:
            figures_refresh(agency_ids=ids, months=MONTHS, indicator_keys=LEDGER_KEYS)
        reading_reads = [q for q in queries if q["sql"].startswith('SELECT "ledger_reading"')]
        assert len(reading_reads) == 1, [q["sql"][:80] for q in queries]
        rollup = [q for q in queries if q["sql"].startswith('INSERT INTO "reporting_yearlyfigure"')]
        versions = [q for q in queries if q["sql"].startswith('INSERT INTO "reporting_rollupversion"')]
        inserts = [
            q for q in queries if q["sql"].startswith("INSERT") and q not in rollup and q not in versions
        ]
        # PostgreSQL inserts every row in one statement; SQLite's bound-variable limit forces batches.
        assert len(rollup) == 1 and len(versions) == 1
        assert len(queries) - len(inserts) == LEDGER_REFRESH_QUERIES - 1, [q["sql"][:60] for q in queries]
        if connection.vendor == "postgresql":
            assert len(inserts) == 1


def test_a_meter_cannot_be_put_below_one_of_its_own_sub_meters(agency):
    """Only meters without a parent count toward a total: a loop of meters would drop all of them.
    Itself, its sub-meter and a sub-meter's sub-meter are all refused as its parent, in Chinese."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    top = MeterFactory(agency=agency)
    middle = MeterFactory(agency=agency, parent=top)
    bottom = MeterFactory(agency=agency, parent=middle)
    other = MeterFactory(agency=agency)
    for parent, message in [
        (top, "计量表不能是自己的上级表。"),
        (middle, "所选上级表是本表自己的下级表。"),
        (bottom, "所选上级表是本表自己的下级表。"),
    ]:
        top.parent = parent
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            top.full_clean()
        assert refused.value.message_dict == {"parent": [message]}
    top.parent = other
    top.full_clean()  # another meter at the top is a parent like any other
    bottom.parent = top
    bottom.full_clean()  # and so is a meter further up its own chain


def test_the_cost_of_meters_in_a_loop_written_past_validation_is_counted_and_the_computation_ends(agency):
    """clean() refuses a loop, but rows written before that check (or by hand in the database) may
    hold one: the cost walks up each chain once, ending where it meets a meter already seen — also
    from a meter hanging below the loop. A bill no other meter of the chain covers in its month
    counts, once."""
    from ledger.models import Meter

    first, second, third = (MeterFactory(agency=agency) for _ in range(3))
    for meter, parent in [(first, second), (second, third), (third, first)]:
        Meter.objects.filter(pk=meter.pk).update(parent=parent)
    below = MeterFactory(agency=agency)
    Meter.objects.filter(pk=below.pk).update(parent=first)
    BillFactory(meter=first, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(300))
    BillFactory(meter=second, period_start=date(2020, 2, 1), period_end=date(2020, 2, 29), amount=D(40))
    BillFactory(meter=below, period_start=date(2020, 3, 1), period_end=date(2020, 3, 31), amount=D(7))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {
        (agency.pk, None, date(2020, 1, 1)): D(300),
        (agency.pk, None, date(2020, 2, 1)): D(40),
        (agency.pk, None, date(2020, 3, 1)): D(7),
    }


def test_a_bill_covered_two_levels_up_is_not_counted_again(agency, department):
    """The building meter (500 yuan in January) covers the floor meter below it, unbilled, and the
    canteen meter below that (100): the agency's cost is 500; the canteen's section is charged its 100."""
    building = MeterFactory(agency=agency)
    floor = MeterFactory(agency=agency, parent=building)
    canteen = MeterFactory(agency=agency, parent=floor, item="power", department=department)
    BillFactory(meter=building, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(500))
    BillFactory(meter=canteen, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(100))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {
        (agency.pk, None, date(2020, 1, 1)): D(500),
        (agency.pk, department.pk, date(2020, 1, 1)): D(100),
    }


def test_a_parent_meter_of_another_agency_written_past_validation_ends_the_chain(agency):
    """A sub-meter whose parent row (written by hand) is another agency's meter: that meter is not
    in this agency's tree, so the sub-meter's bill is this agency's money and counts, whatever the
    other meter's bill."""
    from ledger.models import Meter

    elsewhere = MeterFactory(agency=AgencyFactory())
    sub = MeterFactory(agency=agency)
    Meter.objects.filter(pk=sub.pk).update(parent=elsewhere)
    BillFactory(meter=elsewhere, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(900))
    BillFactory(meter=sub, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), amount=D(60))
    cost = as_dict(get_indicator("energy_cost").compute([agency.pk], MONTHS))
    assert cost == {(agency.pk, None, date(2020, 1, 1)): D(60)}


@pytest.mark.parametrize(
    ("keys", "kinds"),
    [
        (["electricity"], ["electricity"]),
        (["water", "electricity.air_conditioning"], ["electricity", "water"]),
    ],
)
def test_the_usage_of_some_indicators_reads_only_the_meters_of_their_kinds(agency, monkeypatch, keys, kinds):
    """Saving a reading refreshes its own kind's indicators only: their pass reads the meters of
    the kinds the keys name, not the agency's other meters (the same figures, fewer rows)."""
    import ledger.indicators
    from ledger.indicators import usage_figures

    asked = []
    read = ledger.indicators.usage_of_meters

    def spy(**kwargs):
        asked.append(kwargs["kinds"])
        return read(**kwargs)

    monkeypatch.setattr(ledger.indicators, "usage_of_meters", spy)
    readings(MeterFactory(agency=agency, kind="water"), 0, 5)
    assert set(usage_figures([agency.pk], MONTHS, keys)) == set(keys)
    assert asked == [kinds]


def test_usage_and_cost_asked_for_no_month_or_no_agency_are_empty_without_a_query(agency):
    """A computation over no months (or no agencies) reads nothing: an empty answer, not an error."""
    gas = MeterFactory(agency=agency, kind="gas")
    BillFactory(
        meter=gas, period_start=date(2020, 1, 1), period_end=date(2020, 2, 29), quantity=D(60), amount=D(120)
    )
    for agency_ids, months in (([agency.pk], []), ([], MONTHS)):
        with CaptureQueriesContext(connection) as queries:
            assert cost_by_meter(agency_ids=agency_ids, months=months) == []
            assert usage_of_meters(agency_ids=agency_ids, months=months) == []
        assert len(queries) == 0, (agency_ids, months)
    assert [u.monthly for u in cost_by_meter(agency_ids=[agency.pk], months=MONTHS[:1])] == [
        {date(2020, 1, 1): D("62.0000")}
    ]


def test_a_quarters_usage_and_cost_spread_only_the_bills_that_reach_into_it(agency, monkeypatch):
    """Ten years of bills are not read for one quarter: only the bills of the meters asked for whose
    days reach into the months asked are spread, the one ending on their first day included (a
    bill counts its first to its last day) and the one starting on their last, the ones ending the
    day before or starting the day after left out."""
    gas = MeterFactory(agency=agency, kind="gas")
    periods = {
        "2019": (date(2019, 1, 1), date(2019, 12, 31)),  # ends the day before the quarter
        "edge": (date(2019, 12, 2), date(2020, 1, 1)),  # its last day is the quarter's first
        "inside": (date(2020, 2, 1), date(2020, 2, 29)),
        "last day": (date(2020, 3, 31), date(2020, 4, 30)),  # its first day is the quarter's last
        "after": (date(2020, 4, 1), date(2020, 5, 1)),  # starts the day after
    }
    for first, last in periods.values():
        BillFactory(meter=gas, period_start=first, period_end=last, quantity=D(31), amount=D(62))
    other = MeterFactory(agency=AgencyFactory(), kind="gas")  # not asked for
    BillFactory(meter=other, period_start=date(2020, 3, 1), period_end=date(2020, 3, 30))
    spread_bills = []

    def spy(first, last, quantity):
        spread_bills.append((first, last))
        return bill_spread(first, last, quantity)

    monkeypatch.setattr(ledger.queries, "bill_spread", spy)
    reaching = sorted([periods["edge"], periods["inside"], periods["last day"]])
    [usage] = usage_of_meters(agency_ids=[agency.pk], months=MONTHS)
    assert sorted(spread_bills) == reaching
    assert usage.monthly == {date(2020, 1, 1): D(1), date(2020, 2, 1): D(31), date(2020, 3, 1): D(1)}
    spread_bills.clear()
    [cost] = cost_by_meter(agency_ids=[agency.pk], months=MONTHS)
    assert sorted(spread_bills) == reaching
    assert cost.monthly == {date(2020, 1, 1): D(2), date(2020, 2, 1): D(62), date(2020, 3, 1): D(2)}


def test_a_replacement_entered_new_meter_first_is_read_in_order_whatever_plan_reads_the_readings(
    agency, no_index_scans
):
    """On a replacement day the old meter's final reading comes before the new meter's first, by
    the event, not by the order of entry or the index the database walks: with index scans off,
    PostgreSQL reads the rows as stored (here the new meter's first, entered first) and sorts them."""
    meter = MeterFactory(agency=agency)
    ReadingFactory(meter=meter, date=date(2019, 12, 31), value=D(100))
    ReadingFactory(meter=meter, date=date(2020, 1, 15), value=D(5), event="replacement_initial")
    ReadingFactory(meter=meter, date=date(2020, 1, 15), value=D(160), event="replacement_final")
    ReadingFactory(meter=meter, date=date(2020, 1, 31), value=D(25))
    [usage] = usage_of_meters(agency_ids=[agency.pk], months=[date(2020, 1, 1)])
    assert usage.monthly == {date(2020, 1, 1): D(60) + D(20)}


def test_a_quarters_usage_reads_the_quarters_readings_and_the_two_around_it_not_the_meters_history(agency):
    """Ten years of readings are not loaded for one quarter: the readings query returns those of the
    meters asked for inside the months and the last one before and first one after them (counted
    by running the query the computation sent again, as a count)."""
    meter = MeterFactory(agency=agency)
    days = [date(2018, 6, 30), date(2019, 6, 30), date(2019, 12, 15), date(2020, 2, 29), date(2020, 5, 31)]
    for value, day in enumerate([*days, date(2021, 1, 31)], start=1):
        ReadingFactory(meter=meter, date=day, value=D(100 * value))
    ReadingFactory(meter=MeterFactory(agency=AgencyFactory()), date=date(2020, 2, 29))  # not asked for
    sent = []

    def keep_the_readings_query(execute, sql, params, many, context):
        if '"ledger_reading"."value"' in sql:
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep_the_readings_query):
        [usage] = usage_of_meters(agency_ids=[agency.pk], months=MONTHS)
    [(sql, params)] = sent
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS rows_read", params)
        assert cursor.fetchone()[0] == 3  # 2019-12-15, 2020-02-29, 2020-05-31
    # 100 kWh over Dec 16 – Feb 29 (76 days), then 100 over Mar 1 – May 31 (92 days), by days
    assert usage.monthly == {
        date(2020, 1, 1): D("40.7895"),  # 100 × 31 / 76
        date(2020, 2, 1): D("38.1579"),  # 100 × 29 / 76
        date(2020, 3, 1): D("33.6957"),  # 100 × 31 / 92
    }


def test_a_meter_whose_readings_are_deleted_while_its_usage_is_read_counts_nothing(agency):
    """The meters are read first, their readings by a second query: readings deleted in between (by
    another request, the database at READ COMMITTED) leave the meter with no usage, not an error."""
    meter = MeterFactory(agency=agency)
    readings(meter, 100, 200)

    deleting = []

    def delete_before_the_readings_query(execute, sql, params, many, context):
        if '"ledger_reading"."value"' in sql and not deleting:
            deleting.append(meter)  # first: the delete's own queries pass through here too
            Reading.objects.filter(meter=meter).delete()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(delete_before_the_readings_query):
        [usage] = usage_of_meters(agency_ids=[agency.pk], months=MONTHS)
    assert deleting and not Reading.objects.filter(meter=meter).exists()
    assert (usage.meter_id, usage.monthly) == (meter.pk, {})
