"""The rules of spot checks, rectification deadlines, repairs and events — at their exact thresholds."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.inspections.rules import (
    ac_on_off_hours,
    ac_setpoint_breaks_rule,
    closing_errors,
    findings_for,
    rectification_state,
    repair_errors,
    repair_overdue,
    repair_overdue_since,
    spot_check_errors,
)
from campaigns.publicity.rules import event_errors

D = Decimal
ENDS = time(17, 30)


@pytest.mark.parametrize(
    ("mode", "setpoint", "breaks"),
    [
        ("cooling", D("25.9"), True),
        ("cooling", D("26"), False),
        ("cooling", D("26.1"), False),
        ("heating", D("17.9"), False),
        ("heating", D("18"), False),
        ("heating", D("18.1"), True),
        ("off", D("10"), False),
        ("cooling", None, False),
    ],
)
def test_summer_at_least_26_and_winter_at_most_18_degrees(mode, setpoint, breaks):
    assert ac_setpoint_breaks_rule(mode, setpoint) is breaks


@pytest.mark.parametrize(
    ("at", "flagged"),
    [
        (time(8, 59), True),
        (time(9, 0), False),
        (time(9, 1), False),
        (time(16, 59), False),
        (time(17, 0), True),  # the last half hour before 17:30 starts at 17:00
        (time(17, 1), True),
        (time(19, 0), True),
    ],
)
def test_air_conditioning_before_nine_or_in_the_last_half_hour(at, flagged):
    assert ac_on_off_hours("cooling", at, day_ends=ENDS) is flagged
    assert ac_on_off_hours("off", at, day_ends=ENDS) is False


def test_the_last_half_hour_follows_the_configured_end_of_day():
    assert ac_on_off_hours("heating", time(17, 30), day_ends=time(18, 0)) is True
    assert ac_on_off_hours("heating", time(17, 29), day_ends=time(18, 0)) is False


items = st.sets(
    st.sampled_from(
        ["ac_temperature", "ac_windows_open", "ac_nobody", "ac_off_hours", "lights_daylight", "lights_empty"]
    )
)


@given(
    items,
    st.sampled_from(["off", "cooling", "heating"]),
    st.none() | st.decimals(min_value=5, max_value=35, places=1),
    st.times(),
)
def test_findings_are_the_ticked_items_plus_what_the_readings_prove(ticked, mode, setpoint, at):
    found = set(findings_for(ticked=ticked, mode=mode, setpoint=setpoint, at=at, day_ends=ENDS))
    ac_items = {"ac_temperature", "ac_windows_open", "ac_nobody", "ac_off_hours"}
    if mode == "off":
        assert found == ticked - ac_items
    else:
        assert ticked <= found
        assert ("ac_temperature" in found) is (
            "ac_temperature" in ticked or ac_setpoint_breaks_rule(mode, setpoint)
        )
        assert ("ac_off_hours" in found) is (
            "ac_off_hours" in ticked or ac_on_off_hours(mode, at, day_ends=ENDS)
        )


CHECK = date(2024, 7, 10)


def errors(**changes):
    values = {
        "day": CHECK,
        "mode": "cooling",
        "setpoint": D(26),
        "ticked": [],
        "findings": ["lights_empty"],
        "rectify_by": CHECK + timedelta(days=7),
        "today": date(2024, 7, 20),
    } | changes
    return spot_check_errors(**values)


def test_a_finding_needs_a_deadline_not_before_the_check():
    assert errors() == {}
    assert "rectify_by" in errors(rectify_by=None)
    assert "rectify_by" in errors(rectify_by=CHECK - timedelta(days=1))
    assert errors(rectify_by=CHECK) == {}
    assert errors(findings=[], rectify_by=None) == {}


def test_a_ticked_temperature_finding_must_break_the_rule():
    assert "ac_setpoint" in errors(ticked=["ac_temperature"], setpoint=D(26))
    assert errors(ticked=["ac_temperature"], setpoint=D("25.5")) == {}
    assert "ac_mode" in errors(ticked=["ac_nobody"], mode="off")


DEADLINE = date(2024, 7, 17)


@pytest.mark.parametrize(
    ("today", "key"),
    [(DEADLINE - timedelta(days=1), "open"), (DEADLINE, "open"), (DEADLINE + timedelta(days=1), "overdue")],
    ids=["day before", "on the day", "day after"],
)
def test_a_rectification_is_overdue_from_the_day_after_its_deadline(today, key):
    state = rectification_state(has_findings=True, rectify_by=DEADLINE, rectified_on=None, today=today)
    assert state.key == key


@pytest.mark.parametrize(
    ("closed", "key"),
    [
        (DEADLINE - timedelta(days=1), "closed"),
        (DEADLINE, "closed"),
        (DEADLINE + timedelta(days=1), "closed_late"),
    ],
)
def test_a_rectification_closed_after_its_deadline_is_late(closed, key):
    state = rectification_state(
        has_findings=True, rectify_by=DEADLINE, rectified_on=closed, today=date(2024, 12, 1)
    )
    assert state.key == key


def test_a_check_without_findings_needs_no_rectification():
    assert (
        rectification_state(has_findings=False, rectify_by=None, rectified_on=None, today=CHECK).key == "none"
    )


REPORTED = date(2024, 7, 1)


@pytest.mark.parametrize(
    ("days", "overdue"), [(6, False), (7, False), (8, True)], ids=["6 days", "a week", "8 days"]
)
def test_a_repair_open_for_more_than_a_week_is_overdue(days, overdue):
    assert (
        repair_overdue(reported_on=REPORTED, fixed_on=None, today=REPORTED + timedelta(days=days)) is overdue
    )
    assert (
        repair_overdue(reported_on=REPORTED, fixed_on=REPORTED, today=REPORTED + timedelta(days=days))
        is False
    )


def test_a_repair_is_fixed_between_its_report_and_today():
    today = date(2024, 7, 10)
    assert repair_errors(reported_on=REPORTED, fixed_on=REPORTED, today=today) == {}
    assert "fixed_on" in repair_errors(
        reported_on=REPORTED, fixed_on=REPORTED - timedelta(days=1), today=today
    )
    assert "fixed_on" in repair_errors(reported_on=REPORTED, fixed_on=today + timedelta(days=1), today=today)
    assert "reported_on" in repair_errors(reported_on=today + timedelta(days=1), fixed_on=None, today=today)


TODAY = date(2024, 5, 15)


def event(**changes):
    values = {
        "kind": "lecture",
        "day": date(2024, 5, 13),
        "end": None,
        "title": "节能知识讲座",
        "channels": ["meeting"],
        "participants": 40,
        "today": TODAY,
    } | changes
    return event_errors(**values)


def test_event_rules():
    assert event() == {}
    assert "kind" in event(kind="party")
    assert "end_date" in event(end=date(2024, 5, 12))
    assert event(end=date(2024, 5, 13) + timedelta(days=30)) == {}
    assert "end_date" in event(end=date(2024, 5, 13) + timedelta(days=31))
    assert "channels" in event(channels=["tv"])
    assert "participants" in event(participants=-1)
    assert event(participants=100_000) == {} and "participants" in event(participants=100_001)
    assert "title" in event(title="  ")
    assert event(day=date(2025, 12, 31)) == {} and "date" in event(day=date(2026, 1, 1))
    assert "date" in event(day=date(1999, 12, 31))


def test_dates_before_2000_are_refused():
    assert "date" in errors(day=date(1999, 12, 31), findings=[], rectify_by=None)
    assert errors(day=date(2000, 1, 1), findings=[], rectify_by=None, today=date(2024, 1, 1)) == {}
    assert "reported_on" in repair_errors(
        reported_on=date(1999, 12, 31), fixed_on=None, today=date(2024, 1, 1)
    )


# --- Every message of the rules, in Chinese, at each threshold and one step each side -------------
# (a rule that returned the wrong words, or no words, under the right key passed the tests above)
FUTURE, BEFORE_2000 = "日期不能是未来的日期。", "日期不能早于2000年。"
AC_OFF = "空调类问题须在空调开启时发现：请选择制冷或制热。"
KEEPS_26 = "26℃符合规定（制冷不低于26℃，制热不高于18℃）。"


def zh(function, **values):
    from django.utils import translation

    with translation.override("zh-hans"):
        return function(**values)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"day": CHECK, "today": CHECK}, {}),  # a check on the day it is entered
        ({"day": CHECK + timedelta(days=1), "today": CHECK}, {"date": FUTURE}),
        ({"day": date(2000, 1, 1), "findings": [], "rectify_by": None}, {}),
        ({"day": date(1999, 12, 31), "findings": [], "rectify_by": None}, {"date": BEFORE_2000}),
        ({"setpoint": D(5), "mode": "heating"}, {}),
        ({"setpoint": D("4.9"), "mode": "heating"}, {"ac_setpoint": "设定温度应在5℃至35℃之间。"}),
        ({"setpoint": D(35)}, {}),
        ({"setpoint": D("35.1")}, {"ac_setpoint": "设定温度应在5℃至35℃之间。"}),
        ({"setpoint": None}, {}),
        ({"mode": "off", "ticked": ["ac_windows_open"]}, {"ac_mode": AC_OFF}),
        ({"mode": "off", "ticked": ["lights_daylight"]}, {}),  # a finding that is not the air conditioning's
        ({"ticked": ["ac_temperature"], "setpoint": D(26)}, {"ac_setpoint": KEEPS_26}),
        ({"ticked": ["ac_temperature"], "setpoint": D("25.9")}, {}),
        ({"rectify_by": None}, {"rectify_by": "发现了问题，请设定整改期限。"}),
        ({"rectify_by": CHECK - timedelta(days=1)}, {"rectify_by": "整改期限不能早于抽查日期。"}),
        ({"rectify_by": CHECK + timedelta(days=366)}, {}),
        ({"rectify_by": CHECK + timedelta(days=367)}, {"rectify_by": "整改期限距抽查日期超过一年。"}),
    ],
)
def test_spot_check_messages_at_each_threshold(changes, expected):
    values = {
        "day": CHECK,
        "mode": "cooling",
        "setpoint": D(26),
        "ticked": [],
        "findings": ["lights_empty"],
        "rectify_by": CHECK + timedelta(days=7),
        "today": date(2024, 7, 20),
    } | changes
    assert zh(spot_check_errors, **values) == expected


@pytest.mark.parametrize(
    ("reported", "fixed", "expected"),
    [
        (REPORTED, None, {}),  # reported today
        (REPORTED + timedelta(days=1), None, {"reported_on": FUTURE}),
        (date(2000, 1, 1), None, {}),
        (date(1999, 12, 31), None, {"reported_on": BEFORE_2000}),
        (REPORTED, REPORTED, {}),  # fixed the day it was reported, today
        (REPORTED, REPORTED - timedelta(days=1), {"fixed_on": "修复日期不能早于报修日期。"}),
        (REPORTED - timedelta(days=1), REPORTED + timedelta(days=1), {"fixed_on": FUTURE}),
    ],
)
def test_repair_messages_at_each_threshold(reported, fixed, expected):
    assert zh(repair_errors, reported_on=reported, fixed_on=fixed, today=REPORTED) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": "party"}, {"kind": "请选择活动类型。"}),
        ({"day": date(2025, 12, 31)}, {}),  # the end of next year
        ({"day": date(2026, 1, 1)}, {"date": "活动最多只能安排到明年年底。"}),
        ({"day": date(2000, 1, 1)}, {}),
        ({"day": date(1999, 12, 31)}, {"date": BEFORE_2000}),
        ({"end": date(2024, 5, 13)}, {}),  # ends the day it starts
        ({"end": date(2024, 5, 12)}, {"end_date": "结束日期不能早于开始日期。"}),
        ({"end": date(2024, 6, 12)}, {}),  # 30 days after the start: 31 days
        ({"end": date(2024, 6, 13)}, {"end_date": "一次活动最长31天；更长的活动请分次登记。"}),
        ({"title": " "}, {"title": "请填写活动名称。"}),
        ({"channels": ["tv", "meeting", "radio"]}, {"channels": "未知的宣传渠道：tv, radio。"}),
        ({"participants": 0}, {}),
        ({"participants": -1}, {"participants": "参加人数应为0至100000之间的整数。"}),
        ({"participants": 100_000}, {}),
        ({"participants": 100_001}, {"participants": "参加人数应为0至100000之间的整数。"}),
    ],
)
def test_event_messages_at_each_threshold(changes, expected):
    assert zh(event, **changes) == expected


@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        (CHECK - timedelta(days=1), {"rectified_on": "整改完成日期不能早于抽查日期。"}),
        (CHECK, {}),  # rectified on the day of the check
        (CHECK + timedelta(days=3), {}),  # rectified today
        (CHECK + timedelta(days=4), {"rectified_on": FUTURE}),
    ],
)
def test_closing_a_rectification_between_the_check_and_today(closed, expected):
    assert zh(closing_errors, checked_on=CHECK, closed_on=closed, today=CHECK + timedelta(days=3)) == expected


@pytest.mark.parametrize(
    ("findings", "closed", "today", "label"),
    [
        (False, None, DEADLINE, "未发现问题"),
        (True, None, DEADLINE, "整改中"),
        (True, None, DEADLINE + timedelta(days=1), "逾期未整改"),
        (True, DEADLINE, DEADLINE + timedelta(days=9), "已整改"),
        (True, DEADLINE + timedelta(days=1), DEADLINE + timedelta(days=9), "逾期后整改"),
    ],
)
def test_each_rectification_state_is_named_in_chinese(findings, closed, today, label):
    values = {"has_findings": findings, "rectify_by": DEADLINE, "rectified_on": closed, "today": today}
    assert str(zh(rectification_state, **values).label) == label


def test_the_alerts_bound_is_a_week_before_today():
    """The alert's query takes repairs reported before this day: 8 days ago is in, 7 days ago is not."""
    assert repair_overdue_since(date(2024, 7, 10)) == date(2024, 7, 3)
    for days in (7, 8):
        reported = date(2024, 7, 10) - timedelta(days=days)
        assert (reported < repair_overdue_since(date(2024, 7, 10))) is repair_overdue(
            reported_on=reported, fixed_on=None, today=date(2024, 7, 10)
        )
