"""The one convention for units, numbers, changes, periods, dates and people (agencies.conventions)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from agencies import conventions as c
from tests.factories import UserFactory


@pytest.fixture
def zh():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_units_read_as_chinese_official_documents_write_them(zh):
    assert [c.unit_label(u) for u in ("kWh", "m³", "L", "kg", "yuan", "L/100 km", "kgce")] == [
        "千瓦时",
        "立方米",
        "升",
        "千克",
        "元",
        "升/百公里",
        "千克标准煤",
    ]
    assert c.unit_label("m³", per="person") == "立方米/人"
    assert c.unit_label("kWh", per="per_area") == "千瓦时/平方米"
    assert c.with_unit("用电量", "kWh") == "用电量（千瓦时）"
    assert c.unit_label("furlong") == "furlong"  # an unknown code shows as it is, never vanishes
    assert (c.unit_label("piece"), c.unit_label("sheet")) == ("件", "张")


def test_units_in_english_are_the_symbols(en):
    assert (c.unit_label("kWh"), c.unit_label("m³", per="person"), c.with_unit("Water", "m³")) == (
        "kWh",
        "m³/person",
        "Water (m³)",
    )
    # a count reads as English writes it after a number: 378 pcs, 85,268 sheets
    assert (c.unit_label("piece"), c.unit_label("sheet")) == ("pcs", "sheets")


def test_numbers_have_one_minus_sign_grouping_and_a_dash_when_missing():
    assert c.number(Decimal("-1234.5")) == "−1,234.50"
    assert c.number("1234.567", 1) == "1,234.6"
    assert c.number(Decimal("-0.001")) == "0.00"  # no "−0.00"
    assert c.number(None) == c.number("") == c.number("n/a") == c.number(Decimal("NaN")) == "—"
    assert (c.signed_number(1030), c.signed_number(-450), c.signed_number(0)) == ("+1,030", "−450", "0")
    assert "-" not in c.number(-5) + c.signed_percent(-5) + c.change_phrase(-5)


def test_percentages_carry_their_sign_without_a_space_in_chinese(zh):
    assert c.signed_percent(Decimal("0.71")) == "+0.71%"
    assert c.signed_percent("-3.6") == "−3.60%"
    assert c.signed_percent(0) == "0.00%"
    assert c.signed_percent(Decimal("-1.26"), 1) == "−1.3%"
    assert c.percent(3) == "3.00%"


def test_percentages_in_english_keep_a_no_break_space(en):
    assert c.signed_percent(Decimal("0.71")) == "+0.71\u00a0%"


def test_changes_and_targets_are_written_in_words(zh):
    assert c.change_phrase(Decimal("-5.034")) == "下降5.03%"
    assert c.change_phrase(Decimal("1.2")) == "上升1.20%"
    assert c.change_phrase(Decimal("0.001")) == "持平"
    assert c.reduction_target(Decimal("3.00")) == "下降3%以上"
    assert c.reduction_target(Decimal("2.50")) == "下降2.5%以上"
    with translation.override("en"):
        assert c.reduction_target(Decimal("3.00")) == "at least 3\u00a0% lower"
        assert c.change_phrase(Decimal("-5.034")) == "5.03\u00a0% lower"


def test_periods_and_dates_as_a_chinese_document_writes_them(zh):
    assert c.months_label(1, 3) == "1—3月"
    assert c.months_label(10, 10) == "10月"
    assert c.months_label(1, 12, 2020) == "2020年1—12月"
    assert c.quarter_name(4) == "第四季度"
    assert c.quarter_label(2020, 4) == "2020年第四季度"
    assert c.date_label(date(2021, 1, 8)) == "2021年1月8日"
    with translation.override("en"):
        assert (c.months_label(1, 3), c.quarter_label(2020, 4), c.date_label(date(2021, 1, 8))) == (
            "Jan–Mar",
            "2020 Q4",
            "8 Jan 2021",
        )


def test_a_list_in_a_sentence_takes_the_languages_separator():
    with translation.override("zh-hans"):
        assert c.join_list(["电费", "水费", 2020]) == "电费、水费、2020"
    with translation.override("en"):
        assert c.join_list(["electricity cost", "water cost"]) == "electricity cost, water cost"
    assert c.join_list([]) == ""


@pytest.mark.django_db
def test_a_person_is_shown_by_name_never_by_user_name():
    assert c.person_name(UserFactory(username="clerk", first_name="李鑫", last_name="")) == "李鑫"
    assert c.person_name(UserFactory(username="lx", first_name="鑫", last_name="李")) == "李鑫"
    assert c.person_name(UserFactory(username="ab", first_name="Ann", last_name="Lee")) == "Ann Lee"
    assert c.person_name(UserFactory(username="nobody", first_name="", last_name="")) == "nobody"
    assert c.person_name(None) == "—"


def test_a_ledger_registers_a_unit_it_brings(zh):
    from django.utils.translation import pgettext_lazy

    label = pgettext_lazy("unit", "test-unit-xyz")
    c.register_unit("xyz", label)
    try:
        assert c.unit_label("xyz") == "test-unit-xyz"
        with pytest.raises(ValueError):
            c.register_unit("kWh", pgettext_lazy("unit", "other"))
    finally:
        c.UNITS.pop("xyz")


@pytest.mark.django_db
def test_the_template_filters_use_the_same_convention(zh):
    html = Template(
        "{% load conventions %}{{ v|signed_percent }} {{ u|unit }} {{ u|unit_per:'person' }} "
        "{{ t|reduction }} {{ user|person }} {% months_label 1 3 %} {{ d|date_label }} {{ n|number:0 }}"
    ).render(
        Context(
            {
                "v": Decimal("-3.6"),
                "u": "m³",
                "t": "3.00",
                "user": UserFactory(username="clerk", first_name="李鑫"),
                "d": date(2021, 1, 8),
                "n": Decimal("-1234"),
            }
        )
    )
    assert html == "−3.60% 立方米 立方米/人 下降3%以上 李鑫 1—3月 2021年1月8日 −1,234"
