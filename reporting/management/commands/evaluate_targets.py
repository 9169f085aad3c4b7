"""Prints each target of a year: baseline, actual, change %, target and status."""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from reporting.targets.evaluate import targets_evaluate


def _fmt(value, places=2):
    return "—" if value is None else f"{value:,.{places}f}"


class Command(BaseCommand):
    help = "Evaluates the reduction targets of a year against the baseline year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--agency", help="Agency code; every active agency when omitted.")
        parser.add_argument("--month", type=int, default=12, help="Year to date through this month (1–12).")

    def handle(self, *args, year, agency=None, month=12, **options):
        if not 1 <= month <= 12:
            raise CommandError("--month 必须在 1 到 12 之间。")
        agencies = Agency.objects.filter(is_active=True)
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies:
                raise CommandError(f"没有代码为 {agency} 的机关。")
        names = {a.pk: a.display_name for a in agencies}
        results = targets_evaluate(agency_ids=list(names), year=year, as_of_month=month)
        if not results:
            self.stdout.write(f"{year} 年没有适用的节约目标。")
            return
        header = ["机关", "指标", "口径", "基准值", "实际值", "变化%", "目标%", "年末预测", "状态"]
        lines = [header]
        for r in results:
            lines.append(
                [
                    names[r.agency_id],
                    f"{r.indicator_name} ({r.indicator})",
                    f"{r.basis} {r.unit}",
                    _fmt(r.baseline),
                    _fmt(r.actual),
                    _fmt(r.change_percent),
                    f"-{r.target_percent}",
                    _fmt(r.projected),
                    f"{r.status_label} ({r.status})",
                ]
            )
        widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
        self.stdout.write(f"{year} 年 1–{month} 月 节约目标评价（基准年同期对比）")
        for row in lines:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
