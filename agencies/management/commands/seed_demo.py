"""python manage.py seed_demo — load the demo bureau, two more agencies and demo users."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from agencies.demo import DEMO_PASSWORD, DemoContext, demo_seeders


class Command(BaseCommand):
    help = "Loads the demo agencies, their ledgers and one demo user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG and DEMO_ALLOWED are off."
        )

    def handle(self, *args, force: bool = False, **options):
        if not (settings.DEBUG or settings.DEMO_ALLOWED or force):
            raise CommandError(
                "Demo data is for demonstration sites only (set DEMO_ALLOWED=1 or pass --force)."
            )
        autodiscover_modules("demo")
        ctx = DemoContext()
        with transaction.atomic():
            for seeder in demo_seeders():
                seeder(ctx)
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
