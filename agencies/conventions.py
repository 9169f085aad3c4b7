"""How the portal writes units, numbers, changes, periods, dates and people — the one convention for
the notice, the pages and the exports, as Chinese official documents write them.

Every page, export and notice row formats through these functions (templates through the
``conventions`` template library), so a figure reads the same everywhere:

* **Units** are kept as codes (``"kWh"``, ``"m³"``, ``"L"``, ``"kg"``, ``"yuan"``…, the
  ``Indicator.unit`` of the registry) and shown by ``unit_label``: in Chinese as official
  documents write them — 千瓦时, 立方米, 升, 千克, 元 — in English as symbols (kWh, m³, L, kg,
  yuan). Per person and per m²: 立方米/人, 千瓦时/平方米. A table header carries the unit in
  full-width brackets: 用电量（千瓦时）.
* **Numbers**: thousands grouped with commas, a fixed number of decimals, one minus sign
  (U+2212 ``−``, never the hyphen) and an em dash ``—`` when there is nothing to show.
* **Percentages**: ``+0.71%`` / ``−3.60%`` with the sign always written (no sign for zero);
  Chinese sets no space before ``%`` (下降3%以上), English a no-break space (−3.60 %).
* **Changes and targets in words**: 下降5.03% / 上升1.20% / 持平, and a reduction target as
  下降3%以上 (never ``≤ −3 %``).
* **Periods**: months 1—3月 (an em dash between the numbers, GB/T 15834), 2020年1—3月,
  第四季度 / 2020年第四季度; dates 2021年1月8日 in Arabic numerals (GB/T 9704-2012 7.3.5.3).
* **People** by their names (李鑫), never their user names, wherever a person is shown.
* **Lists** in a sentence: 电费、水费 in Chinese (the enumeration comma), "a, b" in English.

Chinese words live in the catalogue (``agencies/locale``) under the message context ``unit`` or
``convention``; the functions follow the active language, and a Chinese-only document (the
notice) renders inside ``translation.override("zh-hans")``. Details: docs/conventions.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

MINUS = "\u2212"  # − (the one minus sign)
MISSING = "—"  # an em dash where there is no figure
NBSP = "\u00a0"

# Unit codes (what ``Indicator.unit`` holds) → how a document names them in the active language.
UNITS = {
    "kWh": pgettext_lazy("unit", "kWh"),  # 千瓦时
    "MWh": pgettext_lazy("unit", "MWh"),  # 兆瓦时
    "m³": pgettext_lazy("unit", "m³"),  # 立方米
    "m²": pgettext_lazy("unit", "m²"),  # 平方米
    "L": pgettext_lazy("unit", "L"),  # 升
    "kg": pgettext_lazy("unit", "kg"),  # 千克
    "t": pgettext_lazy("unit", "t"),  # 吨
    "GJ": pgettext_lazy("unit", "GJ"),  # 吉焦
    "km": pgettext_lazy("unit", "km"),  # 公里
    "L/100 km": pgettext_lazy("unit", "L/100 km"),  # 升/百公里
    "kgce": pgettext_lazy("unit", "kgce"),  # 千克标准煤
    "tce": pgettext_lazy("unit", "tce"),  # 吨标准煤
    "kgCO₂": pgettext_lazy("unit", "kgCO₂"),  # 千克二氧化碳
    "yuan": pgettext_lazy("unit", "yuan"),  # 元
    "person": pgettext_lazy("unit", "person"),  # 人
    "vehicle": pgettext_lazy("unit", "vehicle"),  # 辆
    "sheet": pgettext_lazy("unit", "sheets"),  # 张 (a count: English writes the plural)
    "ream": pgettext_lazy("unit", "ream"),  # 包 (of paper)
    "piece": pgettext_lazy("unit", "pcs"),  # 件
    "box": pgettext_lazy("unit", "box"),  # 盒
    "times": pgettext_lazy("unit", "times"),  # 次
    "%": "%",
}
# What a per-basis unit is divided by: 立方米/人, 千瓦时/平方米.
PER = {"person": "person", "per_capita": "person", "m²": "m²", "per_area": "m²", "vehicle": "vehicle"}


def register_unit(code: str, label) -> None:
    """A ledger with a unit not listed above adds it (``pgettext_lazy("unit", "…")``) in ``ready()``."""
    if code in UNITS and UNITS[code] is not label:
        raise ValueError(f"The unit {code!r} is already registered")
    UNITS[code] = label


def chinese() -> bool:
    """Whether the active language writes Chinese (zh-hans, zh-cn…)."""
    return (translation.get_language() or "").lower().startswith("zh")


def unit_label(unit, *, per: str | None = None) -> str:
    """``"kWh"`` → 千瓦时 (kWh in English); ``per="person"`` → 立方米/人 (m³/person).

    An unknown code is shown as it is (a lazy translation is resolved), so a unit missing from
    ``UNITS`` is visible, never dropped."""
    text = str(UNITS.get(str(unit), unit)) if unit not in (None, "") else ""
    if per:
        text = f"{text}/{UNITS.get(PER.get(per, per), per)}"
    return text


def with_unit(label, unit, *, per: str | None = None) -> str:
    """A column or row heading with its unit: 用电量（千瓦时）; Electricity (kWh)."""
    shown = unit_label(unit, per=per)
    if not shown:
        return str(label)
    return f"{label}（{shown}）" if chinese() else f"{label} ({shown})"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def number(value, places: int = 2) -> str:
    """1,234.50 / −450.00; ``MISSING`` when there is no number."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = f"{abs(d):,.{int(places)}f}"
    negative = d < 0 and text.strip("0.,") != ""
    return f"{MINUS}{text}" if negative else text


def signed_number(value, places: int = 0) -> str:
    """+1,030 / −450 / 0: a difference, its sign always written."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = number(d, places)
    return f"+{text}" if d > 0 and text.strip("0.,") else text


def _percent_sign(text: str) -> str:
    return f"{text}%" if chinese() else f"{text}{NBSP}%"


def percent(value, places: int = 2) -> str:
    """3.00% (Chinese) / 3.00 % (English); ``MISSING`` when there is no number."""
    d = _decimal(value)
    return MISSING if d is None else _percent_sign(number(d, places))


def signed_percent(value, places: int = 2) -> str:
    """+0.71% / −3.60% / 0.00%: a change, its sign always written."""
    d = _decimal(value)
    return MISSING if d is None else _percent_sign(signed_number(d, places))


def plain_percent(value) -> str:
    """A target's percentage without trailing zeros: 3.00 → 3, 2.50 → 2.5."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = f"{abs(d).normalize():f}"
    return f"{MINUS}{text}" if d < 0 else text


def change_phrase(value, places: int = 2) -> str:
    """A change in words: 下降5.03% / 上升1.20% / 持平 (5.03 % lower / 1.20 % higher / unchanged)."""
    d = _decimal(value)
    if d is None:
        return MISSING
    amount = number(abs(d), places)
    if amount.strip("0.,") == "":
        return pgettext("convention", "unchanged")
    text = _percent_sign(amount)
    if d < 0:
        return pgettext("convention", "%(percent)s lower") % {"percent": text}
    return pgettext("convention", "%(percent)s higher") % {"percent": text}


def reduction_target(value) -> str:
    """A reduction target in words: 下降3%以上 (at least 3 % lower), never ``≤ −3 %``."""
    d = _decimal(value)
    if d is None:
        return MISSING
    return pgettext("convention", "at least %(percent)s lower") % {"percent": _percent_sign(plain_percent(d))}


QUARTER_NAMES = {
    1: pgettext_lazy("convention", "Q1"),  # 第一季度
    2: pgettext_lazy("convention", "Q2"),  # 第二季度
    3: pgettext_lazy("convention", "Q3"),  # 第三季度
    4: pgettext_lazy("convention", "Q4"),  # 第四季度
}
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def quarter_name(number: int) -> str:
    """第四季度 / Q4."""
    return str(QUARTER_NAMES[int(number)])


def quarter_label(year: int, number: int) -> str:
    """2020年第四季度 / 2020 Q4."""
    if chinese():
        return f"{int(year)}年{quarter_name(number)}"
    return f"{int(year)} {quarter_name(number)}"


def months_label(first: int, last: int, year: int | None = None) -> str:
    """1—3月, 10月, 2020年1—12月 / Jan–Mar, Oct, Jan–Dec 2020 (a span of months in one year)."""
    first, last = int(first), int(last)
    if chinese():
        span = f"{first}月" if first == last else f"{first}—{last}月"
        return f"{int(year)}年{span}" if year else span
    names = MONTH_ABBREVIATIONS
    span = names[first - 1] if first == last else f"{names[first - 1]}–{names[last - 1]}"
    return f"{span} {int(year)}" if year else span


def date_label(day: date | None) -> str:
    """2021年1月8日 (Arabic numerals, no leading zeros) / 8 Jan 2021."""
    if day is None:
        return MISSING
    if chinese():
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def join_list(items) -> str:
    """Items listed in a sentence: 电费、水费 / electricity cost, water cost."""
    return pgettext("convention", ", ").join(str(item) for item in items)


def person_name(user) -> str:
    """A person as a document names them: 李鑫 — their name, never their user name.

    Chinese names are family name then given name without a space; others "given family".
    The user name is the last resort for an account nobody has named (and ``MISSING`` for none)."""
    if user is None:
        return MISSING
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    if first and last:
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return f"{first} {last}"
    return first or last or user.get_username()
