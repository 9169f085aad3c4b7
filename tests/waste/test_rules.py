"""The waste ledger's rules, from primitives: collection checks, shares, missing months."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waste.rules import (
    MAX_WEIGHT,
    alert_window,
    collection_check,
    handover_check,
    missing_months,
    month_add,
    recyclable_share,
)

TODAY = date(2024, 5, 15)
OK = {
    "day": date(2024, 5, 10),
    "category": "other",
    "weight": Decimal("12.5"),
    "company": "临沂市环卫清运公司",
    "licence_number": "",
    "manifest_number": "",
    "today": TODAY,
}


def check(**changes):
    return collection_check(**(OK | changes))


def test_an_ordinary_collection_needs_no_licence_or_manifest():
    assert check() == {}


def test_a_hazardous_hand_over_without_a_licence_number_is_refused():
    errors = check(category="hazardous", manifest_number="37130000001")
    assert set(errors) == {"licence_number"}


def test_a_hazardous_hand_over_without_a_manifest_number_is_refused():
    errors = check(category="hazardous", licence_number="鲁危证37130001")
    assert set(errors) == {"manifest_number"}


def test_blank_licence_and_manifest_count_as_missing():
    errors = check(category="hazardous", licence_number="   ", manifest_number="\t")
    assert set(errors) == {"licence_number", "manifest_number"}


def test_a_hazardous_hand_over_with_both_numbers_is_accepted():
    assert check(category="hazardous", licence_number="鲁危证37130001", manifest_number="37130000001") == {}


@pytest.mark.parametrize(
    ("day", "ok"),
    [(TODAY - timedelta(days=1), True), (TODAY, True), (TODAY + timedelta(days=1), False)],
    ids=["yesterday", "today", "tomorrow"],
)
def test_a_collection_may_be_dated_up_to_today(day, ok):
    assert ("date" not in check(day=day)) is ok


@pytest.mark.parametrize(
    ("weight", "ok"),
    [
        (Decimal("0"), False),
        (Decimal("0.01"), True),
        (Decimal("-1"), False),
        (MAX_WEIGHT, True),
        (MAX_WEIGHT + Decimal("0.01"), False),
        (Decimal("NaN"), False),
        (Decimal("Infinity"), False),
    ],
)
def test_the_weight_is_more_than_zero_and_at_most_100_tonnes(weight, ok):
    assert ("weight" not in check(weight=weight)) is ok


def test_the_company_and_the_category_are_required():
    errors = check(company="  ", category="metal")
    assert set(errors) == {"company", "category"}


def test_a_lot_cannot_be_handed_over_before_it_was_stored():
    stored = [date(2024, 5, 1), date(2024, 5, 9)]
    assert handover_check(handover_day=date(2024, 5, 9), stored_days=stored) == {}
    assert "date" in handover_check(handover_day=date(2024, 5, 8), stored_days=stored)


amounts = st.dictionaries(
    st.sampled_from(["hazardous", "recyclable", "kitchen", "other"]),
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False),
)


@given(amounts)
def test_the_recyclable_share_is_a_percentage_of_the_total(values):
    share = recyclable_share(values)
    total = sum(values.values(), Decimal(0))
    if total == 0:
        assert share is None
    else:
        assert Decimal(0) <= share <= Decimal(100)
        assert share * total == pytest.approx(values.get("recyclable", Decimal(0)) * 100)


def test_the_recyclable_share_by_hand():
    assert recyclable_share({"recyclable": Decimal(30), "other": Decimal(60), "kitchen": Decimal(10)}) == 30
    assert recyclable_share({"recyclable": Decimal(5)}) == 100
    assert recyclable_share({}) is None


def test_the_alert_window_is_the_twelve_complete_months_before():
    assert alert_window(date(2024, 5, 1)) == [month_add(date(2023, 5, 1), i) for i in range(12)]
    assert alert_window(date(2024, 5, 31))[-1] == date(2024, 4, 1)
    assert alert_window(date(2024, 1, 1))[0] == date(2023, 1, 1)


months = st.lists(st.integers(min_value=0, max_value=11), unique=True)


@given(months, st.integers(min_value=-3, max_value=14))
def test_missing_months_are_the_window_months_since_the_start_without_a_record(recorded_idx, start_idx):
    window = alert_window(date(2024, 5, 20))
    recorded = {window[i] for i in recorded_idx}
    started = month_add(window[0], start_idx)
    missing = missing_months(window=window, recorded=recorded, started=started)
    assert all(m >= started and m not in recorded for m in missing)
    assert set(missing) | recorded | {m for m in window if m < started} >= set(window)


def test_an_agency_that_never_recorded_waste_is_not_judged():
    assert missing_months(window=alert_window(date(2024, 5, 1)), recorded=set(), started=None) == []


# --- Every message in Chinese, at each threshold (a rule that kept the key and lost its words passed)
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"day": date(2000, 1, 1)}, {}),
        ({"day": date(1999, 12, 31)}, {"date": "日期不能早于2000年。"}),
        ({"day": TODAY}, {}),
        ({"day": TODAY + timedelta(days=1)}, {"date": "日期不能是未来的日期。"}),
        ({"weight": Decimal("0.01")}, {}),
        ({"weight": Decimal(0)}, {"weight": "重量须大于0千克。"}),
        ({"category": "glass"}, {"category": "请选择四类垃圾之一。"}),
        ({"company": " "}, {"company": "请填写清运单位。"}),
        (
            {"category": "hazardous", "manifest_number": "37130000001"},
            {"licence_number": "有害垃圾只能交由有资质的单位处置：请填写其危险废物经营许可证编号。"},
        ),
        (
            {"category": "hazardous", "licence_number": "鲁危证37130001"},
            {"manifest_number": "请填写本次移交的危险废物转移联单编号。"},
        ),
        ({"category": "hazardous", "licence_number": "鲁危证37130001", "manifest_number": "37130000001"}, {}),
    ],
)
def test_collection_messages_at_each_threshold(changes, expected):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert check(**changes) == expected
