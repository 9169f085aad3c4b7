"""The import pipeline's writes: store an upload, validate every row, write all of it or nothing.

``import_validate`` gives the preview; ``import_commit`` re-reads and re-validates the file
(the database may have moved since the preview), refuses locked months, writes through the
kind's bulk writer in one ``transaction.atomic()`` and refreshes the touched months once.

Like every write service it checks scope itself (docs/architecture.md, "Writes check scope"): the
job's agency must be one the uploading or confirming user manages, and every record the kind's
writer is handed — and every agency-owned row it points at — must lie in that agency.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.scoping import Scope, ScopeViolation, user_scope
from linyi_ecoagency.memory import cyclic_gc_paused

from .models import ImportJob, ImportMapping, ImportStatus
from .pipeline import (
    HeaderError,
    HeaderMap,
    Outcome,
    choose_sheet,
    preview_headers,
    validate_rows,
)
from .reader import ImportFileError, check_size, read_workbook
from .registry import ImportContext, WriteSummary, get_import_kind
from .stream import CopyStream, StreamWriteError, copy_stream

logger = logging.getLogger(__name__)

WRITE_CHUNK = 10_000
STALE_AFTER = timedelta(minutes=30)  # a job still "running" after this lost its worker


def _setting(name: str, default):
    return getattr(settings, name, default)


def storage_dir() -> Path:
    path = Path(_setting("IMPORT_STORAGE_DIR", Path(settings.BASE_DIR) / "var" / "imports"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _runs_in_background(path: Path, size: int) -> bool:
    if size > _setting("IMPORT_BACKGROUND_BYTES", 1024 * 1024):
        return True
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK") or head.startswith(b"\xd0\xcf"):
        return False  # a small workbook: its row count is only known once parsed, and it is quick
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(partial(handle.read, 1 << 16), b""))
    return lines > _setting("IMPORT_BACKGROUND_ROWS", 2000)


def import_scope(*, agency, by, kind=None) -> Scope:
    """The scope an import runs in: the user's own in ``agency``, in a role the kind allows
    (``ImportKind.roles``; managers only when no kind is given), or the system's for the command
    line (``by=None``) and for superusers in the Django admin."""
    if by is None or by.is_superuser:
        return Scope.system(agency)
    scope = user_scope(by, agency)
    roles = kind.roles if kind is not None else ("manager",)
    if scope is None or scope.role not in roles:
        raise ScopeViolation(_("Your role may not import this kind of ledger."))
    return scope


def import_job_create(
    *,
    agency,
    kind: str,
    upload,
    filename: str,
    by=None,
    dry_run: bool = False,
    language: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str = "",
) -> ImportJob:
    """Store ``upload`` (a Django ``File`` or a path) outside the web root and record the job.

    ``mapping`` (header → column key, "" for not imported) overrides the reading of the headers
    for this import; ``sheet`` names the worksheet to read (else the first that fits).
    Raises ``ImportFileError`` for a file above the size limit, before it is stored.
    """
    import_kind = get_import_kind(kind)  # an unknown kind is a programming error, not a user one
    import_scope(agency=agency, by=by, kind=import_kind).check(agency)
    size = Path(upload).stat().st_size if isinstance(upload, str | Path) else upload.size
    check_size(size)
    target = storage_dir() / uuid.uuid4().hex
    if isinstance(upload, str | Path):
        shutil.copyfile(upload, target)
    else:
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    os.chmod(target, 0o600)
    return ImportJob.objects.create(
        agency=agency,
        kind=kind,
        original_filename=Path(filename).name[:255],
        stored_path=str(target),
        file_size=size,
        uploaded_by=by,
        dry_run=dry_run,
        background=_runs_in_background(target, size),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        mapping=mapping or {},
        sheet=sheet[:100],
    )


def import_start(*, job: ImportJob) -> ImportJob:
    """Validate now, or queue the validation when the file is large (the page then polls)."""
    if job.background:
        from reporting.jobs import job_enqueue

        from .tasks import import_validate_task

        label = _("Checking the rows of %(file)s") % {"file": job.original_filename}
        job_enqueue(import_validate_task, agency_id=job.agency_id, label=label, kwargs={"job_id": job.pk})
        return job
    return import_validate(job=job)


def import_confirm(*, job: ImportJob, by) -> ImportJob:
    """The manager confirmed the preview: write now, or queue the write for a large file."""
    import_scope(agency=job.agency, by=by, kind=get_import_kind(job.kind)).check(
        job.agency
    )  # a clerk's rows are checked batch by batch
    if not job.can_commit:
        raise ImportFileError(
            _("This import cannot be confirmed: it has errors, is a dry run or already ran.")
        )
    if job.background:
        from reporting.jobs import job_enqueue

        from .tasks import import_commit_task

        ImportJob.objects.filter(pk=job.pk).update(committed_by=by)
        label = _("Writing the rows of %(file)s") % {"file": job.original_filename}
        job_enqueue(
            import_commit_task,
            agency_id=job.agency_id,
            label=label,
            kwargs={"job_id": job.pk, "user_id": by.pk if by else None},
        )
        return job
    return import_commit(job=job, by=by)


def _claim(job: ImportJob, *, from_statuses, to_status: str, **fields) -> bool:
    """A conditional UPDATE: only one worker (or request) gets to run a job's step.

    On PostgreSQL the runner also holds the job's advisory lock (``ImportJob.RUNNER_LOCK``) for
    as long as it works on it; a process that dies (a worker killed mid-import) loses its
    connection and with it the lock, so a job left "running" with nobody holding the lock was
    abandoned and the redelivered task claims it again at once. Elsewhere a job still "running"
    after ``STALE_AFTER`` is taken as abandoned.
    """
    now = timezone.now()
    if connection.vendor == "postgresql":
        if not _runner_lock(job.pk):
            return False  # another process is running this job right now
        abandoned = ImportJob.objects.filter(pk=job.pk, status=to_status)
    else:
        abandoned = ImportJob.objects.filter(pk=job.pk, status=to_status, updated_at__lt=now - STALE_AFTER)
    fresh = ImportJob.objects.filter(pk=job.pk, status__in=from_statuses)
    values = {"status": to_status, "started_at": now, "updated_at": now, "message": "", **fields}
    claimed = fresh.update(**values) or abandoned.update(**values)
    if claimed:
        job.refresh_from_db()
    else:
        _runner_unlock(job.pk)
    return bool(claimed)


def _runner_lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ImportJob.RUNNER_LOCK, job_id])
        return cursor.fetchone()[0]


def _runner_unlock(job_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ImportJob.RUNNER_LOCK, job_id])


def _progress(job: ImportJob, **counters) -> None:
    """Report progress where the polling page can see it (outside any transaction)."""
    for name, value in counters.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **counters)


@contextmanager
def _write_progress(job: ImportJob):
    """Yield ``report(**counters)`` for progress made inside the write transaction.

    An UPDATE there would stay invisible until commit (and would hold the job's row), so on
    PostgreSQL one second connection, opened for the whole write, reports it (each UPDATE
    commits on its own); elsewhere the counters wait for the end.
    """
    side = None

    def report(**counters) -> None:
        nonlocal side
        for name, value in counters.items():
            setattr(job, name, value)
        if connection.vendor != "postgresql":
            return
        if side is None:
            side = connections.create_connection("default")
            with side.cursor() as cursor:
                # Progress is a hint for the polling page: its commits need not wait for the disk
                # (a crash loses at most the last counters, never data; the import's own
                # transaction keeps the default).
                cursor.execute("SET synchronous_commit TO off")
        with side.cursor() as cursor:
            assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in counters)
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET {assignments}, updated_at = %s WHERE id = %s",
                [*counters.values(), timezone.now(), job.pk],
            )

    try:
        yield report
    finally:
        if side is not None:
            side.close()


def _discard_file(job: ImportJob) -> None:
    if job.stored_path:
        Path(job.stored_path).unlink(missing_ok=True)
        job.stored_path = ""


def _fail(
    job: ImportJob, message: str, outcome: Outcome | None = None, *, keep_file: bool = False
) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.message = str(message)
    job.rows_written = 0  # a failed import writes nothing, whatever its progress had reported
    job.finished_at = timezone.now()
    if not keep_file:
        _discard_file(job)
    if outcome is not None:
        _record(job, outcome)
    job.save()
    return job


def _record(job: ImportJob, outcome: Outcome) -> None:
    job.sheet = outcome.sheet[:100]
    job.rows_total = job.rows_read = job.rows_validated = outcome.rows_read
    job.new_count = outcome.counts["new"]
    job.updated_count = outcome.counts["updated"]
    job.unchanged_count = outcome.counts["unchanged"]
    job.error_count = outcome.error_rows
    job.errors = outcome.errors
    job.preview = outcome.preview
    job.skipped = outcome.skipped
    job.skipped_count = outcome.skipped_count
    job.months = sorted(m.isoformat() for m in outcome.months)


def import_departments(*, agency, user) -> frozenset[int] | None:
    """The departments a user's imports are limited to: None for a manager or the command line,
    a clerk's own department and those below it."""
    if user is None:
        return None
    scope = user_scope(user, agency)
    return scope.department_ids if scope is not None else None


def _record_header(job: ImportJob, header: HeaderMap) -> None:
    job.columns = [cell.as_dict() for cell in header.cells]
    job.header_signature = header.signature


def _remembered(job: ImportJob):
    """The mapping for a header layout: this job's own choice first, then the agency's."""

    def mapping_for(signature: str) -> dict | None:
        if job.mapping:
            return job.mapping
        remembered = (
            ImportMapping.objects.filter(agency_id=job.agency_id, kind=job.kind, signature=signature)
            .values_list("mapping", flat=True)
            .first()
        )
        return remembered

    return mapping_for


@contextmanager
def _serialised(job: ImportJob, kind, *, by, one_transaction: bool = False):
    """For a kind that declares ``serialised_by``, or when ``one_transaction`` (a streamed
    commit): one transaction around checking and writing, with the parents locked first (their
    rows are read for the check inside the lock); progress then goes through the write's side
    connection. Yields ``progress(job, **counters)``."""
    if kind.serialised_by is None and not one_transaction:
        yield _progress
        return
    from reporting import writes

    context = ImportContext(
        agency=job.agency,
        user=by,
        dry_run=job.dry_run,
        job_id=job.pk,
        departments=import_departments(agency=job.agency, user=job.uploaded_by),
    )
    with transaction.atomic(), _write_progress(job) as report:
        if kind.serialised_by is not None:
            writes.lock(kind.serialised_by(context))
        yield lambda _job, **counters: report(**counters)


def _check_rows(
    job: ImportJob, *, by, progress=_progress, streamed: bool = False
) -> tuple[Outcome, object, CopyStream | None]:
    """Read the stored file and validate every row; raises ImportFileError for the file as a whole.

    ``streamed`` (a commit of a kind that declares ``copy``, inside the commit's savepoint): each
    checked block's new rows are written while the next block is checked (``imports/stream.py``);
    the stream is returned with what is left for the kind's ``write``."""
    kind = get_import_kind(job.kind)
    if not job.stored_path or not Path(job.stored_path).exists():
        raise ImportFileError(_("The uploaded file is no longer stored; upload it again."))
    sheets = read_workbook(job.stored_path)
    if job.sheet:  # a named worksheet (the agency's backup workbook is read sheet by sheet)
        sheets = [sheet for sheet in sheets if sheet.name == job.sheet]
        if not sheets:
            raise ImportFileError(_("The workbook has no worksheet “%(name)s”.") % {"name": job.sheet})
    try:
        sheet, header = choose_sheet(sheets, kind, mappings=_remembered(job))
    except HeaderError as error:
        _record_header(job, error.header)
        raise
    _record_header(job, header)
    job.preview_headers = preview_headers(kind, header)
    progress(job, rows_total=max(0, len(sheet.rows) - header.row_index - 1), rows_read=0, rows_validated=0)
    departments = import_departments(agency=job.agency, user=job.uploaded_by)
    context = ImportContext(
        agency=job.agency, user=by, dry_run=job.dry_run, job_id=job.pk, departments=departments
    )
    state = kind.prepare(context)

    if not streamed:

        def report(rows_read: int, rows_validated: int) -> None:
            progress(job, rows_read=rows_read, rows_validated=rows_validated)

        return validate_rows(kind, state, sheet, header, progress=report), state, None
    with copy_stream(kind, state, name=f"import-{job.pk}-copy") as stream:

        def report_streamed(rows_read: int, rows_validated: int) -> None:
            progress(job, rows_read=rows_read, rows_validated=rows_validated, rows_written=stream.written)

        outcome = validate_rows(kind, state, sheet, header, progress=report_streamed, sink=stream.send)
    return outcome, state, stream


def _indicators(kind) -> list[str]:
    """The indicators the kind's rows feed; a kind that names none is taken to feed every one."""
    from reporting.registry import indicators

    return list(kind.indicators) or [i.key for i in indicators() if not i.is_ratio]


def _locked_message(job: ImportJob, months, kind) -> str | None:
    from reporting import writes

    if not months:
        return None
    try:
        writes.assert_open(agency_id=job.agency_id, months=months, indicators=_indicators(kind))
    except writes.PeriodLockedError as error:
        return " ".join(error.messages)
    return None


def import_validate(*, job: ImportJob) -> ImportJob:
    """Check every row and keep the preview; nothing is written. A dry run ends here."""
    if not _claim(job, from_statuses=[ImportStatus.UPLOADED], to_status=ImportStatus.VALIDATING):
        return job
    try:
        return _validate_claimed(job)
    finally:
        _runner_unlock(job.pk)


def _validate_claimed(job: ImportJob) -> ImportJob:
    with translation.override(job.language), cyclic_gc_paused():
        try:
            outcome, _state, _stream = _check_rows(job, by=job.uploaded_by)
        except HeaderError as error:
            return _fail(job, error.message, keep_file=True)
        except ImportFileError as error:
            return _fail(job, error.message)
        except Exception:
            logger.exception("Import job %s failed while checking rows", job.pk)
            return _fail(
                job,
                _("Checking the rows failed unexpectedly; nothing was written. The error has been logged."),
            )
        _record(job, outcome)
        locked = _locked_message(job, outcome.months, get_import_kind(job.kind))
        if outcome.error_rows or locked:
            # the file stays until it expires: a wrong column choice may be the cause
            return _fail(
                job, locked or _("Some rows have errors; nothing was written."), outcome, keep_file=not locked
            )
        job.status = ImportStatus.VALIDATED
        if job.dry_run:
            job.finished_at = timezone.now()
            job.message = _("Dry run: every row was checked and nothing was written.")
            _discard_file(job)
        job.save()
    return job


def import_commit(*, job: ImportJob, by) -> ImportJob:
    """Validate every row again and write them all in one transaction, or write nothing.

    May start from an uploaded job (the command line does) or from a validated preview.
    """
    if job.dry_run:
        raise ImportFileError(_("A dry run never writes; upload the file again without “dry run”."))
    try:
        scope = import_scope(agency=job.agency, by=by, kind=get_import_kind(job.kind))
        scope.check(job.agency)  # a clerk's rows are checked batch by batch
    except ScopeViolation as refusal:
        return _fail(job, str(refusal))
    claimed = _claim(
        job,
        from_statuses=[ImportStatus.UPLOADED, ImportStatus.VALIDATED],
        to_status=ImportStatus.WRITING,
        committed_by=by,
        rows_written=0,
    )
    if not claimed:
        return job
    try:
        return _commit_claimed(job, by=by, scope=scope)
    finally:
        _runner_unlock(job.pk)


def _commit_claimed(job: ImportJob, *, by, scope: Scope) -> ImportJob:
    kind = get_import_kind(job.kind)
    # A kind whose new rows are COPY rows has them written while the file is still checked, in
    # one transaction with the check; a savepoint undoes them if anything fails afterwards.
    streamed = kind.copy is not None and connection.vendor == "postgresql"
    with (
        translation.override(job.language),
        cyclic_gc_paused(),
        _serialised(job, kind, by=by, one_transaction=streamed) as progress,
    ):
        try:
            with transaction.atomic() if streamed else nullcontext():
                summary = _check_and_write(
                    job, kind, by=by, scope=scope, progress=progress, streamed=streamed
                )
        except _Failed as failure:  # after the savepoint's rollback: the job's failure is kept
            return _fail(job, failure.message, failure.outcome)
        job.rows_written = summary.created + summary.updated
        job.status = ImportStatus.DONE
        job.finished_at = timezone.now()
        job.message = _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
            "new": job.new_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
        }
        _discard_file(job)
        job.save()
    return job


class _Failed(Exception):
    def __init__(self, message, outcome: Outcome | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.outcome = outcome


def _check_and_write(job: ImportJob, kind, *, by, scope: Scope, progress, streamed: bool) -> WriteSummary:
    """Check every row again and write them; raises ``_Failed`` (nothing written) otherwise."""
    try:
        outcome, state, stream = _check_rows(job, by=by, progress=progress, streamed=streamed)
    except ImportFileError as error:
        raise _Failed(error.message) from None
    except StreamWriteError:
        logger.exception("Import job %s failed while writing", job.pk)
        raise _Failed(_("Writing failed; nothing was written. The error has been logged.")) from None
    except Exception:
        logger.exception("Import job %s failed while checking rows", job.pk)
        raise _Failed(
            _("Checking the rows failed unexpectedly; nothing was written. The error has been logged.")
        ) from None
    _record(job, outcome)
    if outcome.error_rows:
        raise _Failed(_("Some rows have errors; nothing was written."), outcome)
    records = [
        record
        for record, status in zip(outcome.records, outcome.statuses, strict=True)
        if status != "unchanged"
    ]
    months = sorted(outcome.months)
    streamed_rows = stream.sent if stream is not None else 0
    summary = WriteSummary(created=streamed_rows)
    try:
        with transaction.atomic(), _write_progress(job) as report:
            locked = _locked_message(job, months, kind)
            if locked:
                raise _Refused(locked)
            if stream is not None:  # its rows are written: check them, then write what is left
                for start in range(0, len(records), WRITE_CHUNK):
                    _check_scope(scope, kind, records[start : start + WRITE_CHUNK])
                report(rows_written=streamed_rows)
            pending = stream.others if stream is not None else records
            for start in range(0, len(pending), WRITE_CHUNK):
                chunk = pending[start : start + WRITE_CHUNK]
                if stream is None:
                    _check_scope(scope, kind, chunk)  # whatever the kind's validator did
                summary += kind.write(state, chunk)
                report(rows_written=streamed_rows + min(len(pending), start + WRITE_CHUNK))
            if months and records:
                # The stale record is part of this transaction; the refresh runs after the
                # commit and its failure is logged, never an import failure.
                _mark_stale(job.agency_id, months, _indicators(kind))
    except (_Refused, ScopeViolation) as refusal:
        raise _Failed(str(refusal)) from None
    except Exception:
        logger.exception("Import job %s failed while writing", job.pk)
        raise _Failed(_("Writing failed; nothing was written. The error has been logged.")) from None
    return summary


def _check_scope(scope: Scope, kind, records: list) -> None:
    """Every record the writer gets, and every agency-owned row it points at, lies in ``scope``."""
    instances = [record for record in records if isinstance(record, Model)]
    scope.check(*instances)
    if len(instances) < len(records):
        if kind.references is None:
            raise ImproperlyConfigured(
                f"Import kind {kind.key!r} writes records that are not model instances: declare "
                "references=… on its ImportKind so that the pipeline can check their scope."
            )
        for model, ids in kind.references(records).items():
            scope.check_ids(model, ids)


class _Refused(Exception):
    pass


def _mark_stale(agency_id: int, months: list[date], indicator_keys: list[str]) -> None:
    from reporting import writes

    writes.mark_stale(agency_id=agency_id, months=months, indicators=indicator_keys)


def import_remap(*, job: ImportJob, mapping: dict[str, str], by) -> ImportJob:
    """The manager said which header is which: remember it for this layout, then check again.

    ``mapping`` is header (as written) → column key, or "" for "not imported".
    """
    kind = get_import_kind(job.kind)
    import_scope(agency=job.agency, by=by, kind=kind).check(
        job.agency
    )  # a clerk's rows are checked batch by batch
    keys = {column.key for column in kind.columns}
    unknown = {key for key in mapping.values() if key and key not in keys}
    if unknown:
        raise ImportFileError(_("Unknown column: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    taken = [key for key in mapping.values() if key]
    if len(taken) != len(set(taken)):
        raise ImportFileError(_("Two headers are given the same column; each column comes from one header."))
    if job.status not in (ImportStatus.VALIDATED, ImportStatus.FAILED) or not job.stored_path:
        raise ImportFileError(_("This import can no longer be checked again; upload the file again."))
    if not Path(job.stored_path).exists():
        raise ImportFileError(_("The uploaded file is no longer stored; upload it again."))
    if job.header_signature:
        ImportMapping.objects.update_or_create(
            agency=job.agency,
            kind=job.kind,
            signature=job.header_signature,
            defaults={
                "mapping": mapping,
                "headers": [cell["header"] for cell in job.columns],
                "updated_by": by,
            },
        )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.UPLOADED,
        mapping=mapping,
        message="",
        errors=[],
        preview=[],
        error_count=0,
        new_count=0,
        updated_count=0,
        unchanged_count=0,
        rows_read=0,
        rows_validated=0,
        finished_at=None,
    )
    job.refresh_from_db()
    return import_start(job=job)


def import_backup(
    *, agency, path, by=None, dry_run: bool = False, language: str | None = None
) -> list[ImportJob]:
    """The agency's backup workbook (``exports.agency_workbook``) back through the pipeline: each
    sheet named after a kind, kinds in dependency order (meters before readings), each kind in its
    own transaction; a kind that fails stops the ones after it."""
    from .exports import sheet_title
    from .registry import import_kinds_ordered

    names = {sheet.name for sheet in read_workbook(path)}
    jobs = []
    for kind in import_kinds_ordered():
        titles = set()
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                titles.add(sheet_title(kind))
        found = sorted(titles & names)
        if kind.export is None or not found:
            continue
        job = import_job_create(
            agency=agency,
            kind=kind.key,
            upload=path,
            filename=Path(path).name,
            by=by,
            dry_run=dry_run,
            language=language,
            sheet=found[0],
        )
        job = import_validate(job=job) if dry_run else import_commit(job=job, by=by)
        jobs.append(job)
        if job.status == ImportStatus.FAILED:
            break
    return jobs


def import_jobs_expire(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete the stored files of previews nobody confirmed; their jobs stay as the audit trail."""
    cutoff = timezone.now() - older_than
    expired = 0
    for job in ImportJob.objects.filter(updated_at__lt=cutoff).exclude(stored_path=""):
        _discard_file(job)
        if job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED):
            job.status = ImportStatus.FAILED
            with translation.override(job.language):
                job.message = _("The preview was never confirmed; the file has been deleted.")
            job.finished_at = timezone.now()
        job.save()
        expired += 1
    return expired
