"""From raw cells to validated records: find the header row, convert columns, validate every row.

This is the hot loop of every import (100,000 rows in about a second is the aim), so the
per-row work is a few list lookups, one converter call per cell and the kind's validator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reader import ImportFileError, Sheet
from .registry import ROW, Column, ImportKind, RowError
from .values import (
    CONVERTERS,
    CellError,
    choice_converter,
    convert_column,
    is_blank,
    is_total_label,
    normalize_header,
)

HEADER_SCAN_ROWS = 30
PREVIEW_ROWS = 20
PROGRESS_EVERY = 5000
LANGUAGES = ("zh-hans", "en")


@dataclass
class HeaderMap:
    row_index: int  # index in Sheet.rows of the header row
    positions: dict[str, int]  # column key -> cell index
    headers: dict[str, str]  # column key -> the header exactly as written in the file


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


def column_label(column: Column) -> str:
    return str(column.label)


# Column names rendered when the message is, so a stored error reads in the reader's language.
_labels = lazy(lambda columns: "、".join(str(c.label) for c in columns), str)


def column_spellings(column: Column) -> set[str]:
    """Every normalised header that names ``column``: key, label in each language, synonyms."""
    spellings = {normalize_header(column.key), *(normalize_header(s) for s in column.synonyms)}
    for language in LANGUAGES:
        with translation.override(language):
            spellings.add(normalize_header(str(column.label)))
    spellings.discard("")
    return spellings


def find_header(sheet: Sheet, columns: tuple[Column, ...]) -> HeaderMap:
    """The row among the first few that names the most columns; title rows above it are skipped."""
    lookup: dict[str, str] = {}
    for column in columns:
        for spelling in column_spellings(column):
            lookup.setdefault(spelling, column.key)
    best: HeaderMap | None = None
    best_score = 0
    for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        for position, cell in enumerate(cells):
            if type(cell) is not str:
                continue
            key = lookup.get(normalize_header(cell))
            if key is not None and key not in positions:
                positions[key] = position
                headers[key] = cell.strip()
        if len(positions) > best_score:
            best, best_score = HeaderMap(index, positions, headers), len(positions)
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
    missing = [c for c in columns if c.required and c.key not in best.positions]
    if missing:
        raise ImportFileError(
            gettext_lazy(
                "Required columns are missing: %(columns)s. Add them to the header row (row %(row)d)."
            ),
            columns=_labels(missing),
            row=sheet.first_row + best.row_index,
        )
    return best


def choose_sheet(sheets: list[Sheet], columns: tuple[Column, ...]) -> tuple[Sheet, HeaderMap]:
    """The first sheet whose header names every required column (instructions sheets are skipped)."""
    first_error = None
    for sheet in sheets:
        try:
            return sheet, find_header(sheet, columns)
        except ImportFileError as error:
            first_error = first_error or error
    raise first_error  # type: ignore[misc]


def _converter(column: Column) -> Callable[[object], object]:
    if column.type == "choice":
        return choice_converter(column.choices or {})
    return CONVERTERS[column.type]


def _display(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def validate_rows(
    kind: ImportKind,
    state: object,
    sheet: Sheet,
    header: HeaderMap,
    *,
    progress: Callable[[int, int], None] | None = None,
    max_errors: int = 5000,
) -> Outcome:
    """Convert and validate every data row; keep going after errors so that all are reported."""
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
    rows = sheet.rows
    keys = [step[0] for step in plan]
    positions = [step[1] for step in plan]

    # Convert column by column (one tight loop per column, no call per already-typed cell), then
    # walk the rows: a row with a bad or missing required cell gets its errors, the others are
    # validated by the kind, in file order.
    first = header.row_index + 1
    data = rows[first:]
    columns = []
    bad_rows: set[int] = set()
    for _key, position, convert, required, _shown in plan:
        if position is None:
            columns.append(repeat(None))
            continue
        cells = [c[position] if position < len(c) else None for c in data]
        converted, bad = convert_column(convert, cells, required_msg if required else None)
        columns.append(converted)
        bad_rows.update(bad)

    for offset, (cells, converted) in enumerate(zip(data, zip(*columns, strict=False), strict=False)):
        if not any(cells) and all(is_blank(cell) for cell in cells):
            continue
        width = len(cells)
        row_number = sheet.first_row + first + offset
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
            if all(is_blank(cell) for cell in cells) or any(is_total_label(cell) for cell in cells[:4]):
                continue
            outcome.rows_read += 1
            outcome.error_rows += 1
            for key, message in row_errors:
                if len(errors) < max_errors:
                    column = "" if key == ROW else headers_by_key.get(key, key)
                    errors.append({"row": row_number, "column": column, "message": str(message)})
            if len(preview) < PREVIEW_ROWS:
                raw = [_display(cells[p]) if p is not None and p < width else "" for p in positions]
                preview.append({"row": row_number, "status": "error", "values": raw})
        else:
            outcome.rows_read += 1
            counts[result.status] += 1
            records.append(result.record)
            statuses.append(result.status)
            months.update(result.months)
            if len(preview) < PREVIEW_ROWS:
                shown_values = [_display(values.get(key)) for key in keys]
                preview.append({"row": row_number, "status": result.status, "values": shown_values})
        if progress is not None and outcome.rows_read % PROGRESS_EVERY == 0:
            progress(outcome.rows_read, outcome.rows_read)
    if outcome.error_rows:
        outcome.records = []
        outcome.statuses = []
    return outcome


def preview_headers(kind: ImportKind, header: HeaderMap) -> list[str]:
    return [header.headers.get(column.key) or column_label(column) for column in kind.columns]
