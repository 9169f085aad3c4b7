"""The registry of import kinds: each data app declares its columns, validator and bulk writer.

Apps call ``register_import_kind`` in ``AppConfig.ready()``; the pipeline knows no ledger by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.utils.functional import Promise

    from agencies.models import Agency

COLUMN_TYPES = ("text", "date", "decimal", "int", "bool", "choice")
ROW = "__row__"  # RowError key for a problem that belongs to no single column
DEFAULT_TEXT_LENGTH = 1000  # a text column without max_length still refuses longer cells


@dataclass(frozen=True)
class Column:
    """One column a kind reads. A file's header names it when, after normalisation (case,
    full-width, spaces, line breaks, units in brackets ignored), the header

    - is one of its spellings — the key, the label in Chinese and English, a synonym — (best), or
    - contains one of its ``words`` (or of its spellings), and none of its ``not_words``; the
      longest word found scores.

    ``words=("读数", "表数", "表底", "止码"), not_words=("上期", "上月", "起码")`` makes
    "本月电表读数" the current reading and keeps "上月读数" from it. A header that two columns
    claim equally is asked about in the preview, never guessed.
    """

    key: str  # name the validator receives
    label: Promise  # gettext_lazy, English source; the Chinese header comes from the catalogue
    synonyms: tuple[str, ...] = ()  # other accepted header spellings, Chinese and English
    type: str = "text"  # "text" | "date" | "decimal" | "int" | "bool" | "choice"
    required: bool = True
    choices: dict[str, str] | None = None  # accepted spelling (zh or en, any case) -> stored value
    words: tuple[str, ...] = ()  # words that identify the column inside a longer header
    not_words: tuple[str, ...] = ()  # words that rule it out, wherever they stand in the header
    max_length: int | None = None  # text: longer is a row error (the model field's max_length)
    exported: bool = True  # False for a column only read to check the file (上期读数, 本期用量)

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"Column {self.key!r}: unknown type {self.type!r}")
        if (self.type == "choice") != (self.choices is not None):
            raise ValueError(f"Column {self.key!r}: choices go with type='choice' and only with it")
        if self.max_length is not None and self.type not in ("text", "choice"):
            raise ValueError(f"Column {self.key!r}: max_length goes with text columns")

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_TEXT_LENGTH


@dataclass(frozen=True)
class Wide:
    """How a kind reads a wide monthly sheet: one row per meter (item, vehicle …), one column per
    month (``1月`` … ``12月``, ``2020年1月``, ``2020-01``), the year in a month header, the title
    rows above the table or the sheet's name. Each filled month cell becomes one long row: the
    row's other columns, ``month`` set to that month's date, ``value`` set to the cell. Errors
    name the sheet row and the month's header, as in the long form.
    """

    month: str  # key of the date column that receives the month
    value: str  # key of the column that receives the cell
    day: str = "last"  # "last": the month's last day (a reading at month end); "first": the 1st

    def __post_init__(self):
        if self.day not in ("first", "last"):
            raise ValueError("Wide.day is 'first' or 'last'")


class RowError(Exception):
    """Raised by a validator: ``RowError({"reading": "below the previous reading"})``.

    The key ``"__row__"`` carries a problem of the whole row (a duplicate, a locked month …).
    """

    def __init__(self, errors: dict[str, Any] | str):
        if not isinstance(errors, dict):
            errors = {ROW: errors}
        super().__init__(errors)
        self.errors = errors


@dataclass
class WriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: WriteSummary) -> WriteSummary:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass(frozen=True)
class Validated:
    record: Any
    status: str  # "new" | "updated" | "unchanged"
    months: tuple = ()  # first-of-month dates this row touches (for locks and MonthlyFigure refresh)


@dataclass(frozen=True)
class CopyRows:
    """A kind whose new records are plain rows of one table: ``split(state, records)`` returns
    ``(rows, others)`` — the COPY rows of the new records (values in ``fields`` order, column
    values such as ``meter_id``), and the records left for the kind's ``write`` (changed rows).

    A commit on PostgreSQL then writes each checked block's rows while the next block is being
    checked (``imports/stream.py``); ``write`` receives only the others. The kind's ``validate``
    must not query the database: everything it needs is loaded by ``prepare``.
    """

    model: type
    fields: tuple[str, ...]
    split: Callable[[Any, list], tuple[list, list]]


@dataclass(frozen=True)
class ImportContext:
    agency: Agency
    user: User | None
    dry_run: bool
    job_id: int | None = None  # the ImportJob running this import, e.g. to stamp on written rows
    # None: every department (a manager, the command line). A clerk's departments (their own and
    # those below it): ``prepare`` loads only what lies in them, so a row pointing elsewhere is
    # an error ("no meter E-01 in your departments"), and ``export`` exports only that.
    departments: frozenset[int] | None = None


@dataclass(frozen=True)
class ImportKind:
    key: str  # "readings"
    label: Promise
    columns: tuple[Column, ...]
    prepare: Callable[[ImportContext], Any]  # loads every lookup the rows need; returns a state
    validate: Callable[[Any, dict, int], Validated]  # (state, values, row number); raises RowError
    write: Callable[[Any, list], WriteSummary]  # bulk write; called inside transaction.atomic()
    template_rows: tuple[dict, ...] = ()  # example rows for the downloadable template
    description: Promise | str = ""  # shown on the upload page under the kind's name
    indicators: tuple[str, ...] = field(default=())  # indicator keys to refresh; () = all of them
    # Who may import it: Role values. A kind that lets clerks import honours
    # ImportContext.departments in prepare (and export).
    roles: tuple[str, ...] = ("manager",)
    # The ledger as rows: ``export(context)`` yields one dict per row, keyed by column key, with
    # the values the validator would receive (choice columns: the stored value). The kind's Excel
    # export, the agency's backup workbook and the round-trip test are built from it; the export
    # of a ledger imports back as "0 new, 0 updated, N unchanged".
    export: Callable[[ImportContext], Iterable[dict]] | None = None
    depends_on: tuple[str, ...] = ()  # kinds whose rows this kind's rows point at (meters)
    wide: Wide | None = None  # how a wide monthly sheet of this kind is read, if it can be
    # For records that are not model instances (tuples for COPY): the agency-owned rows a batch
    # writes or points at, {Model: {ids}}, so that the pipeline can check them against the scope.
    references: Callable[[list], dict] | None = None
    # A kind whose rows obey ordering rules against rows already written under a parent (a
    # meter's readings never go down, a vehicle's odometer never goes back): the parents in the
    # import's scope, as a queryset. The pipeline then checks and writes the rows in one
    # transaction with those parents locked (reporting.writes.lock), so that a round or another
    # import of the same meter cannot slip between the check and the write (#10.5).
    serialised_by: Callable[[ImportContext], QuerySet] | None = None
    # New records written with COPY while the rest of the file is checked (see CopyRows).
    copy: CopyRows | None = None

    def __post_init__(self):
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Import kind {self.key!r} declares a column twice")
        if self.wide is not None:
            by_key = {column.key: column for column in self.columns}
            if by_key.get(self.wide.month) is None or by_key[self.wide.month].type != "date":
                raise ValueError(f"Import kind {self.key!r}: Wide.month must name a date column")
            if self.wide.value not in by_key:
                raise ValueError(f"Import kind {self.key!r}: Wide.value must name a column")
        unknown = set(self.roles) - {"manager", "clerk"}
        if unknown:
            raise ValueError(f"Import kind {self.key!r}: only managers and clerks import, not {unknown}")

    def allows(self, role: str) -> bool:
        return role in self.roles

    def export_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.exported)


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"Import kind {kind.key!r} is already registered")
    _KINDS[kind.key] = kind


def unregister_import_kind(key: str) -> None:
    """For tests that register a kind of their own."""
    _KINDS.pop(key, None)


def import_kinds() -> dict[str, ImportKind]:
    return dict(_KINDS)


def import_kinds_ordered() -> list[ImportKind]:
    """Every kind, each after the kinds it depends on (meters before readings), else in the order
    the apps register them (INSTALLED_APPS: the ledger's kinds together, then the vehicles', …):
    the order of the upload page's list and of the agency's backup workbook."""
    ordered: list[ImportKind] = []
    placed: set[str] = set()

    def place(kind: ImportKind, path: tuple[str, ...] = ()) -> None:
        if kind.key in placed:
            return
        if kind.key in path:
            raise ValueError(f"Import kinds depend on each other in a circle: {' → '.join(path)}")
        for key in kind.depends_on:
            if key in _KINDS:
                place(_KINDS[key], (*path, kind.key))
        placed.add(kind.key)
        ordered.append(kind)

    for kind in list(_KINDS.values()):
        place(kind)
    return ordered


def get_import_kind(key: str) -> ImportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(
            f"No import kind {key!r}; registered: {', '.join(sorted(_KINDS)) or 'none'}"
        ) from None
