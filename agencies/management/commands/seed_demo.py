"""python manage.py seed_demo — load the demo bureau, two more agencies and demo users."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from agencies.demo import DEMO_PASSWORD, DemoContext, demo_period, demo_seeders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today takes a date like 2026-11-30, not {text!r}.") from None


class Command(BaseCommand):
    help = "Loads the demo agencies, their ledgers and one demo user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG and DEMO_ALLOWED are off."
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD); the demo reaches the month before it.",
        )

    def handle(self, *args, force: bool = False, today: date | None = None, **options):
        if not (settings.DEBUG or settings.DEMO_ALLOWED or force):
            raise CommandError(
                "Demo data is for demonstration sites only (set DEMO_ALLOWED=1 or pass --force)."
            )
        if today is not None and today > timezone.localdate():
            raise CommandError("--today cannot be in the future: the ledgers refuse future dates.")
        autodiscover_modules("demo")
        try:
            ctx = DemoContext(period=demo_period(today))
        except ValueError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            for seeder in demo_seeders():
                seeder(ctx)
        self.stdout.write(f"Demo period: {ctx.period} (today {ctx.period.today:%Y-%m-%d}).")
        for line in ctx.notes:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo users (demo only!):"))
        for username, user in ctx.users.items():
            for membership in user.memberships.select_related("agency", "department"):
                where = membership.agency.name + (
                    f" / {membership.department.name}" if membership.department else ""
                )
                self.stdout.write(
                    f"  {username:<14} {DEMO_PASSWORD}  {membership.get_role_display()} · {where}"
                )
