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

    def handle(self, *args, **options):
        language = options["lang"] or _language_from_environment()
        with translation.override(language):
            return self._import(options, language)

    def _import(self, options, language):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": options["agency"]})
        try:
            get_import_kind(options["kind"])
        except LookupError:
            raise CommandError(
                _("Unknown kind %(kind)s; choose one of: %(kinds)s.")
                % {"kind": options["kind"], "kinds": ", ".join(sorted(import_kinds()))}
            ) from None
        try:
            job = import_job_create(
                agency=agency,
                kind=options["kind"],
                upload=options["file"],
                filename=options["file"],
                dry_run=options["dry_run"],
                language=language,
            )
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": options["file"]}) from None
        except ImportFileError as error:
            raise CommandError(error.message) from None
        job = import_validate(job=job) if options["dry_run"] else import_commit(job=job, by=None)
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


def _language_from_environment() -> str:
    """``LANGUAGE=en`` (or LC_ALL/LANG starting with en) switches to English; Chinese otherwise."""
    import os

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh-hans"
    return "zh-hans"
