"""Writes against the spine: locks by published indicator, the stale record, refreshes that touch
only what a write fed and never fail it, a disclosure that brings its quarter up to date first."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, transaction
from django.utils import translation

from agencies.scoping import Scope
from ledger.services import reading_record
from reporting import registry, writes
from reporting.disclosures.services import StaleDraftError, disclosure_compute, disclosure_publish
from reporting.figures.locks import lock_indicators
from reporting.figures.refresh import figures_refresh
from reporting.models import Disclosure, DisclosureStatus, MonthlyFigure, PeriodLock, StaleFigure
from reporting.periods import Quarter
from reporting.registry import Figure, Indicator
from tests.factories import AgencyFactory, UserFactory, scope_of
from tests.ledger.factories import MeterFactory

Q1 = Quarter(2020, 1)
# Source rows of two ledgers that arrive later (fuel logs, paper records): (agency, month) → value
FUEL: dict[tuple[int, date], D] = {}
PAPER: dict[tuple[int, date], D] = {}
CALLS: list[str] = []


def _from(rows, key):
    def compute(agency_ids, months):
        CALLS.append(key)
        return [Figure(a, None, m, v) for (a, m), v in rows.items() if a in agency_ids and m in months]

    return compute


def _broken(agency_ids, months):
    CALLS.append("test.broken")
    raise RuntimeError("another app's indicator is broken")


LATER_LEDGERS = [
    Indicator(key="test.fuel", name="Fuel", unit="L", compute=_from(FUEL, "test.fuel"), order=900),
    Indicator(key="test.paper", name="Paper", unit="ream", compute=_from(PAPER, "test.paper"), order=901),
]


@pytest.fixture
def later_ledgers():
    FUEL.clear(), PAPER.clear(), CALLS.clear()
    for indicator in LATER_LEDGERS:
        registry.register_indicator(indicator)
    yield
    for indicator in LATER_LEDGERS:
        registry.unregister_indicator(indicator.key)


@pytest.fixture
def broken_indicator():
    CALLS.clear()
    registry.register_indicator(Indicator(key="test.broken", name="Broken", unit="x", compute=_broken))
    yield
    registry.unregister_indicator("test.broken")


@pytest.fixture
def agency(db):
    return AgencyFactory(code="LYYB", name="临沂市医疗保障局")


@pytest.fixture
def manager(agency):
    from agencies.models import Membership, Role

    user = UserFactory(username="manager")
    Membership.objects.create(user=user, agency=agency, role=Role.MANAGER)
    return user


@pytest.fixture
def meter(agency):
    return MeterFactory(agency=agency, code="E-1", kind="electricity")


def read(meter, day, value, reading=None):
    with translation.override("zh-hans"):
        return reading_record(
            scope=Scope.system(meter.agency), meter=meter, date=day, value=D(value), reading=reading
        )


def enter(rows, agency, month, value, key):
    """What a later ledger's write service does: check, write, mark stale in its transaction."""
    writes.assert_open(agency_id=agency.pk, months=[month], indicators=[key])
    with transaction.atomic():
        rows[(agency.pk, month)] = D(value)
        writes.mark_stale(agency_id=agency.pk, months=[month], indicators=[key])


def electricity(agency, month):
    row = MonthlyFigure.objects.filter(agency=agency, indicator="electricity", month=month, department=None)
    return row.values_list("value", flat=True).first()


@pytest.fixture
def electricity_2020q1_published(agency, meter, manager, later_ledgers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day, value in [(date(2019, 12, 31), 1000), (date(2020, 1, 31), 1900), (date(2020, 2, 29), 2700)]:
            read(meter, day, value)
        read(meter, date(2020, 3, 31), 3600)
    disclosure = disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=Q1)
    )
    assert disclosure.status == DisclosureStatus.PUBLISHED
    return disclosure


# --- 1. Locks by what was published ----------------------------------------------------------------


def test_with_electricity_published_a_later_ledgers_fuel_and_baseline_paper_are_accepted(
    agency, electricity_2020q1_published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter(FUEL, agency, date(2020, 2, 1), "812.5", "test.fuel")  # a 2020-02 fuel log
        enter(PAPER, agency, date(2019, 6, 1), "40", "test.paper")  # a 2019 (baseline) paper record
    fuel = MonthlyFigure.objects.get(agency=agency, indicator="test.fuel", month=date(2020, 2, 1))
    assert fuel.value == D("812.5")
    assert MonthlyFigure.objects.filter(
        agency=agency, indicator="test.paper", month=date(2019, 6, 1)
    ).exists()


def test_with_electricity_published_a_2020_02_electricity_reading_is_refused_naming_the_reopen_path(
    agency, meter, electricity_2020q1_published
):
    february = meter.readings.get(date=date(2020, 2, 29))
    with pytest.raises(writes.PeriodLockedError) as refused:
        read(meter, date(2020, 2, 29), 2750, reading=february)
    assert refused.value.code == "period_locked"
    message = refused.value.messages[0]
    assert "2020-02" in message and "2020年第一季度" in message
    assert "重新打开" in message and "能源资源管理员" in message and "更正版" in message
    february.refresh_from_db()
    assert february.value == D(2700)  # nothing written


def test_publishing_locks_only_the_indicators_it_gave_a_figure_for(agency, electricity_2020q1_published):
    locks = set(PeriodLock.objects.filter(agency=agency).values_list("month", "indicator"))
    assert {(m, "electricity") for m in Q1.months} <= locks
    assert not {key for _m, key in locks} & {"test.fuel", "test.paper", "water", "gas"}


def test_each_lock_says_who_published_it_and_which_version(agency, manager, electricity_2020q1_published):
    notes = {(lock.locked_by_id, lock.note) for lock in PeriodLock.objects.filter(agency=agency)}
    assert notes == {(manager.pk, f"{Q1} 第1版公示已发布")}  # "Disclosure 2020Q1 v1 published"


def test_a_snapshot_locks_the_summed_indicators_it_gave_a_quarter_figure_for():
    from reporting.figures.locks import snapshot_lock_keys

    data = {
        "indicators": [
            {"key": "electricity", "quarter": None},  # no quarter figure: not frozen
            {"key": "waste.recyclable_share", "quarter": "31.5"},  # a ratio: its two parts
            {"key": "water", "quarter": "300"},
            {"key": "waste", "quarter": "1000"},  # a part again: once
            {"key": "an.indicator.since.removed", "quarter": "1"},  # no longer registered: its key
        ]
    }
    assert snapshot_lock_keys(data) == ["waste.recyclable", "waste", "water", "an.indicator.since.removed"]
    assert snapshot_lock_keys({}) == []


def test_locking_a_month_locked_already_keeps_its_first_lock(agency):
    # two days of one month, then the month again: one lock, as first made
    lock_indicators(
        agency_id=agency.pk, months=[date(2020, 1, 15), date(2020, 1, 31)], indicators=["electricity"]
    )
    lock_indicators(agency_id=agency.pk, months=[date(2020, 1, 1)], indicators=["electricity"], note="again")
    assert list(PeriodLock.objects.values_list("month", "indicator", "note", "locked_by")) == [
        (date(2020, 1, 1), "electricity", "", None)
    ]


def test_reopening_lifts_the_quarters_locks(agency, meter, manager, electricity_2020q1_published):
    from reporting.disclosures.services import disclosure_reopen

    disclosure_reopen(scope=scope_of(manager), quarter=Q1, reason="二月读数抄错")
    february = meter.readings.get(date=date(2020, 2, 29))
    assert read(meter, date(2020, 2, 29), 2750, reading=february).value == D(2750)
    assert not PeriodLock.objects.filter(agency=agency).exists()


def test_a_write_must_name_its_indicators(agency):
    with pytest.raises(ValueError, match=r"^A write names the indicators its rows feed \(its own keys\)\.$"):
        writes.assert_open(agency_id=agency.pk, months=[date(2020, 1, 1)], indicators=[])
    with pytest.raises(LookupError):
        writes.mark_stale(agency_id=agency.pk, months=[date(2020, 1, 1)], indicators=["no.such.indicator"])


# --- 2. Refresh only what a write touched ------------------------------------------------------------


def test_a_write_refreshes_only_its_own_indicators(
    agency, meter, later_ledgers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        read(meter, date(2020, 1, 31), 100)
        read(meter, date(2020, 2, 29), 250)
    assert CALLS == []  # fuel and paper were not computed for an electricity reading
    assert electricity(agency, date(2020, 2, 1)) == D(150)


def test_another_apps_indicator_that_raises_never_fails_nor_rolls_back_a_write(
    agency, meter, broken_indicator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        read(meter, date(2020, 1, 31), 100)
        reading = read(meter, date(2020, 2, 29), 250)
    assert reading.pk and electricity(agency, date(2020, 2, 1)) == D(150)
    assert "test.broken" not in CALLS


def test_a_full_refresh_writes_every_indicator_but_the_one_that_raises_and_keeps_it_stale(
    agency, meter, broken_indicator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the refresh after commit is lost
        read(meter, date(2020, 1, 31), 100)
        read(meter, date(2020, 2, 29), 250)
        with transaction.atomic():
            writes.mark_stale(agency_id=agency.pk, months=[date(2020, 2, 1)], indicators=["test.broken"])
    written = figures_refresh(agency_ids=[agency.pk], months=[date(2020, 1, 1), date(2020, 2, 1)])
    assert written and electricity(agency, date(2020, 2, 1)) == D(150)
    assert list(StaleFigure.objects.filter(agency=agency).values_list("indicator", flat=True)) == [
        "test.broken"
    ]


def test_a_refresh_that_raises_after_commit_is_logged_and_the_write_stands(
    agency, meter, monkeypatch, django_capture_on_commit_callbacks
):
    def down(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr("reporting.tasks.figures_refresh_stale", down)
    with django_capture_on_commit_callbacks(execute=True):
        reading = read(meter, date(2020, 1, 31), 100)
    assert reading.pk and StaleFigure.objects.filter(agency=agency).exists()  # kept for a later refresh


# --- 3. Refreshes that cannot collide or be lost ------------------------------------------------------


def test_a_write_records_what_it_made_stale_in_its_transaction_and_the_refresh_clears_it(
    agency, meter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        read(meter, date(2020, 1, 31), 100)
    stale = set(StaleFigure.objects.filter(agency=agency).values_list("month", "indicator"))
    assert (date(2020, 1, 1), "electricity") in stale and (date(2020, 1, 1), "water") not in stale
    for callback in callbacks:
        callback()
    assert not StaleFigure.objects.filter(agency=agency).exists()


def test_a_write_that_is_rolled_back_leaves_no_stale_record(agency):
    with pytest.raises(RuntimeError), transaction.atomic():
        writes.mark_stale(agency_id=agency.pk, months=[date(2020, 1, 1)], indicators=["electricity"])
        raise RuntimeError("the write failed after marking")
    assert not StaleFigure.objects.exists()


def test_a_disclosure_computed_right_after_a_write_sees_the_write(
    agency, meter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        read(meter, date(2019, 12, 31), 1000)
        read(meter, date(2020, 1, 31), 1900)
    with django_capture_on_commit_callbacks(execute=False):  # its refresh has not run yet
        read(meter, date(2020, 2, 29), 2700)
    disclosure = disclosure_compute(agency=agency, quarter=Q1)
    item = next(i for i in disclosure.data["indicators"] if i["key"] == "electricity")
    assert item["quarter"] == "1700.00"  # January 900 + February 800
    assert not StaleFigure.objects.filter(agency=agency).exists()


def test_a_draft_computed_before_a_write_is_recomputed_not_published(
    agency, meter, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        read(meter, date(2019, 12, 31), 1000)
        read(meter, date(2020, 1, 31), 1900)
    draft = disclosure_compute(agency=agency, quarter=Q1)
    with django_capture_on_commit_callbacks(execute=False):
        read(meter, date(2020, 2, 29), 2700)
    with translation.override("zh-hans"), pytest.raises(StaleDraftError) as refused:
        disclosure_publish(scope=scope_of(manager), disclosure=draft)
    assert "请核对后再发布" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == DisclosureStatus.DRAFT
    assert next(i for i in draft.data["indicators"] if i["key"] == "electricity")["quarter"] == "1700.00"
    assert disclosure_publish(scope=scope_of(manager), disclosure=draft).status == DisclosureStatus.PUBLISHED


def test_the_refresh_task_retries_when_the_database_goes_away(agency, monkeypatch):
    from reporting import tasks

    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return 7

    monkeypatch.setattr(tasks, "figures_refresh_stale", flaky)
    result = tasks.refresh_stale_figures.apply(args=[agency.pk], throw=False)  # eager: retried at once
    assert result.get() == 7 and calls == [{"agency_ids": [agency.pk]}] * 2
    assert OperationalError in tasks.refresh_stale_figures.autoretry_for
    assert tasks.refresh_stale_figures.retry_backoff and tasks.refresh_stale_figures.max_retries >= 5


def test_the_nightly_reconcile_brings_what_a_lost_refresh_left_stale_up_to_date(
    agency, meter, settings, django_capture_on_commit_callbacks
):
    from reporting.tasks import reconcile_figures

    with django_capture_on_commit_callbacks(execute=False):  # the worker was down: refresh lost
        read(meter, date(2020, 1, 31), 100)
        read(meter, date(2020, 2, 29), 250)
    assert electricity(agency, date(2020, 2, 1)) is None
    reconcile_figures.run()
    assert electricity(agency, date(2020, 2, 1)) == D(150)
    assert not StaleFigure.objects.exists()
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.tasks.reconcile_figures" in schedule


def test_the_command_rebuilds_an_agencys_year(agency, meter, django_capture_on_commit_callbacks):
    other = AgencyFactory(code="LYSJ")
    with django_capture_on_commit_callbacks(execute=True):
        read(meter, date(2020, 1, 31), 100)
        read(meter, date(2020, 2, 29), 250)
    MonthlyFigure.objects.filter(agency=agency).delete()
    out = StringIO()
    call_command("refresh_figures", "--agency", "LYYB", "--year", "2020", stdout=out)
    assert electricity(agency, date(2020, 2, 1)) == D(150)
    assert "2020" in out.getvalue() and not MonthlyFigure.objects.filter(agency=other).exists()
    with pytest.raises(CommandError):
        call_command("refresh_figures", "--agency", "NOPE")


def test_a_disclosure_of_a_published_quarter_is_returned_unchanged(agency, electricity_2020q1_published):
    again = disclosure_compute(agency=agency, quarter=Q1)
    assert again.pk == electricity_2020q1_published.pk and again.data == electricity_2020q1_published.data
    assert Disclosure.objects.filter(agency=agency).count() == 1


# --- Derived indicators (Indicator.derived_from) ---------------------------------------------------


@pytest.fixture
def derived_from_fuel(later_ledgers):
    """An indicator computed from the fuel ledger's own rows (as comprehensive energy is)."""

    def compute(agency_ids, months):
        CALLS.append("test.derived")
        return [Figure(f.agency_id, None, f.month, f.value * 2) for f in _from(FUEL, "x")(agency_ids, months)]

    registry.register_indicator(
        Indicator(
            key="test.derived",
            name="Twice the fuel",
            unit="kgce",
            compute=compute,
            derived_from=("test.fuel",),
        )
    )
    yield
    registry.unregister_indicator("test.derived")


def test_a_derived_indicator_must_name_registered_sources():
    with pytest.raises(ValueError):
        registry.register_indicator(
            Indicator(
                key="test.orphan", name="x", unit="x", compute=lambda a, m: [], derived_from=("test.none",)
            )
        )
    with pytest.raises(LookupError):
        registry.get_indicator("test.orphan")


def test_a_write_makes_what_is_derived_from_it_stale_and_the_refresh_brings_it_up_to_date(
    agency, derived_from_fuel, django_capture_on_commit_callbacks
):
    assert registry.with_derived(["test.fuel"])[:2] == ["test.fuel", "test.derived"]
    month = date(2020, 2, 1)
    with django_capture_on_commit_callbacks(execute=False):
        enter(FUEL, agency, month, "10", "test.fuel")
    assert set(StaleFigure.objects.values_list("indicator", flat=True)) >= {"test.fuel", "test.derived"}
    with django_capture_on_commit_callbacks(execute=True):
        enter(FUEL, agency, month, "12.5", "test.fuel")
    derived = MonthlyFigure.objects.get(agency=agency, indicator="test.derived", month=month)
    assert derived.value == D(25) and not StaleFigure.objects.filter(agency=agency).exists()


def test_refreshing_a_source_now_refreshes_what_is_derived_from_it(agency, derived_from_fuel):
    FUEL[(agency.pk, date(2020, 3, 1))] = D(4)
    writes.refresh_now(agency_ids=[agency.pk], months=[date(2020, 3, 1)], indicators=["test.fuel"])
    assert MonthlyFigure.objects.get(agency=agency, indicator="test.derived").value == D(8)


@pytest.fixture
def derived_through_the_registry(later_ledgers):
    """A derived indicator that reads its source with registry.figures_of, as comprehensive energy does."""

    def compute(agency_ids, months):
        CALLS.append("test.thrice")
        fuel = registry.figures_of(["test.fuel"], agency_ids, months)["test.fuel"]
        return [Figure(f.agency_id, None, f.month, f.value * 3) for f in fuel]

    registry.register_indicator(
        Indicator(key="test.thrice", name="Thrice", unit="kgce", compute=compute, derived_from=("test.fuel",))
    )
    yield
    registry.unregister_indicator("test.thrice")


def test_a_refresh_computes_a_source_once_for_itself_and_what_is_derived_from_it(
    agency, derived_through_the_registry
):
    FUEL[(agency.pk, date(2020, 3, 1))] = D(4)
    writes.refresh_now(agency_ids=[agency.pk], months=[date(2020, 3, 1)], indicators=["test.fuel"])
    assert MonthlyFigure.objects.get(agency=agency, indicator="test.thrice").value == D(12)
    assert MonthlyFigure.objects.get(agency=agency, indicator="test.fuel").value == D(4)
    assert CALLS.count("test.fuel") == 1 and CALLS.count("test.thrice") == 1
    # Outside a refresh nothing is kept: each call computes its sources.
    registry.get_indicator("test.thrice").compute([agency.pk], [date(2020, 3, 1)])
    assert CALLS.count("test.fuel") == 2
