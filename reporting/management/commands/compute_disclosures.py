"""Computes (or recomputes) the draft disclosures of a quarter; published quarters stay as they are."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from reporting.disclosures.services import disclosures_compute
from reporting.models import DisclosureStatus
from reporting.periods import Quarter
from reporting.tasks import DISCLOSURE_CHUNK, compute_city_disclosures, compute_disclosure


class Command(BaseCommand):
    help = "Computes the quarter's draft disclosures of one agency or of every active agency."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="e.g. 2020Q4")
        parser.add_argument("--agency", help="Agency code; every active agency when omitted.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the work to the Celery workers instead of running it here.",
        )

    def handle(self, *args, quarter, agency=None, queue=False, **options):
        try:
            period = Quarter.parse(quarter)
            period.check_ended()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        agencies = Agency.objects.filter(is_active=True).order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies:
                raise CommandError(f"没有代码为 {agency} 的机关。")
        if queue:
            if agency:
                compute_disclosure.delay(agencies[0].pk, str(period))
                self.stdout.write(f"已提交 {agency} {period} 的计算任务。")
            else:
                ids = compute_city_disclosures.delay(str(period)).get(timeout=60)
                self.stdout.write(f"已为 {len(ids)} 个机关提交 {period} 的计算任务。")
            return
        counts = {"draft": 0, "published": 0}
        rows = list(agencies)
        computed = {}
        for start in range(0, len(rows), DISCLOSURE_CHUNK):  # a transaction per chunk, as the workers do
            ids = [row.pk for row in rows[start : start + DISCLOSURE_CHUNK]]
            computed |= disclosures_compute(agency_ids=ids, quarter=period)
        for row in rows:
            disclosure = computed[row.pk]
            published = disclosure.status == DisclosureStatus.PUBLISHED
            counts["published" if published else "draft"] += 1
            state = "已发布，未改动" if published else "草稿已计算"
            self.stdout.write(f"{row.code} {period} v{disclosure.version}: {state}")
        self.stdout.write(f"共 {counts['draft']} 份草稿已计算，{counts['published']} 份已发布的保持不变。")
