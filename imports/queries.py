"""Reads of the import pages: the kinds a role may import, the mapping step's rows."""

from __future__ import annotations

from pathlib import Path

from agencies.conventions import join_list

from .models import ImportJob, ImportStatus
from .registry import ImportKind, import_kinds, import_kinds_ordered


def kinds_for_role(role: str) -> list[ImportKind]:
    """The kinds ``role`` may import, grouped by ledger with what a kind depends on first (meters,
    readings, bills; vehicles, fuel logs …) — not by the code points of their Chinese names."""
    return [kind for kind in import_kinds_ordered() if kind.allows(role)]


def job_mapping_rows(job: ImportJob) -> dict:
    """The mapping step: each header of the file with the column it was taken as (or why not),
    the select's choices, and whether the job may still be checked again with another choice."""
    kind = import_kinds().get(job.kind)
    if kind is None or not job.columns:
        return {"mapping_rows": [], "column_choices": [], "can_remap": False}
    labels = {column.key: str(column.label) for column in kind.columns}
    rows = []
    for cell in job.columns:
        rows.append(
            {
                **cell,
                "column_label": labels.get(cell["column"], cell["column"]),
                "candidate_labels": join_list(labels.get(key, key) for key in cell["candidates"]),
            }
        )
    can_remap = (
        job.status in (ImportStatus.VALIDATED, ImportStatus.FAILED)
        and bool(job.stored_path)
        and Path(job.stored_path).exists()
        and not (job.dry_run and job.status == ImportStatus.VALIDATED)
    )
    return {"mapping_rows": rows, "column_choices": list(labels.items()), "can_remap": can_remap}
