"""Rebuilds the monthly figures of every registered indicator from the ledgers, and their yearly rollup."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from reporting.figures.refresh import RefreshFailed, figures_refresh
from reporting.figures.rollup import rollup_rebuild
from reporting.models import MonthlyFigure, StaleFigure


class Command(BaseCommand):
    help = "Recomputes MonthlyFigure from the ledgers (every agency and year unless narrowed)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Agency code; every agency when omitted.")
        parser.add_argument("--year", type=int, help="One calendar year; every year with data when omitted.")
        parser.add_argument(
            "--rollup",
            action="store_true",
            help="Only rebuild the yearly rollup from the monthly figures already there (no ledger read).",
        )

    def _years(self, agency_ids: list[int]) -> list[int]:
        months = [
            *MonthlyFigure.objects.filter(agency_id__in=agency_ids).dates("month", "year"),
            *StaleFigure.objects.filter(agency_id__in=agency_ids).dates("month", "year"),
        ]
        return sorted({m.year for m in months})

    def handle(self, *args, agency=None, year=None, rollup=False, **options):
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies:
                raise CommandError(f"没有代码为 {agency} 的机关。")
        ids = list(agencies.values_list("pk", flat=True))
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("--year 应为 2000 至 2100 之间的年份。")
        years = [year] if year else self._years(ids) or [date.today().year]
        if rollup:
            written = rollup_rebuild(agency_ids=ids, years=years)
            self.stdout.write(f"年度汇总：已重建 {written} 行（{', '.join(map(str, years))}）。")
            return
        total, failed = 0, {}
        for y in years:  # a year at a time keeps one refresh's rows in memory bounded
            try:
                total += figures_refresh(
                    agency_ids=ids, months=[date(y, m, 1) for m in range(1, 13)], strict=True
                )
            except RefreshFailed as error:
                failed.update(error.failures)
            self.stdout.write(f"{y} 年：已重算 {len(ids)} 个机关。")
        self.stdout.write(f"共写入 {total} 条月度数据（{', '.join(map(str, years))}）。")
        if failed:
            raise CommandError(f"以下指标重算失败，其余已写入：{', '.join(sorted(failed))}")
