"""``import_ledger FILE --agency CODE --kind KIND [--dry-run]``: the pipeline from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Agency
from imports.reader import ImportFileError
from imports.registry import get_import_kind, import_kinds
from imports.services import import_commit, import_job_create, import_validate


class Command(BaseCommand):
    help = "Import an .xlsx/.xls/.csv ledger; prints counts and every row error; exit status 1 on any error."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="Agency code, e.g. LYYB")
        parser.add_argument("--kind", required=True, help="Import kind, e.g. readings")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, write nothing")
        parser.add_argument("--lang", choices=["zh-hans", "en"], help="Language of the messages")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="表头=column",
            help="Which column a header is (repeatable); '表头=' leaves it out",
        )

    def handle(self, *args, **options):
        language = options["lang"] or _language_from_environment()
        with translation.override(language):
            return self._import(options, language)

    def _import(self, options, language):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": options["agency"]})
        try:
            kind = get_import_kind(options["kind"])
        except LookupError:
            raise CommandError(
                _("Unknown kind %(kind)s; choose one of: %(kinds)s.")
                % {"kind": options["kind"], "kinds": ", ".join(sorted(import_kinds()))}
            ) from None
        mapping = {}
        keys = {column.key for column in kind.columns}
        for item in options["map"]:
            header, sep, key = item.rpartition("=")
            if not sep or not header.strip() or (key.strip() and key.strip() not in keys):
                raise CommandError(
                    _("--map takes 表头=column with a column of this kind: %(keys)s.")
                    % {"keys": ", ".join(column.key for column in kind.columns)}
                )
            mapping[header.strip()] = key.strip()
        try:
            job = import_job_create(
                agency=agency,
                kind=options["kind"],
                upload=options["file"],
                filename=options["file"],
                dry_run=options["dry_run"],
                language=language,
                mapping=mapping,
            )
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": options["file"]}) from None
        except ImportFileError as error:
            raise CommandError(error.message) from None
        job = import_validate(job=job) if options["dry_run"] else import_commit(job=job, by=None)
        self._print_columns(job, kind)
        self.stdout.write(
            _(
                "Rows read: %(rows)d; new: %(new)d, updated: %(updated)d, unchanged: %(unchanged)d, "
                "rows with errors: %(errors)d."
            )
            % {
                "rows": job.rows_read,
                "new": job.new_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "errors": job.error_count,
            }
        )
        if job.skipped_count:
            self.stdout.write(_("Rows passed over (not data): %(count)d.") % {"count": job.skipped_count})
            for row in job.skipped_rows:
                self.stdout.write(
                    "  " + _("row %(row)d: %(reason)s") % {"row": row["row"], "reason": row["reason"]}
                )
        for error in job.errors:
            location = _("row %(row)d") % {"row": error["row"]}
            if error["column"]:
                location += _(", column “%(column)s”") % {"column": error["column"]}
            self.stderr.write(
                _("%(location)s: %(reason)s") % {"location": location, "reason": error["message"]}
            )
        if job.status == "failed":
            raise CommandError(job.message or _("The import failed; nothing was written."))
        self.stdout.write(self.style.SUCCESS(job.message))

    def _print_columns(self, job, kind) -> None:
        """The mapping used, header by header, and every header not imported (nothing unlisted)."""
        labels = {column.key: str(column.label) for column in kind.columns}
        if not job.columns:
            return
        self.stdout.write(_("Columns:"))
        for cell in job.columns:
            if cell["status"] == "month":
                taken = _("the month %(month)s") % {"month": cell["month"][:7]}
            elif cell["column"]:
                taken = f"{cell['column']} ({labels.get(cell['column'], '')})"
            elif cell["status"] == "ambiguous":
                taken = _("not imported: could be %(columns)s; say which with --map") % {
                    "columns": ", ".join(cell["candidates"])
                }
            elif cell["status"] == "looks_like":
                taken = _("not imported: looks like %(column)s, which another header fills") % {
                    "column": ", ".join(cell["candidates"])
                }
            else:
                taken = _("not imported")
            self.stdout.write(f"  {cell['header']} → {taken}")


def _language_from_environment() -> str:
    """``LANGUAGE=en`` (or LC_ALL/LANG starting with en) switches to English; Chinese otherwise."""
    import os

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh-hans"
    return "zh-hans"
