"""The registry of import kinds: each data app declares its columns, validator and bulk writer.

Apps call ``register_import_kind`` in ``AppConfig.ready()``; the pipeline knows no ledger by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import Promise

    from agencies.models import Agency

COLUMN_TYPES = ("text", "date", "decimal", "int", "bool", "choice")
ROW = "__row__"  # RowError key for a problem that belongs to no single column


@dataclass(frozen=True)
class Column:
    key: str  # name the validator receives
    label: Promise  # gettext_lazy, English source; the Chinese header comes from the catalogue
    synonyms: tuple[str, ...] = ()  # other accepted header spellings, Chinese and English
    type: str = "text"  # "text" | "date" | "decimal" | "int" | "bool" | "choice"
    required: bool = True
    choices: dict[str, str] | None = None  # accepted spelling (zh or en, any case) -> stored value

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"Column {self.key!r}: unknown type {self.type!r}")
        if (self.type == "choice") != (self.choices is not None):
            raise ValueError(f"Column {self.key!r}: choices go with type='choice' and only with it")


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
class ImportContext:
    agency: Agency
    user: User | None
    dry_run: bool
    job_id: int | None = None  # the ImportJob running this import, e.g. to stamp on written rows


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
    # For records that are not model instances (tuples for COPY): the agency-owned rows a batch
    # writes or points at, {Model: {ids}}, so that the pipeline can check them against the scope.
    references: Callable[[list], dict] | None = None

    def __post_init__(self):
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Import kind {self.key!r} declares a column twice")


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


def get_import_kind(key: str) -> ImportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(
            f"No import kind {key!r}; registered: {', '.join(sorted(_KINDS)) or 'none'}"
        ) from None
