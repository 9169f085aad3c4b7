"""Turning messy spreadsheet cells into Python values, one column at a time.

Ledgers kept by hand mix Excel serial dates with ``2020年3月31日``, full-width digits with
thousands separators; each converter accepts them all and raises ``ValueError`` with a
translatable reason otherwise. Converters are plain functions chosen once per column so the
per-cell cost is a call and a type check (the benchmark depends on it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from agencies.conventions import chinese, join_list

# Excel's serial day numbers (the 1900 system): serial 61 = 1900-03-01 counts from 1899-12-30,
# because Excel keeps Lotus' phantom 1900-02-29 as serial 60 (no date); serials 1–59
# (1900-01-01 … 1900-02-28) are a day later than that count. Serials outside 1900-01-01 …
# 9999-12-31 are not dates but stray numbers.
EXCEL_EPOCH = dt.date(1899, 12, 30)
PHANTOM_SERIAL = 60
MIN_SERIAL, MAX_SERIAL = 1, 2958465

TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "total", "totals", "subtotal", "grandtotal", "sum"})

_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ tT]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPACES_RE = re.compile(r"\s+")
_BRACKETS_RE = re.compile(r"[\(\[【（].*?[\)\]】）]")
_MARKERS = "*＊:："

TRUE_WORDS = frozenset({"是", "有", "真", "对", "yes", "y", "true", "t", "1", "√", "✓", "✔"})
FALSE_WORDS = frozenset({"否", "无", "假", "不", "no", "n", "false", "f", "0", "×", "✗", "✘"})


def fold(text: str) -> str:
    """Full-width → half-width (NFKC), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def normalize_header(text: object) -> str:
    """Canonical spelling of a header cell: ``" 读数（ kWh ）*"`` → ``"读数"``.

    Units in brackets, required-markers, spaces, underscores and case do not distinguish columns.
    """
    if text is None:
        return ""
    folded = fold(str(text))
    folded = _BRACKETS_RE.sub("", folded)
    folded = folded.strip(_MARKERS)
    return _SPACES_RE.sub("", folded).replace("_", "").replace("-", "")


def is_blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def is_total_label(value: object) -> bool:
    """True for 合计 / 总 计 / Total: … cells that mark a totals row."""
    if type(value) is not str or len(value) > 24:
        return False
    folded = _SPACES_RE.sub("", fold(value)).rstrip(":").replace("_", "")
    return folded in TOTAL_WORDS or folded.startswith(("合计", "总计", "小计"))


# Lines written under a table for people: 注：…, 说明：…, 制表人：…, 审核人：…, 填报日期：…
_NOTE_RE = re.compile(
    r"^(?:注|附注|备注|说明|填表说明|制表|制表人|填表|填表人|填报|填报人|填报单位|填报日期|审核|审核人|复核|"
    r"负责人|单位负责人|统计|统计人|联系人|联系电话|经办人|日期)\s*[:：]|^注\s*\d"
)


def is_note_row(cells: list) -> bool:
    """True for a row of notes under a table: text only, its first filled cell a label such as
    ``注：`` or ``制表人：`` — never data (a row holding a number or a date is not a note row)."""
    filled = [cell for cell in cells if not is_blank(cell)]
    if not filled or any(type(cell) is not str for cell in filled):
        return False
    return bool(_NOTE_RE.match(unicodedata.normalize("NFKC", filled[0]).strip()))


def _clean_number_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    # Thousands separators and stray spaces, e.g. "1,234.50" or " 1 234 ".
    return _SPACES_RE.sub("", text).replace(",", "").replace("，", "")


def to_text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if type(value) is float:
        # Codes typed as numbers come back from Excel as floats: 1001 → "1001", not "1001.0".
        return str(int(value)) if value.is_integer() else repr(value)
    if type(value) is bool:
        return "1" if value else "0"
    if type(value) is dt.datetime and not (value.hour or value.minute or value.second):
        return value.date().isoformat()
    return str(value).strip()


def to_date(value: object) -> dt.date:
    kind = type(value)
    if kind is dt.date:
        return value  # type: ignore[return-value]
    if kind is dt.datetime:
        return value.date()  # type: ignore[union-attr]
    if kind is float or kind is int:
        day = int(value) if MIN_SERIAL <= value <= MAX_SERIAL else None  # type: ignore[operator]
        if day is None or day == PHANTOM_SERIAL:
            raise ValueError(_("%(value)s is not a date.") % {"value": value})
        return EXCEL_EPOCH + dt.timedelta(days=day + 1 if day < PHANTOM_SERIAL else day)
    if kind is str:
        text = unicodedata.normalize("NFKC", value).strip()  # type: ignore[arg-type]
        match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise ValueError(_("%(value)s is not a valid date.") % {"value": value}) from None
        if text.isdigit() and len(text) == 5:  # an Excel serial that came through CSV
            return to_date(int(text))
    raise ValueError(
        _("“%(value)s” is not a date; write it as 2020-03-31, 2020/3/31 or 2020年3月31日.") % {"value": value}
    )


def to_decimal(value: object) -> Decimal:
    kind = type(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("%(value)s is not a number.") % {"value": value})
        if value.is_integer():  # type: ignore[union-attr]
            return Decimal(int(value))  # 1024.0 from Excel is 1024
        # repr gives the shortest round-tripping digits: 0.1 → Decimal("0.1"), not 0.1000000000000000055…
        return Decimal(repr(value))
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    if kind is str:
        try:
            number = Decimal(_clean_number_text(value))  # type: ignore[arg-type]
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    raise ValueError(_("“%(value)s” is not a number.") % {"value": value})


def to_int(value: object) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is float and value.is_integer():  # type: ignore[union-attr]
        return int(value)  # type: ignore[arg-type]
    if kind is str:
        try:
            number = Decimal(_clean_number_text(value))  # type: ignore[arg-type]
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and number == number.to_integral_value():
            return int(number)
    raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})


def to_bool(value: object) -> bool:
    if type(value) is bool:
        return value  # type: ignore[return-value]
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    word = fold(str(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("“%(value)s” is not yes/no (是/否).") % {"value": value})


def bool_text(value: bool) -> str:
    """A yes/no value as a sheet or a preview writes it, in the active language: 是/否, yes/no
    (both read back by ``to_bool``)."""
    if chinese():
        return "是" if value else "否"
    return "yes" if value else "no"


def choice_converter(choices: dict[str, str]) -> Callable[[object], str]:
    """A converter accepting any spelling in ``choices`` (and the stored values) case-insensitively."""
    accepted = {fold(str(spelling)): stored for spelling, stored in choices.items()}
    for stored in choices.values():
        accepted.setdefault(fold(str(stored)), stored)
    spellings = list(dict.fromkeys(str(spelling) for spelling in choices))

    def to_choice(value: object) -> str:
        try:
            return accepted[fold(to_text(value))]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": join_list(spellings)}
            ) from None

    return to_choice


CONVERTERS: dict[str, Callable[[object], object]] = {
    "text": to_text,
    "date": to_date,
    "decimal": to_decimal,
    "int": to_int,
    "bool": to_bool,
}


class CellError:
    """A cell that did not convert (or a required cell left empty): the reason, for the row's errors."""

    __slots__ = ("message",)

    def __init__(self, message: object):
        self.message = message


def _convert_cell(convert: Callable[[object], object], cell: object) -> object:
    try:
        value = convert(cell)
    except ValueError as error:
        return CellError(error.args[0] if error.args else error)
    return None if value == "" else value


# Control characters have no place in a ledger's text (tab, line feed and carriage return excepted:
# Excel writes them inside cells); NUL, escape sequences and the like are refused.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(text: str, max_length: int) -> str:
    """``text`` if it fits ``max_length`` and holds no control character; ``ValueError`` otherwise."""
    if len(text) > max_length:
        raise ValueError(
            _("The text is %(length)d characters long; at most %(limit)d are allowed.")
            % {"length": len(text), "limit": max_length}
        )
    if _CONTROL_RE.search(text):
        raise ValueError(_("The text holds a control character (such as NUL); remove it."))
    return text


def convert_column(
    convert: Callable[[object], object],
    cells: list,
    required_message: object | None = None,
    *,
    max_length: int | None = None,
) -> tuple[list, list[int]]:
    """Convert a whole column: ``(values, indexes of bad cells)``; empty cells become ``None``.

    Cells that calamine already typed (text, floats, datetimes) take a fast path giving exactly
    what the column's converter would; anything else goes through the converter. A bad cell is a
    ``CellError``, and so is an empty one when ``required_message`` is given (a required column).
    """
    values: list = []
    append = values.append
    if convert is to_text:
        limit = max_length or 1000
        control = _CONTROL_RE.search
        for cell in cells:
            if type(cell) is str:
                text = cell.strip()
                # isprintable() is one C call and true for nearly every cell; only the rest
                # (tabs, line breaks, control characters) are searched
                if len(text) > limit or (not text.isprintable() and control(text)):
                    append(_convert_cell(lambda value: check_text(value, limit), text))
                else:
                    append(text or None)
            elif cell is None:
                append(None)
            else:
                append(_convert_cell(lambda value: check_text(to_text(value), limit), cell))
    elif convert is to_date:
        for cell in cells:
            kind = type(cell)
            if kind is dt.datetime:
                append(cell.date())
            elif kind is dt.date:
                append(cell)
            elif cell is None or cell == "":
                append(None)
            else:
                append(_convert_cell(convert, cell))
    elif convert is to_decimal:
        for cell in cells:
            if type(cell) is float and cell - cell == 0.0:  # finite (inf - inf and nan - nan are nan)
                append(Decimal(int(cell)) if cell.is_integer() else Decimal(repr(cell)))
            elif cell is None or cell == "":
                append(None)
            else:
                append(_convert_cell(convert, cell))
    else:
        for cell in cells:
            append(None if cell is None or cell == "" else _convert_cell(convert, cell))
    if required_message is not None:
        missing = CellError(required_message)
        values = [missing if value is None else value for value in values]
    bad = [index for index, value in enumerate(values) if type(value) is CellError]
    return values, bad
