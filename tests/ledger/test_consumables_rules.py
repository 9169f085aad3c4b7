"""The consumables rules from primitives: the amount tolerance at its edge, stock, paper, costing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.consumables.rules import (
    AMOUNT_TOLERANCE,
    expense_check,
    issue_cost,
    paper_check,
    purchase_check,
    requisition_check,
    share_percent,
)

TODAY = date(2020, 6, 30)


def _purchase(**changes):
    values = {
        "quantity": Decimal(10),
        "unit_price": Decimal("10.00"),
        "amount": Decimal("100.00"),
        "approved_on": date(2020, 6, 1),
        "day": date(2020, 6, 2),
        "today": TODAY,
    }
    values.update(changes)
    return purchase_check(**values)


def test_the_amount_tolerance_is_one_fen():
    assert Decimal("0.01") == AMOUNT_TOLERANCE


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [
        (Decimal("100.00"), True),  # exact
        (Decimal("100.01"), True),  # at the tolerance
        (Decimal("100.02"), False),  # one fen beyond
        (Decimal("99.99"), True),  # at the tolerance, below
        (Decimal("99.98"), False),  # one fen beyond, below
    ],
)
def test_amount_against_quantity_times_price_at_the_tolerance_and_one_fen_each_side(amount, accepted):
    errors = _purchase(amount=amount)
    assert ("amount" not in errors) is accepted


@pytest.mark.parametrize(
    ("unit_price", "accepted"),
    [
        # 10 × 9.9990 = 99.9900: the amount 100.00 is 0.0100 away — exactly the tolerance.
        (Decimal("9.9990"), True),
        # 10 × 9.9989 = 99.9890: 0.0110 away, one step of the unit price beyond.
        (Decimal("9.9989"), False),
        # 10 × 9.9991 = 99.9910: 0.0090 away, one step inside.
        (Decimal("9.9991"), True),
    ],
)
def test_amount_tolerance_with_a_four_place_unit_price(unit_price, accepted):
    assert ("amount" not in _purchase(unit_price=unit_price)) is accepted


def test_a_refused_amount_says_what_quantity_times_price_gives():
    errors = _purchase(amount=Decimal("120.00"))
    assert "100" in errors["amount"] and "120.00" in errors["amount"]


def test_spending_is_approved_before_the_purchase():
    assert "approved_on" in _purchase(approved_on=date(2020, 6, 3))
    assert "approved_on" not in _purchase(approved_on=date(2020, 6, 2))


def test_purchase_refuses_zero_quantity_negative_price_and_a_future_date():
    assert "quantity" in _purchase(quantity=Decimal(0))
    assert "unit_price" in _purchase(unit_price=Decimal("-1"))
    assert "date" in _purchase(day=date(2020, 7, 1), approved_on=date(2020, 6, 1))


@pytest.mark.parametrize(
    ("quantity", "on_hand", "ok"),
    [(Decimal(3), Decimal(3), True), (Decimal(4), Decimal(3), False), (Decimal(1), Decimal(0), False)],
)
def test_an_issue_beyond_stock_is_refused_with_the_stock_on_hand(quantity, on_hand, ok):
    errors = requisition_check(quantity=quantity, on_hand=on_hand, unit="包", day=TODAY, today=TODAY)
    assert ("quantity" not in errors) is ok
    if not ok:
        assert f"{on_hand.normalize():f} 包" in errors["quantity"]


def test_paper_duplex_cannot_exceed_the_sheets():
    assert paper_check(sheets=100, duplex_sheets=100, day=TODAY, today=TODAY) == {}
    assert "duplex_sheets" in paper_check(sheets=100, duplex_sheets=101, day=TODAY, today=TODAY)


def test_telephone_costs_need_a_section_but_meeting_costs_may_be_agency_wide():
    assert "department" in expense_check(
        kind="telephone", has_department=False, amount=Decimal(1), day=TODAY, today=TODAY
    )
    assert (
        expense_check(kind="meeting", has_department=False, amount=Decimal(1), day=TODAY, today=TODAY) == {}
    )


quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2)
amounts = st.decimals(min_value=Decimal(0), max_value=Decimal(10000), places=2)


@given(
    purchases=st.lists(st.tuples(quantities, amounts), min_size=1, max_size=6),
    issues=st.lists(quantities, max_size=20),
)
def test_issued_costs_never_exceed_and_finally_equal_what_was_paid(purchases, issues):
    """Moving average: the value never goes negative; issuing all of it takes exactly what was paid."""
    stock = value = issued = Decimal(0)
    for quantity, amount in purchases:
        stock, value = stock + quantity, value + amount
    for quantity in issues:
        if quantity > stock:
            continue
        cost = issue_cost(quantity=quantity, stock=stock, stock_value=value)
        assert Decimal(0) <= cost <= value
        stock, value, issued = stock - quantity, value - cost, issued + cost
    if stock:
        issued += issue_cost(quantity=stock, stock=stock, stock_value=value)
    assert issued == sum(amount for _q, amount in purchases)


def test_shares_are_percentages_and_none_without_a_whole():
    assert share_percent(Decimal(1), Decimal(3)) == Decimal("33.33")
    assert share_percent(Decimal(0), Decimal(0)) is None


DAY = timedelta(days=1)
DATED = {
    "purchase": lambda day: _purchase(day=day, approved_on=day),
    "requisition": lambda day: requisition_check(
        quantity=Decimal(1), on_hand=Decimal(1), unit="包", day=day, today=TODAY
    ),
    "paper": lambda day: paper_check(sheets=10, duplex_sheets=0, day=day, today=TODAY),
    "expense": lambda day: expense_check(
        kind="telephone", has_department=True, amount=Decimal(1), day=day, today=TODAY
    ),
}


@pytest.mark.parametrize("kind", sorted(DATED))
@pytest.mark.parametrize(
    ("day", "accepted"),
    [(TODAY - DAY, True), (TODAY, True), (TODAY + DAY, False)],
    ids=["yesterday", "today", "tomorrow"],
)
def test_every_consumables_row_may_be_dated_up_to_today(kind, day, accepted):
    assert ("date" not in DATED[kind](day)) is accepted


@pytest.mark.parametrize(
    ("sheets", "duplex", "errors"),
    [
        (0, 0, {}),  # a section that printed nothing registers 0
        (-1, -1, {"sheets": "用纸张数不能为负数。", "duplex_sheets": "双面张数不能为负数。"}),
        (1, 0, {}),
        (0, -1, {"duplex_sheets": "双面张数不能为负数。"}),
        (100, 100, {}),  # every sheet on both sides
        (100, 101, {"duplex_sheets": "双面张数（101）不能超过用纸张数（100）。"}),
    ],
)
def test_paper_sheets_and_duplex_sheets_at_zero_and_at_the_sheets(sheets, duplex, errors):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert paper_check(sheets=sheets, duplex_sheets=duplex, day=TODAY, today=TODAY) == errors


# --- Every message in Chinese at each threshold (a rule that kept the key and lost its words passed)
POSITIVE, NOT_NEGATIVE, FUTURE = "数量必须大于 0。", "金额不能为负数。", "日期不能是未来的日期。"


def zh(function, **values):
    from django.utils import translation

    with translation.override("zh-hans"):
        return function(**values)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"quantity": Decimal(1), "unit_price": Decimal("100.00")}, {}),  # one piece
        ({"quantity": Decimal(0), "amount": Decimal(0)}, {"quantity": POSITIVE}),
        ({"unit_price": Decimal(0), "amount": Decimal(0)}, {}),  # a free item, recorded at 0
        ({"unit_price": Decimal("-0.01"), "amount": Decimal(0)}, {"unit_price": "单价不能为负数。"}),
        ({"amount": Decimal("-0.01"), "unit_price": Decimal(0)}, {"amount": NOT_NEGATIVE}),
        ({"day": TODAY + timedelta(days=1), "approved_on": TODAY}, {"date": FUTURE}),
        ({"approved_on": date(2020, 6, 2)}, {}),  # approved on the day of the purchase
        ({"approved_on": date(2020, 6, 3)}, {"approved_on": "须先经费审批再采购（审批日期为 2020-06-03）。"}),
    ],
)
def test_purchase_messages_at_each_threshold(changes, expected):
    assert zh(_purchase, **changes) == expected


@pytest.mark.parametrize(
    ("quantity", "on_hand", "expected"),
    [
        (Decimal("0.01"), Decimal(1), {}),
        (Decimal(0), Decimal(1), {"quantity": POSITIVE}),
        (Decimal(-1), Decimal(1), {"quantity": POSITIVE}),
        (Decimal(1), Decimal(1), {}),  # the last one: stock then exactly 0
        (Decimal(2), Decimal(1), {"quantity": "现有库存仅 1 包，不能领用 2 包。"}),
    ],
)
def test_requisition_messages_at_each_threshold(quantity, on_hand, expected):
    values = {"quantity": quantity, "on_hand": on_hand, "unit": "包", "day": TODAY, "today": TODAY}
    assert zh(requisition_check, **values) == expected


@pytest.mark.parametrize(
    ("kind", "section", "amount", "expected"),
    [
        ("telephone", True, Decimal(0), {}),  # a month without calls
        ("telephone", True, Decimal("-0.01"), {"amount": NOT_NEGATIVE}),
        ("telephone", False, Decimal(1), {"department": "电话费按科室公布，请选择科室。"}),
        ("reception", False, Decimal(1), {}),
    ],
)
def test_expense_messages_at_each_threshold(kind, section, amount, expected):
    values = {"kind": kind, "has_department": section, "amount": amount, "day": TODAY, "today": TODAY}
    assert zh(expense_check, **values) == expected
