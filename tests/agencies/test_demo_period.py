"""The demo's period: from the seed's 2019 baseline to the last complete month before today."""

from datetime import date

import pytest

from agencies.demo import DemoPeriod, demo_last_month, demo_period


def test_the_demo_reaches_the_month_before_todays():
    period = demo_period(date(2026, 11, 30))
    assert (period.first, period.last, period.last_day) == (
        date(2019, 1, 1),
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    assert period.current_month == date(2026, 11, 1)
    assert len(period.months) == 8 * 12 - 2 and period.months[-1] == date(2026, 10, 1)
    assert period.years == list(range(2019, 2027)) and period.complete_years == list(range(2019, 2026))
    assert period.months_of(2026)[-1] == date(2026, 10, 1) and len(period.months_of(2026)) == 10
    assert period.last_complete_quarter == (2026, 3)
    assert str(period) == "2019-01–2026-10"


def test_in_january_the_last_month_is_last_years_december():
    period = demo_period(date(2027, 1, 1))
    assert (period.last, period.last_day, period.last_complete_quarter) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
        (2026, 4),
    )
    assert period.complete_years[-1] == 2026
    assert demo_last_month(date(2027, 3, 31)) == date(2027, 2, 1)
    assert DemoPeriod(today=date(2027, 4, 1)).last_complete_quarter == (2027, 1)


def test_the_default_is_today_in_the_project_time_zone(settings):
    from django.utils import timezone

    assert demo_period().today == timezone.localdate()
    assert demo_last_month() == demo_period().last


def test_a_today_before_the_baseline_year_is_over_is_refused():
    with pytest.raises(ValueError):
        demo_period(date(2019, 6, 1))
