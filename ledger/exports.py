"""Excel export of the meter registry, the readings and the bills: the import kinds' own export
(``imports.exports.kind_workbook``), so that every export imports back unchanged."""

from __future__ import annotations

from imports.exports import kind_workbook
from imports.registry import ImportContext, get_import_kind

EXPORTED_KINDS = ("meters", "readings", "bills")


def ledger_workbook(kind: str, *, scope, language: str = "zh-hans") -> bytes:
    """The ledger ``kind`` of the scope's agency (a clerk's: their departments) as .xlsx."""
    context = ImportContext(
        agency=scope.agency, user=scope.user, dry_run=False, departments=scope.department_ids
    )
    return kind_workbook(get_import_kind(kind), context, language=language)
