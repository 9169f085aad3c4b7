"""Every threshold of the reading rule and of a meter's period, at its exact value and one step each side.

``reading_check`` is the one rule of the form, the monthly round and the Excel import: the date
against today and the meter's service, the value against zero, the dial and both neighbours, the
rollover, and unusual usage (more than 3× the median daily usage of the last 12 intervals, judged
from 3 intervals on). A meter counts as in service in a month from its installation day to its
retirement day, both included; the missing-readings alert counts readings of the month's first
to last day.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.alerts import missing_readings
from ledger.models import Meter
from ledger.queries import active_meters
from ledger.rules import (
    ABNORMAL_FACTOR,
    HISTORY,
    MIN_HISTORY,
    MeterFacts,
    RecentRates,
    appended_check,
    reading_check,
    recent_rates,
    usual_daily,
    usual_of,
)
from ledger.usage import Point
from tests.ledger.factories import MeterFactory, ReadingFactory

D = Decimal
DAY = timedelta(days=1)
TODAY = date(2021, 6, 15)
FACTS = MeterFacts(dial_digits=6, multiplier=D(40), share=D("0.35"), unit="kWh")
PREVIOUS = Point(date(2021, 5, 1), D(1000))
EPSILON = D("0.001")  # a reading's precision (3 decimal places)


def check(
    *, day=date(2021, 5, 31), value, event="normal", previous=PREVIOUS, following=None, language="en", **kw
):
    kw.setdefault("facts", FACTS)
    kw.setdefault("today", TODAY)
    with translation.override(language):
        return reading_check(
            day=day, value=D(value), event=event, previous=previous, following=following, **kw
        )


@pytest.mark.parametrize(("day", "ok"), [(TODAY - DAY, True), (TODAY, True), (TODAY + DAY, False)])
def test_a_reading_may_be_dated_today_but_not_tomorrow(day, ok):
    result = check(day=day, value="1100")
    assert result.ok is ok
    assert ok or result.errors["date"] == "The reading date cannot be in the future."


@pytest.mark.parametrize(("shift", "ok"), [(-1, False), (0, True), (1, True)])
def test_a_reading_may_be_dated_on_the_installation_day_but_not_before(shift, ok):
    facts = replace(FACTS, installed_on=date(2021, 3, 1))
    result = check(day=date(2021, 3, 1) + shift * DAY, value="10", previous=None, facts=facts)
    assert result.ok is ok
    assert ok or "installed on 2021-03-01" in result.errors["date"]


@pytest.mark.parametrize(("shift", "ok"), [(-1, True), (0, True), (1, False)])
def test_a_reading_may_be_dated_on_the_retirement_day_but_not_after(shift, ok):
    facts = replace(FACTS, retired_on=date(2021, 5, 31))
    result = check(day=date(2021, 5, 31) + shift * DAY, value="1100", facts=facts)
    assert result.ok is ok
    assert ok or "retired on 2021-05-31" in result.errors["date"]


@pytest.mark.parametrize(("value", "ok"), [("-0.001", False), ("0", True), ("0.001", True)])
def test_a_first_reading_may_be_zero_but_not_negative(value, ok):
    result = check(value=value, previous=None)
    assert result.ok is ok
    assert ok or result.errors["value"] == "A reading cannot be negative."


@pytest.mark.parametrize(
    ("digits", "value", "ok"),
    [
        (6, "999999.999", True),
        (6, "1000000", False),
        (5, "99999.999", True),
        (5, "100000", False),
        (4, "9999.999", True),  # a dial size no other test uses: the rule's cache of 10^digits
        (4, "10000", False),
    ],
)
def test_the_value_must_fit_the_dial(digits, value, ok):
    result = check(value=value, previous=None, facts=replace(FACTS, dial_digits=digits))
    assert result.ok is ok
    assert ok or result.errors["value"] == f"The value has more digits than the meter's dial ({digits})."


@pytest.mark.parametrize(
    ("value", "usage"),
    [(PREVIOUS.value - EPSILON, None), (PREVIOUS.value, 0), (PREVIOUS.value + EPSILON, "0.014")],
)
def test_a_value_may_equal_the_previous_reading_but_not_fall_below_it(value, usage):
    result = check(value=value)
    assert result.ok is (usage is not None)
    if usage is None:
        assert result.errors["value"].startswith(
            "The value is below the previous reading (1000 on 2021-05-01)."
        )
    else:
        assert result.usage == D(usage)  # dial step × multiplier 40 × share 0.35


@pytest.mark.parametrize(("value", "ok"), [("1199.999", True), ("1200", True), ("1200.001", False)])
def test_a_value_may_equal_the_next_reading_but_not_exceed_it(value, ok):
    result = check(value=value, following=Point(date(2021, 6, 10), D(1200)))
    assert result.ok is ok
    assert ok or result.errors["value"] == "The value is above the next reading (1200 on 2021-06-10)."


@pytest.mark.parametrize(
    ("value", "ok"), [(PREVIOUS.value - EPSILON, True), (PREVIOUS.value, False), (PREVIOUS.value + 1, False)]
)
def test_a_rollover_must_be_below_the_previous_reading(value, ok):
    result = check(value=value, event="rollover")
    assert result.ok is ok
    if ok:  # the dial passed 999999: 10^6 − 1000 + value
        assert result.usage == (D(10) ** 6 - PREVIOUS.value + value) * 40 * D("0.35")
    else:
        assert "A rollover reading is below the previous one" in result.errors["event"]


USUAL = D(10)  # dial units a day; 30 days since PREVIOUS: 300 usual, 900 is exactly 3×


@pytest.mark.parametrize(
    ("step", "abnormal"), [(D(900) - EPSILON, False), (D(900), False), (D(900) + EPSILON, True)]
)
def test_usage_is_unusual_only_above_three_times_the_usual(step, abnormal):
    assert ABNORMAL_FACTOR == 3
    result = check(value=PREVIOUS.value + step, usual=USUAL)
    assert result.abnormal is abnormal and result.needs_confirmation is abnormal
    assert result.ok is not abnormal
    if abnormal:
        assert result.errors["confirm_abnormal"].startswith(
            "Usage of 12600.01 kWh is more than 3 times this meter's usual (4200 kWh per 30 days"
        )
        confirmed = check(value=PREVIOUS.value + step, usual=USUAL, confirm_abnormal=True)
        assert confirmed.ok and confirmed.abnormal and not confirmed.needs_confirmation


@pytest.mark.parametrize("usual", [None, D(0)])
def test_without_a_usual_rate_nothing_is_unusual(usual):
    result = check(value="999999", usual=usual)
    assert result.ok and not result.abnormal


def _history(steps, every=10):
    """Readings every ``every`` days from 2020-01-01 with these dial steps between them."""
    points, value = [Point(date(2020, 1, 1), D(0))], D(0)
    for i, step in enumerate(steps, start=1):
        value += step
        points.append(Point(date(2020, 1, 1) + i * every * DAY, value))
    return points


def test_the_usual_rate_is_judged_from_three_intervals_on():
    assert MIN_HISTORY == 3
    assert usual_of([D(1), D(2)]) is None
    assert usual_of([D(1), D(2), D(9)]) == 2
    assert usual_daily(_history([100, 100]), 6) is None
    assert usual_daily(_history([100, 100, 100]), 6) == 10


def test_the_usual_rate_looks_at_the_last_twelve_intervals_only():
    assert HISTORY == 12
    # The oldest interval used 1,000 a day; the twelve after it 10 a day.
    history = _history([10000] + [100] * 12)
    assert recent_rates(history, 6) == [D(10)] * 12
    assert usual_daily(history, 6) == 10
    # One interval fewer: the unusual one is among the last twelve and counts.
    assert recent_rates(history[:-1], 6) == [D(1000)] + [D(10)] * 11


@given(
    st.lists(st.decimals(min_value=0, max_value=10**6, places=3), max_size=HISTORY),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=3), max_size=40),
)
# Always tried: a full window, then more rates than it holds twice over, so that rates added by
# the import itself are dropped again (each added rate is what leaves the window later).
@example(start=[D(n) for n in range(HISTORY)], added=[D(n) for n in range(100, 100 + 2 * HISTORY + 1)])
def test_the_rolling_usual_of_an_import_is_the_median_of_the_last_twelve_rates(start, added):
    # The import keeps each meter's recent rates as the file appends to it; after every reading
    # its usual is what usual_of gives for the last twelve rates.
    rates = RecentRates(start)
    assert rates.usual() == usual_of(start)
    seen = list(start)
    for rate in added:
        rates.add(rate)
        seen.append(rate)
        assert rates.usual() == usual_of(seen[-HISTORY:])


_DAYS = st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 12, 31))
_VALUES = st.decimals(min_value=-10, max_value=1_100_000, places=3)


@given(
    day=_DAYS,
    value=_VALUES,
    previous=st.builds(Point, _DAYS, _VALUES, st.sampled_from(["normal", "rollover", "replacement_final"])),
    today=_DAYS,
    installed_on=st.none() | _DAYS,
    retired_on=st.none() | _DAYS,
    dial_digits=st.integers(min_value=4, max_value=7),
    usual=st.none() | st.decimals(min_value=-1, max_value=5000, places=3),
    confirm=st.booleans(),
)
def test_the_appended_check_answers_as_the_reading_check_does(
    day, value, previous, today, installed_on, retired_on, dial_digits, usual, confirm
):
    # The import answers a normal reading after the meter's last one with appended_check: it
    # must accept exactly what reading_check accepts, with the same rate and unusual flag, and
    # leave every reading reading_check refuses to it (which words the messages).
    facts = MeterFacts(dial_digits, D(40), D("0.35"), installed_on, retired_on, "kWh")
    answer = appended_check(day, value, facts, previous, today, usual, confirm)
    full = reading_check(
        day=day,
        value=value,
        event="normal",
        facts=facts,
        previous=previous,
        following=None,
        today=today,
        usual=usual,
        confirm_abnormal=confirm,
    )
    if full.errors:
        assert answer is None
    else:
        assert answer == (full.rate, full.abnormal)


@pytest.mark.parametrize("confirm", [False, True])
def test_the_appended_check_flags_unusual_usage_at_the_same_threshold(confirm):
    # usual 10 a day: 30 a day is at the threshold (accepted), 30.001 above it (unusual)
    day = PREVIOUS.date + 10 * DAY
    at = appended_check(day, PREVIOUS.value + 300, FACTS, PREVIOUS, TODAY, D(10), confirm)
    above = appended_check(day, PREVIOUS.value + D("300.01"), FACTS, PREVIOUS, TODAY, D(10), confirm)
    assert at == (D(30), False)
    assert above == ((D("30.001"), True) if confirm else None)


_ON = PREVIOUS.date + 10 * DAY  # 10 days after the previous reading


@pytest.mark.parametrize(
    ("case", "day", "value", "facts", "usual", "expected"),
    [
        # the installation day counts as in service; the day before does not
        ("installed that day", _ON, D(1100), replace(FACTS, installed_on=_ON), None, (D(10), False)),
        ("installed the day after", _ON, D(1100), replace(FACTS, installed_on=_ON + DAY), None, None),
        # the retirement day counts; the day after does not
        ("retired that day", _ON, D(1100), replace(FACTS, retired_on=_ON), None, (D(10), False)),
        ("retired the day before", _ON, D(1100), replace(FACTS, retired_on=_ON - DAY), None, None),
        # the dial shows 999,999.999 at most (6 digits): 1,000,000 is beyond it
        ("the dial's last value", _ON, D("999999.999"), FACTS, None, (D("99899.9999"), False)),
        ("the dial's first impossible value", _ON, D(10**6), FACTS, None, None),
        # one day after the previous reading: a rate over one day
        ("one day after", PREVIOUS.date + DAY, D(1007), FACTS, None, (D(7), False)),
        # a usual of 0 judges nothing (no usage yet); a usual under 1 a day still judges
        ("a usual of 0", _ON, D(1100), FACTS, D(0), (D(10), False)),
        ("a usual of 0.5 a day", _ON, D(1016), FACTS, D("0.5"), None),
        ("3 times a usual of 0.5", _ON, D(1015), FACTS, D("0.5"), (D("1.5"), False)),
    ],
)
def test_the_appended_check_answers_at_each_threshold_as_the_reading_check_does(
    monkeypatch, case, day, value, facts, usual, expected
):
    # The property test above rarely lands on a threshold itself. Each case is also judged with an
    # empty cache of dial limits (a fresh process), so the limit is computed, not taken from an
    # earlier test's.
    import ledger.rules

    monkeypatch.setattr(ledger.rules, "_DIAL_LIMITS", {})
    for _first_then_kept in range(2):
        answer = appended_check(day, value, facts, PREVIOUS, TODAY, usual, False)
        full = check(day=day, value=value, facts=facts, usual=usual)
        assert answer == expected
        assert (answer is None) == (not full.ok)
        if answer is not None:
            assert answer == (full.rate, full.abnormal)


def test_the_check_gives_the_dial_rate_since_the_previous_reading():
    check = reading_check(
        day=PREVIOUS.date + 10 * DAY,
        value=PREVIOUS.value + 250,
        event="normal",
        facts=FACTS,
        previous=PREVIOUS,
        following=None,
        today=TODAY,
    )
    assert check.rate == 25  # before multiplier and share
    assert check.usage == 250 * FACTS.multiplier * FACTS.share


# --- In service during a month, and read during a month ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("installed_on", "retired_on", "in_service"),
    [
        (date(2020, 6, 30), None, True),  # installed on the month's last day
        (date(2020, 7, 1), None, False),  # … or the next month's first
        (None, date(2020, 6, 1), True),  # retired on the month's first day
        (None, date(2020, 5, 31), False),  # … or the previous month's last
        (None, None, True),
    ],
)
def test_a_meter_is_in_service_in_a_month_from_its_installation_day_to_its_retirement_day(
    agency, installed_on, retired_on, in_service
):
    meter = MeterFactory(agency=agency, installed_on=installed_on, retired_on=retired_on)
    active = active_meters(Meter.objects.filter(agency=agency), date(2020, 6, 1))
    assert (meter in active) is in_service
    # The missing-readings alert writes the same rule in its own statement (ledger/alerts.py): it
    # must count exactly the meters in service, at each edge.
    with translation.override("en"):
        items = missing_readings([agency.pk], date(2020, 7, 15))  # June, the month that has ended
    expected = ["1 meter has no reading for Jun 2020."] if in_service else []
    assert [item.message for item in items] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("read_on", "missing"),
    [
        (date(2020, 5, 31), True),  # the day before the month: not this month's reading
        (date(2020, 6, 1), False),
        (date(2020, 6, 30), False),  # the month's last day counts
        (date(2020, 7, 1), True),
    ],
)
def test_a_reading_counts_for_the_month_from_its_first_to_its_last_day(agency, read_on, missing):
    meter = MeterFactory(agency=agency, installed_on=date(2019, 1, 1))
    ReadingFactory(meter=meter, date=read_on, value=D(100))
    with translation.override("en"):
        items = missing_readings([agency.pk], date(2020, 7, 15))  # June, the month that has ended
    assert [item.message for item in items] == (["1 meter has no reading for Jun 2020."] if missing else [])


# --- The usage a ledger writes beside the reading (the import's cross-check, #13.4) ----------------
# Accepted within half a unit of its last written place: "13" within 0.5, "13.5" within 0.05.
# (113.5 − 100) × 1 × 1 = 13.5 expected; the reading's own step (0.001) moves it across the edge.


@pytest.mark.parametrize(
    ("reading", "written", "accepted"),
    [
        (D("113.500"), "13", True),  # 0.5 away: exactly the tolerance of a whole number
        (D("113.499"), "13", True),  # 0.499 away
        (D("113.501"), "13", False),  # 0.501 away
        (D("112.500"), "13", True),  # 0.5 below
        (D("112.499"), "13", False),
        (D("113.550"), "13.5", True),  # 0.05 away: the tolerance of one decimal place
        (D("113.551"), "13.5", False),
        (D("113.449"), "13.5", False),
        (D("113.450"), "13.5", True),
    ],
)
def test_a_written_usage_is_accepted_within_half_a_unit_of_its_last_place(reading, written, accepted):
    from imports.registry import RowError
    from ledger.importers import _cross_check

    facts = MeterFacts(dial_digits=6, multiplier=D(1), share=D(1))
    previous = Point(date(2021, 5, 1), D(100))
    try:
        _cross_check({"usage": D(written)}, previous, reading, "normal", facts)
    except RowError as error:
        assert not accepted and "usage" in error.errors
    else:
        assert accepted


# --- found by mutation testing (docs/testing.md) ------------------------------------------------


def test_the_usual_daily_use_counts_a_rollover_over_the_meters_own_dial():
    from ledger.rules import usual_daily
    from ledger.usage import Point

    start = date(2020, 1, 1)
    history = [Point(start, Decimal(9700)), Point(start + timedelta(days=10), Decimal(9800))]
    history += [Point(start + timedelta(days=20), Decimal(100), "rollover")]
    history += [Point(start + timedelta(days=30), Decimal(200))]
    # 10 days each on a 4-digit dial: 100, 10000 − 9800 + 100 = 300, 100 → median 10 a day
    assert usual_daily(history, 4) == Decimal(10)
    history += [Point(start + timedelta(days=40), Decimal(50), "rollover")]
    # then 10000 − 200 + 50 = 9850: daily 10, 30, 10, 985 → median (10 + 30) ÷ 2 = 20
    assert usual_daily(history, 4) == Decimal(20)
    # on a 5-digit dial both rollovers pass 90 000 more: daily 10, 9030, 10, 9985 → 4520
    assert usual_daily(history, 5) == Decimal(4520)


def test_readings_in_messages_keep_their_decimals_and_lose_an_exponent():
    from ledger.rules import _fmt

    assert _fmt(Decimal("1234.50")) == "1234.50"
    assert _fmt(Decimal("1.2E+3")) == "1200" and _fmt(Decimal("1200.000")) == "1200"


# --- Every refusal of the reading rule, word for word (mutation survivors of 2026-11-30) ----------

FOLLOWING = Point(date(2021, 6, 10), D(1200))
REFUSALS = [
    (
        {"day": TODAY + DAY, "value": "1100"},
        "date",
        "The reading date cannot be in the future.",
        "抄表日期不能是未来的日期。",
    ),
    (
        {
            "day": date(2021, 2, 28),
            "value": "10",
            "previous": None,
            "facts": replace(FACTS, installed_on=date(2021, 3, 1)),
        },
        "date",
        "The meter was installed on 2021-03-01; a reading cannot be earlier.",
        "该表安装于 2021-03-01，读数日期不能早于安装日期。",
    ),
    (
        {"day": date(2021, 6, 1), "value": "1100", "facts": replace(FACTS, retired_on=date(2021, 5, 31))},
        "date",
        "The meter was retired on 2021-05-31; a reading cannot be later.",
        "该表已于 2021-05-31 停用，读数日期不能晚于停用日期。",
    ),
    ({"value": "-0.001", "previous": None}, "value", "A reading cannot be negative.", "读数不能为负数。"),
    (
        {"value": "1000000", "previous": None},
        "value",
        "The value has more digits than the meter's dial (6).",
        "读数位数超过了表盘位数（6 位）。",
    ),
    (
        {"value": "3", "event": "replacement_initial"},
        "event",
        "A new meter's first reading must follow the old meter's final reading on the same date.",
        "新表起码必须紧随同一天的旧表止码录入。",
    ),
    (
        {"value": "1000", "event": "rollover"},
        "event",
        "A rollover reading is below the previous one (1000 on 2021-05-01); this one is not.",
        "翻转读数应低于上次读数（2021-05-01 的 1000），此读数并不低于上次读数。",
    ),
    (
        {"value": "999.5"},
        "value",
        "The value is below the previous reading (1000 on 2021-05-01). If the dial passed zero, record a "
        "rollover; if the meter was changed, record a replacement.",
        "读数低于上次读数（2021-05-01 的 1000）。如表盘已归零，请选择“翻转”；如已换表，请按换表录入。",
    ),
    (
        {"value": "5", "event": "rollover", "previous": None},
        "event",
        "A rollover needs a previous reading.",
        "翻转读数之前必须有上次读数。",
    ),
    (
        {"value": "1100", "event": "replacement_final", "following": FOLLOWING},
        "event",
        "A replacement's final reading must be the meter's last reading before the new one.",
        "换表的旧表止码必须是新表起码之前的最后一个读数。",
    ),
    (
        {"value": "1200.001", "following": FOLLOWING},
        "value",
        "The value is above the next reading (1200 on 2021-06-10).",
        "读数高于下一次读数（2021-06-10 的 1200）。",
    ),
    (
        {"value": PREVIOUS.value + D(900) + EPSILON, "usual": USUAL},
        "confirm_abnormal",
        "Usage of 12600.01 kWh is more than 3 times this meter's usual (4200 kWh per 30 days, the median of "
        "its last 12 readings). Check the value; if it is right, tick “confirm unusual usage”.",
        "用量 12600.01 kWh 超过该表平常用量的 3 倍（近 12 次读数的中位数为每 30 天 4200 kWh）。"
        "请核对读数；如确实无误，请勾选“确认异常用量”。",
    ),
]


@pytest.mark.parametrize(("kwargs", "field", "english", "chinese"), REFUSALS)
def test_each_refusal_of_a_reading_names_its_field_and_says_why_in_english_and_chinese(
    kwargs, field, english, chinese
):
    # the whole errors dict: one field, this message, nothing else
    assert check(**kwargs).errors == {field: english}
    assert check(**kwargs, language="zh-hans").errors == {field: chinese}


NEW_METER_DAY = date(2021, 5, 31)


@pytest.mark.parametrize(
    ("previous", "ok"),
    [
        (Point(NEW_METER_DAY, D(1500), "replacement_final"), True),  # the old meter's final reading that day
        (Point(NEW_METER_DAY - DAY, D(1500), "replacement_final"), False),  # … the day before
        (Point(NEW_METER_DAY, D(1500)), False),  # an ordinary reading that day
        (None, False),  # nothing before it
    ],
)
def test_a_new_meters_first_reading_follows_the_old_meters_final_reading_of_the_same_day(previous, ok):
    result = check(day=NEW_METER_DAY, value="3", event="replacement_initial", previous=previous)
    assert result.ok is ok
    if ok:  # the new meter has used nothing yet, whatever the old one showed
        assert result.usage == 0 and isinstance(result.usage, Decimal)
        assert not result.abnormal
    else:
        assert set(result.errors) == {"event"}


@pytest.mark.parametrize(
    ("digits", "value", "ok"),
    [(4, "9999.999", True), (4, "10000", False), (6, "999999.999", True), (6, "1000000", False)],
)
def test_the_dial_limit_is_right_on_the_first_reading_a_process_checks(monkeypatch, digits, value, ok):
    # The limit 10^digits is computed on a dial size's first reading and then kept: empty what earlier
    # tests kept, so that the first computation is the one judged, then the kept one.
    import ledger.rules

    monkeypatch.setattr(ledger.rules, "_DIAL_LIMITS", {})
    facts = replace(FACTS, dial_digits=digits)
    for _first_then_kept in range(2):
        result = check(value=value, previous=None, facts=facts)
        assert result.ok is ok


@pytest.mark.parametrize(("step", "abnormal"), [(D(45), False), (D(45) + EPSILON, True)])
def test_a_usual_rate_below_one_a_day_is_judged_too(step, abnormal):
    # half a unit a day: 15 per 30 days, so 45 is exactly 3× and anything above it unusual
    result = check(value=PREVIOUS.value + step, usual=D("0.5"))
    assert result.abnormal is abnormal and result.ok is not abnormal


@pytest.mark.parametrize(("step", "abnormal"), [(D(30), False), (D(30) + EPSILON, True)])
def test_a_reading_the_day_after_the_previous_one_is_judged_against_the_usual(step, abnormal):
    # one day at a usual 10 a day: 30 is exactly 3×
    result = check(day=PREVIOUS.date + DAY, value=PREVIOUS.value + step, usual=USUAL)
    assert result.rate == step
    assert result.abnormal is abnormal and result.ok is not abnormal


def test_a_reading_on_the_previous_readings_day_has_no_rate_and_is_never_unusual():
    # the old meter's final reading taken on the day of its last ordinary reading: no days between
    result = check(day=PREVIOUS.date, value=PREVIOUS.value + 500, event="replacement_final", usual=USUAL)
    assert result.ok and not result.abnormal and result.rate is None
    assert result.usage == 500 * FACTS.multiplier * FACTS.share


def test_an_interval_of_one_day_counts_towards_the_usual_rate():
    assert recent_rates(_history([5, 7, 9], every=1), 6) == [5, 7, 9]
    assert usual_daily(_history([5, 7, 9], every=1), 6) == 7
