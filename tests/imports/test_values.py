"""Cell conversion: the messy spellings real ledgers use."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from imports.values import (
    CellError,
    check_text,
    choice_converter,
    convert_column,
    is_total_label,
    normalize_header,
    to_bool,
    to_date,
    to_decimal,
    to_int,
    to_text,
)

MARCH_31 = dt.date(2020, 3, 31)


@pytest.mark.parametrize(
    "cell",
    [
        MARCH_31,
        dt.datetime(2020, 3, 31, 17, 30),
        43921.0,
        43921,
        "2020-03-31",
        "2020/3/31",
        "2020.3.31",
        "2020年3月31日",
        " 2020 年 3 月 31 日 ",
        "２０２０－０３－３１",
        "2020-03-31 00:00:00",
        "20200331",
        "43921",
    ],
)
def test_every_common_date_spelling_is_read_as_the_same_day(cell):
    assert to_date(cell) == MARCH_31


@pytest.mark.parametrize("cell", ["2020-02-30", "31/03/2020", "yesterday", -5.0, 10_000_000.0])
def test_a_value_that_is_not_a_date_is_refused_with_a_reason(cell):
    with pytest.raises(ValueError) as error:
        to_date(cell)
    assert str(cell).strip() in str(error.value.args[0]) or "date" in str(error.value.args[0])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        (" 1234.5 ", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),
        ("１，２３４", Decimal("1234")),
        (0.1, Decimal("0.1")),
        (1234.0, Decimal("1234")),
        (7, Decimal(7)),
        ("-3", Decimal(-3)),
    ],
)
def test_numbers_with_separators_full_width_digits_and_spaces_are_read(cell, expected):
    assert to_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "NaN", "Infinity", float("nan")])
def test_text_in_a_number_column_is_refused(cell):
    with pytest.raises(ValueError):
        to_decimal(cell)


def test_whole_numbers_accept_integral_floats_and_refuse_fractions():
    assert to_int(45.0) == 45
    assert to_int("４５") == 45
    assert to_int("1,200") == 1200
    with pytest.raises(ValueError):
        to_int(45.5)


def test_codes_typed_as_numbers_are_read_as_text_without_a_trailing_point_zero():
    assert to_text(1001.0) == "1001"
    assert to_text("  M-01 ") == "M-01"
    assert to_text(dt.datetime(2020, 3, 31)) == "2020-03-31"
    # (mutation testing) a decimal number keeps its decimals; a yes/no cell is 1 or 0
    assert to_text(12.5) == "12.5" and to_text(-0.25) == "-0.25"
    assert (to_text(True), to_text(False)) == ("1", "0")
    # a date and time cell keeps its time unless it is midnight; anything else is its text
    assert to_text(dt.datetime(2020, 3, 31, 8, 0)) == "2020-03-31 08:00:00"
    assert to_text(dt.datetime(2020, 3, 31, 0, 30)) == "2020-03-31 00:30:00"
    assert to_text(dt.datetime(2020, 3, 31, 0, 0, 15)) == "2020-03-31 00:00:15"
    assert (to_text(5), to_text(dt.date(2020, 3, 31)), to_text(Decimal("1.50"))) == (
        "5",
        "2020-03-31",
        "1.50",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("Yes", True), (0.0, False), (1.0, True), (1, True), (True, True)],
)
def test_yes_no_cells_accept_chinese_and_english(cell, expected):
    assert to_bool(cell) is expected


def test_choices_accept_chinese_english_and_case_variants():
    to_choice = choice_converter({"电": "electricity", "electricity": "electricity", "水": "water"})
    assert to_choice("电") == "electricity"
    assert to_choice(" ELECTRICITY ") == "electricity"
    assert to_choice("water") == "water"
    with pytest.raises(ValueError) as error:
        to_choice("煤")
    assert "煤" in str(error.value.args[0])


def test_a_choice_refused_lists_every_spelling_once_in_the_interface_language():
    to_choice = choice_converter({"电": "electricity", "electricity": "electricity", "水": "water"})
    with translation.override("zh-hans"), pytest.raises(ValueError) as error:
        to_choice("煤")
    assert str(error.value.args[0]) == "“煤”不是以下之一：电、electricity、水。"
    with translation.override("en"), pytest.raises(ValueError) as error:
        to_choice(7)
    assert str(error.value.args[0]) == "“7” is not one of: 电, electricity, 水."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("读数(kWh)", "读数"),
        ("读数（千瓦时）", "读数"),
        (" Meter  Code ", "metercode"),
        ("*日期", "日期"),
        ("ＤＡＴＥ", "date"),
        ("meter_code", "metercode"),
        ("Meter-Code", "metercode"),
        (None, ""),
        (2020, "2020"),
    ],
)
def test_headers_are_normalised_before_matching(header, expected):
    assert normalize_header(header) == expected


@pytest.mark.parametrize(
    "cell", ["合计", "合 计", "总计：", "小计", "Total", "TOTAL:", "Grand Total", "合计（元）"]
)
def test_totals_labels_are_recognised(cell):
    assert is_total_label(cell)


@pytest.mark.parametrize("cell", ["合同编号", "M-01", 12.0, "Totally normal"])
def test_ordinary_cells_are_not_totals_labels(cell):
    assert not is_total_label(cell)


MIXED_CELLS = [
    None,
    "",
    "   ",
    " E-001 ",
    1001.0,
    12.5,
    0.1,
    1024.0,
    float("nan"),
    float("inf"),
    dt.datetime(2020, 3, 31, 0, 0),
    dt.datetime(2020, 3, 31, 8, 30),
    MARCH_31,
    43921.0,
    "2020年3月31日",
    "１，２３４.５",
    "not a value",
    True,
]


def _one_by_one(convert, cell):
    if cell is None or cell == "":
        return None
    try:
        value = convert(cell)
    except ValueError as error:
        return ("error", str(error.args[0]))
    return None if value == "" else value


@pytest.mark.parametrize("convert", [to_text, to_date, to_decimal, to_int, to_bool])
def test_a_whole_column_converts_exactly_as_its_cells_one_by_one(convert):
    values, bad = convert_column(convert, MIXED_CELLS)
    shown = [("error", str(v.message)) if isinstance(v, CellError) else v for v in values]
    assert shown == [_one_by_one(convert, cell) for cell in MIXED_CELLS]
    assert [type(v) for v in shown] == [type(_one_by_one(convert, cell)) for cell in MIXED_CELLS]
    assert bad == [i for i, v in enumerate(shown) if isinstance(v, tuple)]
    # exactly: 1024.0 is Decimal("1024") either way, not an equal Decimal("1024.0")
    assert [repr(v) for v in shown] == [repr(_one_by_one(convert, cell)) for cell in MIXED_CELLS]


def test_a_text_column_allows_1000_characters_unless_told_otherwise():
    values, bad = convert_column(to_text, ["x" * 1000, "x" * 1001, 7.0])
    assert values[0] == "x" * 1000 and bad == [1] and values[2] == "7"
    assert convert_column(to_text, ["x" * 11], max_length=10)[1] == [0]


def test_a_columns_own_converter_may_refuse_with_or_without_a_reason_and_give_empty_text():
    def own(value):
        if value == "bare":
            raise ValueError
        if value == "bad":
            raise ValueError(f"not this: {value}")
        return str(value).strip()

    values, bad = convert_column(own, ["bare", "bad", "  ", 5])
    assert bad == [0, 1]
    assert isinstance(values[0].message, ValueError)  # no reason given: the error itself
    assert values[1].message == "not this: bad" and type(values[1].message) is str
    assert values[2:] == [None, "5"]  # empty text is an empty cell


def test_an_empty_cell_of_a_required_column_is_an_error_with_the_given_reason():
    values, bad = convert_column(to_decimal, [None, "", 1.5, "x"], "A value is required.")
    assert [v.message if isinstance(v, CellError) else v for v in values[:3]] == [
        "A value is required.",
        "A value is required.",
        Decimal("1.5"),
    ]
    assert bad == [0, 1, 3]


# --- found by mutation testing (docs/testing.md): each message in Chinese, each bound exactly ---


def _message(convert, value):
    with pytest.raises(ValueError) as error:
        convert(value)
    return str(error.value)


def test_excel_serials_are_dates_from_1_to_2958465_only():
    # Excel's 1900 system: serial 60 is the phantom 1900-02-29 (no date), so the serials before it
    # are a day later than a count from the 1899-12-30 epoch, and the serials after it are not.
    assert to_date(1) == dt.date(1900, 1, 1) and to_date(1.0) == dt.date(1900, 1, 1)
    assert to_date(59) == dt.date(1900, 2, 28)
    assert _message(to_date, 60) == "60 不是日期。"
    assert to_date(61) == dt.date(1900, 3, 1) and to_date(61.5) == dt.date(1900, 3, 1)
    assert to_date(2958465) == dt.date(9999, 12, 31)
    assert _message(to_date, 0) == "0 不是日期。"
    assert _message(to_date, 2958466) == "2958466 不是日期。"
    assert _message(to_date, "2020-02-30") == "2020-02-30 不是有效日期。"
    assert to_date("43921") == MARCH_31  # a serial that came through CSV: five digits only
    assert _message(to_date, "4392") == "“4392”不是日期；请写作 2020-03-31、2020/3/31 或 2020年3月31日。"
    assert _message(to_date, "abcde") == "“abcde”不是日期；请写作 2020-03-31、2020/3/31 或 2020年3月31日。"


def test_numbers_that_are_not_finite_and_full_width_commas():
    for value in (float("nan"), float("inf"), float("-inf")):
        assert _message(to_decimal, value) == f"{value} 不是数字。"
    assert to_decimal("1，234.5") == Decimal("1234.5")


def test_text_at_its_limit_and_with_a_control_character():
    assert check_text("一二三", 3) == "一二三"
    assert _message(lambda t: check_text(t, 3), "a\x00b") == "文字中含有控制字符（如 NUL），请删除。"


def test_a_totals_label_is_at_most_24_characters():
    """A label cell is short; a long text that starts with 合计 is a remark, not a totals row."""
    assert is_total_label("合计" + "一" * 22)  # 24 characters
    assert not is_total_label("合计" + "一" * 23)  # 25


@pytest.mark.parametrize("cell", ["总计金额", "小计（本月）", "合计：电费", "Sub_Total", "grand_total"])
def test_totals_labels_are_recognised_by_their_first_word_and_without_underscores(cell):
    assert is_total_label(cell)


@pytest.mark.parametrize("cell", [2, -1, 0.5, 1.5])
def test_a_number_other_than_0_or_1_is_not_yes_no(cell):
    refused = rf"^“{cell}” is not yes/no \(是/否\)\.$"
    with translation.override("en"), pytest.raises(ValueError, match=refused):
        to_bool(cell)
