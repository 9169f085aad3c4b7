"""Quarters and months at their edges: the last day of a quarter, the turn of the year, what parses."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reporting.figures.locks import lock_indicators, locked
from reporting.periods import Quarter, months_of_year


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2020, 1, 1), Quarter(2020, 1)),
        (date(2020, 3, 31), Quarter(2020, 1)),
        (date(2020, 4, 1), Quarter(2020, 2)),
        (date(2020, 6, 30), Quarter(2020, 2)),
        (date(2020, 7, 1), Quarter(2020, 3)),
        (date(2020, 9, 30), Quarter(2020, 3)),
        (date(2020, 10, 1), Quarter(2020, 4)),
        (date(2020, 12, 31), Quarter(2020, 4)),
    ],
)
def test_a_day_belongs_to_its_quarter_up_to_the_quarters_last_day(day, quarter):
    assert Quarter.containing(day) == quarter
    assert date(day.year, day.month, 1) in quarter.months


@pytest.mark.parametrize(
    ("quarter", "months", "last_month"),
    [
        (Quarter(2020, 1), (1, 2, 3), 3),
        (Quarter(2020, 2), (4, 5, 6), 6),
        (Quarter(2020, 4), (10, 11, 12), 12),
    ],
)
def test_a_quarter_has_three_months_and_its_year_to_date_runs_from_january(quarter, months, last_month):
    assert quarter.months == [date(quarter.year, m, 1) for m in months]
    assert quarter.last_month == last_month
    assert quarter.year_to_date == [date(quarter.year, m, 1) for m in range(1, last_month + 1)]


def test_the_months_of_a_year_run_through_the_month_asked():
    assert months_of_year(2020) == [date(2020, m, 1) for m in range(1, 13)]
    assert months_of_year(2020, through=1) == [date(2020, 1, 1)]
    assert months_of_year(2020, through=11)[-1] == date(2020, 11, 1)


def test_quarters_turn_over_at_the_year_and_are_ordered():
    assert Quarter(2021, 1).previous() == Quarter(2020, 4)
    assert Quarter(2020, 4).next() == Quarter(2021, 1)
    assert Quarter(2020, 2).previous() == Quarter(2020, 1) and Quarter(2020, 2).next() == Quarter(2020, 3)
    assert Quarter(2020, 4) < Quarter(2021, 1) < Quarter(2021, 2)
    assert str(Quarter(2020, 4)) == "2020Q4"
    with translation.override("en"):
        assert Quarter(2020, 4).label == "2020 Q4"


@pytest.mark.parametrize(
    ("text", "quarter"),
    [("2020Q4", Quarter(2020, 4)), (" 2020 q1 ", Quarter(2020, 1)), ("2021Q2", Quarter(2021, 2))],
)
def test_a_quarter_parses_from_its_short_form(text, quarter):
    assert Quarter.parse(text) == quarter


@pytest.mark.parametrize("text", ["2020Q0", "2020Q5", "20Q4", "2020-4", "", None, "x2020Q4", "2020Q4x"])
def test_anything_else_is_not_a_quarter(text):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        Quarter.parse(text)
    assert error.value.code == "bad_quarter"
    assert "is not a quarter; write it like 2020Q4." in error.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_locked"),
    [
        (date(2020, 9, 30), False),  # the day before the quarter
        (date(2020, 10, 1), True),
        (date(2020, 12, 31), True),  # the quarter's last day
        (date(2021, 1, 1), False),  # the next year's first day
    ],
)
def test_a_locked_quarter_covers_its_first_to_its_last_day_for_its_indicators_only(agency, day, is_locked):
    lock_indicators(agency_id=agency.pk, months=Quarter(2020, 4).months, indicators=["electricity"])
    assert bool(locked(agency_id=agency.pk, months=[day], indicators=["electricity"])) is is_locked
    assert locked(agency_id=agency.pk, months=[day], indicators=["water"]) == []


# --- found by mutation testing (docs/testing.md) ------------------------------------------------


@pytest.mark.django_db
def test_the_locked_message_names_each_indicator_month_and_quarter_once():
    from reporting.figures.locks import locked_message
    from reporting.registry import get_indicator

    electricity = str(get_indicator("electricity").name)
    pairs = [
        (date(2020, 4, 1), "electricity"),
        (date(2020, 2, 1), "electricity"),
        (date(2020, 2, 1), "no.such"),
    ]
    assert locked_message(pairs) == (
        f"2020年第一季度、2020年第二季度公示已发布，2020-02、2020-04的{electricity}、no.such已锁定。"
        "如需修改，请能源资源管理员重新打开2020年第一季度、2020年第二季度（季度公示 → 该季度 → 重新打开，"
        "须说明理由），更正后重新计算并发布更正版。"
    )
    with translation.override("en"):
        assert locked_message(pairs).startswith(
            "Electricity, no.such of 2020-02, 2020-04 was published in the disclosure of 2020 Q1, 2020 Q2 "
        )


@pytest.mark.django_db
def test_unlocking_lifts_only_the_agencys_months_asked(agency, other_agency):
    from reporting.figures.locks import unlock_months

    for agency_id in (agency.pk, other_agency.pk):
        lock_indicators(
            agency_id=agency_id, months=Quarter(2020, 1).months, indicators=["electricity", "water"]
        )
    assert unlock_months(agency_id=agency.pk, months=[date(2020, 2, 17)]) == 2
    assert locked(agency_id=agency.pk, months=Quarter(2020, 1).months, indicators=["electricity"]) == [
        (date(2020, 1, 1), "electricity"),
        (date(2020, 3, 1), "electricity"),
    ]
    assert len(locked(agency_id=other_agency.pk, months=Quarter(2020, 1).months, indicators=["water"])) == 3


def test_a_quarter_that_cannot_be_read_is_told_in_chinese():
    for text in ("2020Q5", "", None):
        with pytest.raises(ValidationError) as error:
            Quarter.parse(text)
        assert error.value.messages == [f"{text} 不是有效的季度，请按 2020Q4 的格式填写。"]
        assert error.value.code == "bad_quarter"
