"""Every rule of a reading, through ``reading_record``, with its message."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agencies.scoping import Scope
from ledger.models import Reading
from ledger.services import reading_record, reading_review
from reporting.figures.locks import PeriodLockedError, lock_indicators
from reporting.models import MonthlyFigure
from tests.factories import scope_of
from tests.ledger.factories import MeterFactory, ReadingFactory

D = Decimal


@pytest.fixture
def meter(agency, department):
    return MeterFactory(agency=agency, department=department, code="E-1", dial_digits=5)


def record(meter, day, value, by=None, **kw):
    with translation.override("en"):
        scope = scope_of(by) if by else Scope.system(meter.agency)
        return reading_record(scope=scope, meter=meter, date=day, value=D(value), **kw)


def refused(meter, day, value, **kw) -> dict:
    with pytest.raises(ValidationError) as info, translation.override("en"):
        reading_record(scope=Scope.system(meter.agency), meter=meter, date=day, value=D(value), **kw)
    return {k: " ".join(v) for k, v in info.value.message_dict.items()}


def test_a_reading_is_recorded_with_who_entered_it(meter, clerk):
    reading = record(meter, date(2020, 1, 31), "100", by=clerk)
    assert reading.created_by == clerk and reading.kind == "actual" and reading.source == "form"


def test_a_future_date_is_refused(meter):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert refused(meter, tomorrow, "1") == {"date": "The reading date cannot be in the future."}


def test_the_message_is_in_chinese_for_chinese_users(meter):
    with pytest.raises(ValidationError) as info, translation.override("zh-hans"):
        reading_record(
            scope=Scope.system(meter.agency),
            meter=meter,
            date=timezone.localdate() + timedelta(days=1),
            value=D(1),
        )
    assert "未来" in info.value.message_dict["date"][0]


def test_a_reading_before_installation_or_after_retirement_is_refused(meter):
    meter.installed_on, meter.retired_on = date(2020, 1, 1), date(2020, 12, 31)
    meter.save()
    assert "installed on 2020-01-01" in refused(meter, date(2019, 12, 31), "1")["date"]
    assert "retired on 2020-12-31" in refused(meter, date(2021, 1, 31), "1")["date"]


def test_a_second_reading_on_the_same_date_is_refused(meter):
    record(meter, date(2020, 1, 31), "100")
    assert refused(meter, date(2020, 1, 31), "120") == {
        "date": "There is already a reading of this meter on this date."
    }


def test_the_database_refuses_a_duplicate_that_slipped_past_validation(meter):
    record(meter, date(2020, 1, 31), "100")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Reading.objects.create(meter=meter, date=date(2020, 1, 31), value=D(5))


@pytest.mark.django_db(transaction=True)
def test_two_clerks_saving_at_once_cannot_make_a_duplicate(agency, department):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent connections")
    meter = MeterFactory(agency=agency, department=department)
    barrier, outcomes = threading.Barrier(2), []

    def clerk_saves(value):
        barrier.wait()
        try:
            record(meter, date(2020, 1, 31), value)
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk_saves, args=(v,)) for v in ("100", "101")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Reading.objects.filter(meter=meter).count() == 1
    assert sorted(outcomes) == ["There is already a reading of this meter on this date.", "saved"]


def test_a_value_below_the_previous_reading_is_refused(meter):
    record(meter, date(2020, 1, 31), "500")
    message = refused(meter, date(2020, 2, 29), "400")["value"]
    assert message.startswith("The value is below the previous reading (500 on 2020-01-31).")
    assert "rollover" in message and "replacement" in message


def test_a_value_above_the_next_reading_is_refused(meter):
    record(meter, date(2020, 1, 31), "100")
    record(meter, date(2020, 3, 31), "300")
    assert refused(meter, date(2020, 2, 29), "350") == {
        "value": "The value is above the next reading (300 on 2020-03-31)."
    }


def test_a_rollover_is_accepted_below_the_previous_reading(meter):
    record(meter, date(2020, 1, 31), "99900")
    reading = record(meter, date(2020, 2, 29), "50", event="rollover")
    assert reading.event == "rollover"


def test_a_rollover_above_the_previous_reading_is_refused(meter):
    record(meter, date(2020, 1, 31), "100")
    assert (
        "rollover reading is below the previous one"
        in refused(meter, date(2020, 2, 29), "150", event="rollover")["event"]
    )


def test_a_value_with_more_digits_than_the_dial_is_refused(meter):
    assert refused(meter, date(2020, 1, 31), "100000") == {
        "value": "The value has more digits than the meter's dial (5)."
    }


def test_a_replacement_is_the_old_meters_final_and_the_new_meters_first_reading_on_one_date(meter):
    record(meter, date(2020, 1, 31), "900")
    record(meter, date(2020, 2, 15), "950", event="replacement_final")
    record(meter, date(2020, 2, 15), "3", event="replacement_initial")
    record(meter, date(2020, 2, 29), "23")
    assert meter.readings.count() == 4


def test_a_new_meters_first_reading_without_the_old_ones_final_is_refused(meter):
    record(meter, date(2020, 1, 31), "900")
    assert (
        "must follow the old meter's final reading"
        in refused(meter, date(2020, 2, 15), "3", event="replacement_initial")["event"]
    )


def test_usage_far_above_the_usual_needs_confirming_and_is_flagged(meter, clerk):
    for month, value in enumerate([100, 200, 300, 400, 500], start=1):
        record(meter, date(2020, month + 1, 1) - timedelta(days=1), str(value))
    message = refused(meter, date(2020, 6, 30), "2000")["confirm_abnormal"]
    assert message.startswith("Usage of 1500 kWh is more than 3 times this meter's usual")
    reading = record(meter, date(2020, 6, 30), "2000", by=clerk, confirm_abnormal=True)
    assert reading.is_abnormal and reading.confirmed_by == clerk and reading.reviewed_at is None


def test_a_manager_review_clears_the_abnormal_flag_for_alerts(meter, manager):
    reading = ReadingFactory(meter=meter, is_abnormal=True)
    reading_review(scope=scope_of(manager), reading=reading)
    reading.refresh_from_db()
    assert reading.reviewed_by == manager and reading.reviewed_at is not None


def test_a_reading_in_a_locked_month_is_refused(meter, agency):
    record(meter, date(2020, 1, 31), "100")
    lock_indicators(agency_id=agency.pk, months=[date(2020, 2, 1)], indicators=["electricity"])
    with pytest.raises(PeriodLockedError):
        record(meter, date(2020, 2, 29), "200")
    assert meter.readings.count() == 1


def test_correcting_a_reading_rechecks_the_rules_and_keeps_the_history(meter, clerk, manager):
    first = record(meter, date(2020, 1, 31), "100", by=clerk)
    record(meter, date(2020, 2, 29), "200", by=clerk)
    assert "above the next reading" in refused(meter, date(2020, 1, 31), "250", reading=first)["value"]
    record(meter, date(2020, 1, 31), "120", by=manager, reading=first)
    first.refresh_from_db()
    assert first.value == D(120) and first.history.count() == 2


def test_recording_refreshes_the_months_figures(meter, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(meter, date(2020, 1, 31), "100")
        record(meter, date(2020, 2, 29), "250")
    figure = MonthlyFigure.objects.get(agency=agency, indicator="electricity", department=None)
    assert (figure.month, figure.value) == (date(2020, 2, 1), D(150))


def test_changing_a_meters_figures_in_a_locked_month_is_refused(meter, agency, manager):
    from ledger.services import meter_update

    record(meter, date(2020, 1, 31), "100")
    record(meter, date(2020, 2, 29), "200")
    lock_indicators(agency_id=agency.pk, months=[date(2020, 2, 1)], indicators=["electricity"])
    with pytest.raises(PeriodLockedError):
        meter_update(scope=scope_of(manager), meter=meter, multiplier=D(40))
    meter.refresh_from_db()
    assert meter.multiplier == D(1)
    meter_update(
        scope=scope_of(manager), meter=meter, name="改名不影响数字"
    )  # a name is not a figure: allowed


def test_a_bill_in_a_locked_month_is_refused(meter, agency, manager):
    from ledger.services import bill_record

    lock_indicators(agency_id=agency.pk, months=[date(2020, 3, 1)], indicators=["electricity"])
    with pytest.raises(PeriodLockedError):
        bill_record(
            scope=scope_of(manager),
            meter=meter,
            period_start=date(2020, 2, 1),
            period_end=date(2020, 3, 31),
            quantity=D(1),
            amount=D(1),
        )


def test_a_meters_history_runs_newest_first_across_the_meter_and_its_readings(meter, clerk, manager):
    from ledger.queries import meter_history
    from ledger.services import meter_update

    old_name = meter.name
    record(meter, date(2020, 1, 31), "100", by=clerk)
    meter_update(scope=scope_of(manager), meter=meter, name="总表")
    record(meter, date(2020, 2, 29), "200", by=clerk)
    with translation.override("en"):
        history = meter_history(meter)
    assert [entry.what for entry in history] == [
        "2020-02-29 200.000",
        str(meter),
        "2020-01-31 100.000",
        str(meter),
    ]
    # what was done, and each change by the field's own name, from what to what
    assert [entry.action for entry in history] == ["Created", "Changed", "Created", "Created"]
    assert history[1].changes == [("name", old_name, "总表")]


def test_who_made_each_change_in_a_meters_history_costs_no_query_of_its_own(agency, department, clerk):
    from ledger.queries import meter_history

    def queries_for_history(by):
        meter = MeterFactory(agency=agency, department=department, dial_digits=5)
        for month in (1, 2, 3):
            record(meter, date(2020, month, 28), str(100 * month))
        # as a request records who made each change: the meter's creation and the readings
        meter.history.update(history_user=by)
        Reading.history.filter(meter_id=meter.pk).update(history_user=by)
        with CaptureQueriesContext(connection) as queries:
            history = meter_history(meter)
        assert len(history) == 4 and {entry.who for entry in history} == {by}
        return len(queries)

    # the same history, each reading entered by a clerk or by the system: the same queries
    assert queries_for_history(clerk) == queries_for_history(None)


def test_a_meters_history_shows_its_sixty_latest_changes(meter):
    from ledger.queries import meter_history

    for day in range(60):
        ReadingFactory(meter=meter, date=date(2020, 1, 1) + timedelta(days=day), value=D(day))
    history = meter_history(meter)  # the meter's creation and 60 readings: the creation is cut off
    assert len(history) == 60
    assert (history[0].what, history[-1].what) == ("2020-02-29 59.000", "2020-01-01 0.000")


def test_a_meters_monthly_usage_runs_oldest_first_from_its_readings(meter):
    from ledger.queries import meter_monthly

    record(meter, date(2020, 1, 31), "100")
    record(meter, date(2020, 2, 29), "250")
    record(meter, date(2020, 3, 31), "300")
    assert meter_monthly(meter) == [(date(2020, 2, 1), D(150)), (date(2020, 3, 1), D(50))]


def test_a_billed_meters_monthly_usage_covers_every_month_its_bills_span(meter):
    from ledger.queries import meter_monthly
    from tests.ledger.factories import BillFactory

    BillFactory(meter=meter, period_start=date(2019, 12, 17), period_end=date(2020, 1, 15), quantity=D(300))
    assert meter_monthly(meter) == [(date(2019, 12, 1), D(150)), (date(2020, 1, 1), D(150))]
