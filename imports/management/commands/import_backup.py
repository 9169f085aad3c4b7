"""``import_backup FILE --agency CODE [--dry-run]``: the agency's backup workbook, every ledger back."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agencies.models import Agency
from imports.reader import ImportFileError
from imports.services import import_backup


class Command(BaseCommand):
    help = "Import an agency's backup workbook (one sheet per ledger) back; prints each sheet's counts."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="Agency code, e.g. LYYB")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, write nothing")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": options["agency"]})
        try:
            jobs = import_backup(agency=agency, path=options["file"], dry_run=options["dry_run"])
        except ImportFileError as error:
            raise CommandError(error.message) from None
        failed = False
        for job in jobs:
            self.stdout.write(f"{job.sheet}: {job.message}")
            for error in job.errors[:50]:
                self.stderr.write(f"  {error['row']} {error['column']}: {error['message']}")
            failed = failed or job.status == "failed"
        if failed:
            raise CommandError(_("The import failed; nothing was written."))
