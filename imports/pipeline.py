"""From raw cells to validated records: find the header row, convert columns, validate every row.

This is the hot loop of every import (100,000 rows in about a second is the aim), so the
per-row work is a few list lookups, one converter call per cell and the kind's validator.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import NamedTuple

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.conventions import join_list

from .reader import ImportFileError, Sheet
from .registry import ROW, Column, ImportKind, RowError
from .values import (
    CONVERTERS,
    CellError,
    bool_text,
    choice_converter,
    convert_column,
    is_blank,
    is_note_row,
    is_total_label,
    normalize_header,
    to_text,
)

HEADER_SCAN_ROWS = 30
PREVIEW_ROWS = 20
PROGRESS_EVERY = 5000
BLOCK = 5000  # rows converted and validated at a time (a commit writes each block as it is done)
LANGUAGES = ("zh-hans", "en")


NOT_IMPORTED = ""  # a mapping's value for a header the manager chose not to import

# Header cell statuses, as the preview and the command list them.
EXACT, BY_WORDS, CHOSEN = "exact", "words", "chosen"  # taken as a column
AMBIGUOUS, LOOKS_LIKE, IGNORED, MONTH = "ambiguous", "looks_like", "ignored", "month"


@dataclass
class HeaderCell:
    """One non-empty header cell of the file and what became of it."""

    position: int
    text: str  # as written (a two-row header: "大类/小类")
    key: str | None = None  # the column it was taken as, or None: not imported
    status: str = IGNORED
    candidates: tuple[str, ...] = ()  # AMBIGUOUS: the columns it could be; LOOKS_LIKE: the one it resembles
    month: object = None  # MONTH: the first day of the month it holds (wide sheets)
    month_text: str = field(default="", repr=False)  # the text its month is read from (HeaderText)

    def as_dict(self) -> dict:
        return {
            "position": self.position,
            "header": self.text,
            "column": self.key or "",
            "status": self.status,
            "candidates": list(self.candidates),
            "month": self.month.isoformat() if self.month else "",
        }


@dataclass
class HeaderMap:
    row_index: int  # index in Sheet.rows of the (last) header row
    positions: dict[str, int]  # column key -> cell index
    headers: dict[str, str]  # column key -> the header exactly as written in the file
    cells: list[HeaderCell] = field(default_factory=list)  # every non-empty header cell
    missing: list = field(default_factory=list)  # required columns no header names
    months: dict[int, object] = field(default_factory=dict)  # wide sheet: cell index -> month date
    signature: str = ""  # identifies the header row's layout, for remembered mappings

    @property
    def is_wide(self) -> bool:
        return bool(self.months)

    def not_imported(self) -> list[HeaderCell]:
        return [cell for cell in self.cells if cell.key is None and cell.status != MONTH]


class HeaderError(ImportFileError):
    """The header row lacks required columns (or names one ambiguously): the preview shows the
    mapping so that the manager can say which header is which."""

    def __init__(self, message, *, header: HeaderMap, **params):
        super().__init__(message, **params)
        self.header = header


@dataclass
class Outcome:
    """What validating every row produced; ``records`` is empty when there is any error."""

    rows_read: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})
    records: list = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # one per record: "new" | "updated" | "unchanged"
    months: set = field(default_factory=set)
    errors: list[dict] = field(default_factory=list)
    error_rows: int = 0
    preview: list[dict] = field(default_factory=list)
    sheet: str = ""
    # Rows under the header that are not data and were passed over — {"row": sheet row, "reason":
    # a SKIP_REASONS key} — so that nothing is dropped without being listed (blank rows after the
    # last filled row are the sheet's end, not skipped rows).
    skipped: list[dict] = field(default_factory=list)
    skipped_count: int = 0

    def skip(self, row: int, reason: str, limit: int) -> None:
        self.skipped_count += 1
        if len(self.skipped) < limit:
            self.skipped.append({"row": row, "reason": reason})


# Why a row under the header was not imported (stored as the key, shown in the reader's language).
SKIP_REASONS = {
    "blank": gettext_lazy("blank row"),
    "total": gettext_lazy("total row (合计, 小计 …): the ledger adds up its own totals"),
    "note": gettext_lazy("note under the table (注：, 制表人： …)"),
    "no_month": gettext_lazy("no month of the row has a value"),
}


def skip_reason(key: str) -> str:
    return str(SKIP_REASONS.get(key, key))


def _skip_kind(cells) -> str | None:
    """Why a row is not data: "blank", "total" (合计 / 小计 / Total in its first cells), "note"."""
    if all(is_blank(cell) for cell in cells):
        return "blank"
    if any(is_total_label(cell) for cell in cells[:4]):
        return "total"
    if is_note_row(cells):
        return "note"
    return None


def column_label(column: Column) -> str:
    return str(column.label)


# Column names rendered when the message is, so a stored error reads in the reader's language.
_labels = lazy(lambda columns: join_list(c.label for c in columns), str)


def column_spellings(column: Column) -> set[str]:
    """Every normalised header that names ``column``: key, label in each language, synonyms."""
    spellings = {normalize_header(column.key), *(normalize_header(s) for s in column.synonyms)}
    for language in LANGUAGES:
        with translation.override(language):
            spellings.add(normalize_header(str(column.label)))
    return spellings


@dataclass(frozen=True)
class _Matcher:
    exact: dict[str, str]  # spelling -> column key
    # (key, ((word, score), …), not_words) per column
    words: tuple[tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]], ...]

    def candidates(self, text: str) -> list[tuple[int, str]]:
        """``[(score, key)]`` best first; an exact spelling scores above any word."""
        if not text:
            return []
        key = self.exact.get(text)
        if key is not None:
            return [(1000, key)]
        found = []
        for key, words, not_words in self.words:
            if any(word in text for word in not_words):
                continue
            score = max((score for word, score in words if word in text), default=0)
            if score:
                found.append((score, key))
        found.sort(key=lambda item: -item[0])
        return found


def _matcher(columns: tuple[Column, ...]) -> _Matcher:
    exact: dict[str, str] = {}
    words = []
    for column in columns:
        spellings = column_spellings(column)
        for spelling in spellings:
            exact.setdefault(spelling, column.key)
        # a spelling inside a longer header counts as a word; a declared word counts the same
        declared = {normalize_header(w) for w in column.words} | {w for w in spellings if len(w) >= 2}
        scored = tuple((word, len(word)) for word in sorted(declared) if word)
        not_words = tuple(normalize_header(w) for w in column.not_words if normalize_header(w))
        words.append((column.key, scored, not_words))
    return _Matcher(exact, tuple(words))


_MONTH_RE = re.compile(
    r"^(?:(?P<year>(?:19|20)\d{2})(?:年|[-/.]))?(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})(?:月份?)?$"
)
# A month written as a date: "2020-03" typed, or a date cell (Excel turns "2020-3" into 2020-03-01),
# which reads as its ISO day.
_DATE_MONTH_RE = re.compile(r"^(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?$")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年|(?!\d))")
_YEAR_HEADING_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:年度?)?$")  # a group heading that is a year
_CN_MONTHS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


def month_of_header(text: object, *, dates: bool = False) -> tuple[int | None, int] | None:
    """``"3月"``, ``"三月"`` → (None, 3); ``"2020年3月"``, ``"2020/3"`` → (2020, 3); anything else →
    None. A bare number is a month only with 月 (``"3"`` is not a month header). With ``dates``, a
    date is its month too (``"2020-03"``, a date cell's ``"2020-03-01"``): only for the header row
    once found — in the rows looked at to find it, a date is a data row's."""
    if type(text) is not str:
        return None
    if dates and (dated := _DATE_MONTH_RE.match(unicodedata_nfkc(text).strip())):
        month, day = int(dated["month"]), int(dated["day"] or 1)
        return (int(dated["year"]), month) if 1 <= month <= 12 and 1 <= day <= 31 else None
    folded = normalize_header(text)
    match = _MONTH_RE.match(folded)
    if not match:
        return None
    if not (match["year"] or folded.endswith(("月", "月份"))):
        return None
    raw = match["month"]
    month = int(raw) if raw.isdigit() else _CN_MONTHS.get(raw)
    if month is None or not 1 <= month <= 12:
        return None
    return (int(match["year"]) if match["year"] else None, month)


def _year_of_sheet(sheet: Sheet, header_index: int) -> int | None:
    """The year a wide sheet is about: in a title row above the table, else in the sheet's name."""
    for cells in sheet.rows[:header_index]:
        for cell in cells:
            if type(cell) is str and (match := _YEAR_RE.search(unicodedata_nfkc(cell))):
                return int(match[1])
    if sheet.name and (match := _YEAR_RE.search(unicodedata_nfkc(sheet.name))):
        return int(match[1])
    return None


def unicodedata_nfkc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text)


class HeaderText(NamedTuple):
    """One non-empty cell of a header row as read: ``shown`` to people, ``norm`` to match columns,
    ``month_text`` to find a month in (``_under_group``: the joined ``2019/1`` of a column headed
    2019 over a data row's 1 is no month); ``from_above`` when only the row above has text there
    (a heading merged over both rows — or a title line over an empty column)."""

    position: int
    shown: str
    norm: str
    month_text: str
    from_above: bool = False


def _header_texts(sheet: Sheet, index: int, *, two_rows: bool) -> list[HeaderText]:
    """The non-empty cells of header row ``index``; with ``two_rows`` each cell is read under the
    group heading of the row above (merged group cells carry their text to the right until the
    next group)."""
    cells = sheet.rows[index]
    upper = sheet.rows[index - 1] if two_rows and index > 0 else []
    group, year = "", None
    texts = []
    for position in range(max(len(cells), len(upper))):
        cell = cells[position] if position < len(cells) else None
        above = upper[position] if position < len(upper) else None
        if two_rows and not is_blank(above):
            group = str(above).strip()
            year = _YEAR_HEADING_RE.match(unicodedata_nfkc(to_text(above)))  # 2021 typed as a number too
        own = "" if is_blank(cell) else to_text(cell)  # a number or a date as the cell reads
        month_text, from_above = own, False
        if two_rows and group and own:
            shown, month_text = _under_group(group, year, own)
        elif two_rows and group and not is_blank(above):
            shown = month_text = group  # a header cell merged over both rows
            from_above = True
        else:
            shown = own
        if shown:
            norm = normalize_header(shown.replace("/", ""))
            texts.append(HeaderText(position, shown, norm, month_text, from_above))
    return texts


def _under_group(group: str, year: re.Match | None, own: str) -> tuple[str, str]:
    """A lower header cell read under its group heading (``分项用电/空调``) and the text its month
    is read from. A month under a year (``2021年`` over ``1月``) is that year's month,
    ``2021年1月``, as if written so; any other cell under a year is a month only by its own text
    (``2019`` over a data row's ``1`` is no month); under any other heading, no month (a title
    line read as headings does not make the row under it one)."""
    joined = f"{group}/{own}"
    if not year:
        return joined, joined
    if (parsed := month_of_header(own)) and parsed[0] is None:
        composed = f"{year[1]}年{own.strip()}"
        return composed, composed
    return joined, own


def _resolve(texts: list[HeaderText], matcher: _Matcher) -> tuple[list[HeaderCell], dict[str, int]]:
    """Each header to its best column; a column to its best header; ties are asked, not guessed."""
    cells = [HeaderCell(text.position, text.shown, month_text=text.month_text) for text in texts]
    best_for_column: dict[str, tuple[int, int]] = {}  # key -> (score, index in cells)
    contested: set[str] = set()
    for index, text in enumerate(texts):
        found = matcher.candidates(text.norm)
        if not found:
            continue
        top = found[0][0]
        tied = [key for score, key in found if score == top]
        if len(tied) > 1:
            cells[index].status, cells[index].candidates = AMBIGUOUS, tuple(tied)
            continue
        key = tied[0]
        cells[index].candidates = (key,)
        previous = best_for_column.get(key)
        if previous is None or top > previous[0]:
            best_for_column[key] = (top, index)
            contested.discard(key)
        elif top == previous[0] and top < 1000:
            contested.add(key)  # two headers name it equally by words: ask
    positions: dict[str, int] = {}
    for key, (score, index) in best_for_column.items():
        if key in contested:
            continue
        cells[index].key = key
        cells[index].status = EXACT if score >= 1000 else BY_WORDS
        positions[key] = cells[index].position
    for cell in cells:
        if cell.key is None and cell.status == IGNORED and cell.candidates:
            key = cell.candidates[0]
            cell.status = AMBIGUOUS if key in contested else LOOKS_LIKE
    return cells, positions


def header_signature(texts: list[HeaderText]) -> str:
    """The layout of a header row: its normalised texts by position (month headers as one
    placeholder, so that next year's sheet of the same layout is recognised)."""
    parts = []
    for text in texts:
        parts.append(
            f"{text.position}:{'#month' if month_of_header(text.month_text, dates=True) else text.norm}"
        )
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
    return digest[:40]


def _columns_of(kind: ImportKind | tuple[Column, ...]) -> tuple[Column, ...]:
    return kind if isinstance(kind, tuple) else kind.columns


def find_header(
    sheet: Sheet, kind: ImportKind | tuple[Column, ...], *, mapping: dict[str, str] | None = None
) -> HeaderMap:
    """The row among the first few that names the most columns (read alone, or under the group
    headings of the row above it); title rows above it are skipped. ``mapping`` (header text,
    normalised → column key or "") is what a manager chose for this layout; it wins."""
    columns = _columns_of(kind)
    wide = None if isinstance(kind, tuple) else kind.wide
    matcher = _matcher(columns)
    keys = {column.key for column in columns}
    best: tuple | None = None
    best_score = (0, 0, 0)
    for index in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        for two_rows in (False, True) if index else (False,):
            texts = _header_texts(sheet, index, two_rows=two_rows)
            if not texts:
                continue
            cells, positions = _resolve(texts, matcher)
            left_out = 0
            if mapping:  # the manager's choice for this layout counts in finding the header row
                left_out = _apply_mapping(cells, positions, texts, mapping, keys)
            # A header the manager chose not to import still names a column of this layout: the
            # row counts it, or a reading of it over the first data row would name one more.
            named = len(positions) + left_out
            # Months weigh as two columns, for the row they are written in: a month read from the
            # row above alone (a title line's 2021年3月 over an empty column) counts for that row's
            # own reading, not for a two-row one.
            months = bool(wide) and any(
                not text.from_above and month_of_header(text.month_text) for text in texts
            )
            # Of rows that weigh the same, one whose headers are written as the columns' names
            # wins over one that names them only by words (a title line: 2021年用电量台账).
            exact = sum(1 for cell in cells if cell.status == EXACT)
            score = (named + 2 * months, exact, len(texts) if not positions else 0)
            if score > best_score:
                best, best_score = (index, texts, cells, positions), score
    if best is None:
        expected = _labels([c for c in columns if c.required])
        raise ImportFileError(
            gettext_lazy(
                "No header row was found in the first %(n)d rows. "
                "The header must name the columns: %(columns)s."
            ),
            n=HEADER_SCAN_ROWS,
            columns=expected,
        )
    index, texts, cells, positions = best
    header = HeaderMap(
        index,
        positions,
        {cell.key: cell.text for cell in cells if cell.key},
        cells=cells,
        signature=header_signature(texts),
    )
    excused: set[str] = set()
    if wide is not None and wide.month not in positions and wide.value not in positions:
        _read_months(sheet, header, wide)
        if header.months:
            excused = {wide.month, wide.value}
    header.missing = [c for c in columns if c.required and c.key not in positions and c.key not in excused]
    return header


def _apply_mapping(cells, positions, texts, mapping, keys) -> int:
    """Apply the manager's choices to this reading of the header; the number of its headers they
    leave out ("not imported")."""
    by_norm = {text.norm: text.position for text in texts}
    chosen: dict[int, str] = {}
    for header, key in mapping.items():
        position = by_norm.get(normalize_header(header.replace("/", "")))  # a two-row header: 大类/小类
        if position is not None and (key in keys or key == NOT_IMPORTED):
            chosen[position] = key
    taken = {key for key in chosen.values() if key}
    for cell in cells:
        if cell.position in chosen:
            key = chosen[cell.position] or None
            # the column it was taken for is free again, unless a choice left of it took that column
            if cell.key and positions.get(cell.key) == cell.position:
                del positions[cell.key]
            cell.key, cell.status = key, CHOSEN if key else IGNORED
            if key:
                positions[key] = cell.position
        elif cell.key in taken:  # the chosen header has its column, left or right of this one
            cell.candidates, cell.key, cell.status = (cell.key,), None, LOOKS_LIKE
    return sum(1 for key in chosen.values() if not key)


def _read_months(sheet: Sheet, header: HeaderMap, wide) -> None:
    year = None
    found = []
    for cell in header.cells:
        if cell.key is not None:
            continue
        parsed = month_of_header(cell.month_text, dates=True)
        if parsed:
            found.append((cell, parsed))
    if not found:
        return
    if any(y is None for _cell, (y, _m) in found):
        year = _year_of_sheet(sheet, header.row_index)
        if year is None:
            raise ImportFileError(
                gettext_lazy(
                    "The sheet has a column per month but no year: write the year in the title above "
                    "the table (for example “2020年用电台账”) or in the month headers (2020年1月)."
                )
            )
    import calendar
    import datetime as dt

    for cell, (cell_year, month) in found:
        y = cell_year or year
        day = 1 if wide.day == "first" else calendar.monthrange(y, month)[1]
        cell.status, cell.month = MONTH, dt.date(y, month, day)
        header.months[cell.position] = cell.month


def choose_sheet(
    sheets: list[Sheet],
    kind: ImportKind | tuple[Column, ...],
    *,
    mappings: Callable[[str], dict[str, str] | None] | None = None,
) -> tuple[Sheet, HeaderMap]:
    """The first sheet whose header names every required column (instructions sheets are skipped).

    ``mappings(signature)`` returns the mapping a manager chose for a header layout, if any.
    """
    first_error = None
    fallback = None
    for sheet in sheets:
        try:
            header = find_header(sheet, kind)
            if mappings is not None and (mapping := mappings(header.signature)):
                header = find_header(sheet, kind, mapping=mapping)
        except ImportFileError as error:
            first_error = first_error or error
            continue
        if not header.missing:
            return sheet, header
        if fallback is None or len(header.positions) > len(fallback[1].positions):
            fallback = (sheet, header)
    if fallback is not None:
        sheet, header = fallback
        where = {"columns": _labels(header.missing), "row": sheet.first_row + header.row_index}
        if len(sheets) > 1 and sheet.name:  # which of the workbook's sheets was read
            raise HeaderError(
                gettext_lazy(
                    "Required columns are missing: %(columns)s. Add them to the header row of the "
                    "sheet “%(sheet)s” (row %(row)d), or say below which header is which."
                ),
                header=header,
                sheet=sheet.name,
                **where,
            )
        raise HeaderError(
            gettext_lazy(
                "Required columns are missing: %(columns)s. Add them to the header row (row %(row)d), "
                "or say below which header is which."
            ),
            header=header,
            **where,
        )
    raise first_error  # type: ignore[misc]


def _converter(column: Column) -> Callable[[object], object]:
    if column.type == "choice":
        return choice_converter(column.choices or {})
    return CONVERTERS[column.type]


def _display(value: object) -> str:
    """A checked value in the preview (a date prints as its ISO day, yes/no as the sheet writes it)."""
    if value is None:
        return ""
    return bool_text(value) if type(value) is bool else str(value)


def validate_rows(
    kind: ImportKind,
    state: object,
    sheet: Sheet,
    header: HeaderMap,
    *,
    progress: Callable[[int, int], None] | None = None,
    max_errors: int = 5000,
    sink: Callable[[list, list], None] | None = None,
) -> Outcome:
    """Convert and validate every data row; keep going after errors so that all are reported.

    The rows are converted and validated a block (``BLOCK`` rows) at a time. ``sink(records,
    statuses)``, if given, receives each block's validated records as soon as the block is done,
    for as long as no row has an error — the commit writes them while the next block is checked
    (``imports.stream``); after the first error it is never called again.
    """
    outcome = Outcome(sheet=sheet.name)
    plan = []
    for column in kind.columns:
        position = header.positions.get(column.key)
        shown = header.headers.get(column.key) or column_label(column)
        plan.append((column.key, position, _converter(column), column.required, shown))
    headers_by_key = {key: shown for key, _p, _c, _r, shown in plan}
    required_msg = _("A value is required.")
    validate = kind.validate
    counts = outcome.counts
    records = outcome.records
    statuses = outcome.statuses
    months = outcome.months
    errors = outcome.errors
    preview = outcome.preview
    keys = [step[0] for step in plan]
    positions = [step[1] for step in plan]
    text_limits = {c.key: c.text_limit for c in kind.columns if c.type == "text"}

    # Convert column by column (one tight loop per column, no call per already-typed cell), then
    # walk the rows: a row with a bad or missing required cell gets its errors, the others are
    # validated by the kind, in file order.
    first = header.row_index + 1
    data, numbers, month_headers, wide_skipped = _data_rows(kind, sheet, header, positions, keys)
    skipped: list[tuple[int, str]] = list(wide_skipped)  # (sheet row, reason) of rows passed over
    last_filled = 0  # the sheet row of the last row that is not blank
    if month_headers is not None:
        wide_keys = {kind.wide.month, kind.wide.value}
    converters = [
        (positions[index], convert, required_msg if required else None, text_limits.get(key))
        for index, (key, _position, convert, required, _shown) in enumerate(plan)
    ]

    def converted_block(block: list, start: int) -> Iterator[tuple]:
        """The block's rows as converted values, column by column; bad cells' rows to bad_rows."""
        columns = []
        for position, convert, required, limit in converters:
            if position is None:
                columns.append(repeat(None))
                continue
            cells = [c[position] if position < len(c) else None for c in block]
            converted, bad = convert_column(convert, cells, required, max_length=limit)
            columns.append(converted)
            bad_rows.update(start + index for index in bad)
        return zip(*columns, strict=False)

    bad_rows: set[int] = set()
    first_number = sheet.first_row + first
    added_months = None  # the months tuple last added: kinds hand the same tuple to rows in a row
    block_size = BLOCK
    sent = 0  # records handed to the sink so far
    rows_read = 0  # kept in outcome.rows_read at the end (a local in the loop)
    for start in range(0, len(data), block_size):
        block = data[start : start + block_size]
        block_rows = zip(range(start, start + len(block)), block, converted_block(block, start), strict=False)
        for offset, cells, converted in block_rows:
            row_number = first_number + offset if numbers is None else numbers[offset]
            if not any(cells) and all(is_blank(cell) for cell in cells):
                skipped.append((row_number, "blank"))
                continue
            last_filled = row_number
            if offset in bad_rows:
                row_errors = [
                    (key, value.message)
                    for key, value in zip(keys, converted, strict=True)
                    if type(value) is CellError
                ]
            else:
                row_errors = ()
                values = dict(zip(keys, converted, strict=True))
                try:
                    result = validate(state, values, row_number)
                except RowError as error:
                    row_errors = list(error.errors.items())
            if row_errors:
                # Only a row that would be an error is looked at twice: rows of spaces and 合计 / Total
                # rows are written for people, not data (checking every row would cost the hot loop).
                reason = _skip_kind(cells)
                if reason is not None:
                    skipped.append((row_number, reason))
                    continue
                rows_read += 1
                outcome.error_rows += 1
                for key, message in row_errors:
                    if len(errors) < max_errors:
                        if key == ROW:
                            column = ""
                        elif month_headers is not None and key in wide_keys:
                            column = month_headers[offset]  # the month's header, as the sheet writes it
                        else:  # its header; a key that is no column of the kind: the row's ("")
                            column = headers_by_key.get(key, "")
                        errors.append({"row": row_number, "column": column, "message": str(message)})
                if len(preview) < PREVIEW_ROWS:
                    # the cells as the sheet shows them: a date without its midnight, a code typed
                    # as a number without ".0"
                    width = len(cells)
                    raw = [
                        "" if p is None or p >= width or is_blank(cells[p]) else to_text(cells[p])
                        for p in positions
                    ]
                    preview.append({"row": row_number, "status": "error", "values": raw})
            else:
                rows_read += 1
                status, row_months = result.status, result.months
                counts[status] += 1
                records.append(result.record)
                statuses.append(status)
                if row_months is not added_months and status != "unchanged":
                    months.update(row_months)  # unchanged rows are neither locked nor refreshed
                    added_months = row_months
                if len(preview) < PREVIEW_ROWS:
                    shown_values = [_display(values.get(key)) for key in keys]
                    preview.append({"row": row_number, "status": status, "values": shown_values})
            if progress is not None and rows_read % PROGRESS_EVERY == 0:
                progress(rows_read, rows_read)
        if sink is not None and not outcome.error_rows and len(records) > sent:
            sink(records[sent:], statuses[sent:])  # this block is checked: write it
            sent = len(records)
    outcome.rows_read = rows_read
    if numbers is not None:  # a wide sheet: its last filled row is the last row it read from
        last_filled = max([*numbers, *(row for row, reason in skipped if reason != "blank")], default=0)
    for row, reason in sorted(skipped):
        if reason != "blank" or row < last_filled:  # blank rows after the table are its end
            outcome.skip(row, reason, max_errors)
    if outcome.error_rows:
        outcome.records = []
        outcome.statuses = []
    return outcome


def _data_rows(kind, sheet: Sheet, header: HeaderMap, positions: list, keys: list):
    """The rows to validate: the sheet's rows under the header, or, for a wide monthly sheet,
    one long row per filled month cell (``numbers``: each long row's sheet row; ``month_headers``:
    the month's header, named in its errors). A long row holds only the cells of the kind's other
    columns, then the month and the cell; ``positions`` is updated to match."""
    first = header.row_index + 1
    rows = sheet.rows[first:]
    if not header.is_wide:
        return rows, None, None, []
    wide_keys = (kind.wide.month, kind.wide.value)
    kept = [
        (index, p)
        for index, (key, p) in enumerate(zip(keys, positions, strict=True))
        if p is not None and key not in wide_keys
    ]
    taken = [p for _index, p in kept]
    for new, (index, _p) in enumerate(kept):
        positions[index] = new
    positions[keys.index(kind.wide.month)] = len(taken)
    positions[keys.index(kind.wide.value)] = len(taken) + 1
    shown = {cell.position: cell.text for cell in header.cells}
    months = sorted(header.months.items())
    data, numbers, month_headers, skipped = [], [], [], []
    for offset, row in enumerate(rows):
        reason = (
            "total" if any(is_total_label(cell) for cell in row[:4]) else "note" if is_note_row(row) else None
        )
        if reason is not None:  # 合计 / 小计 rows add months up, notes are for people: never data
            skipped.append((sheet.first_row + first + offset, reason))
            continue
        width = len(row)
        base = None
        for position, month in months:
            cell = row[position] if position < width else None
            if is_blank(cell):
                continue
            if base is None:
                base = [row[p] if p < width else None for p in taken]
            data.append([*base, month, cell])
            numbers.append(sheet.first_row + first + offset)
            month_headers.append(shown[position])
        if base is None:  # no month cell filled: a blank row, or an item with no value in any month
            skipped.append((sheet.first_row + first + offset, _skip_kind(row) or "no_month"))
    return data, numbers, month_headers, skipped


def preview_headers(kind: ImportKind, header: HeaderMap) -> list[str]:
    return [header.headers.get(column.key) or column_label(column) for column in kind.columns]
