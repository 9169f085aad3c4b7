"""Prints each target of a year: baseline, actual, change %, target and status — in the configured
language (settings.LANGUAGE_CODE), figures written as docs/conventions.md says."""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agencies import conventions
from agencies.models import Agency
from reporting.registry import get_indicator, get_target_base
from reporting.targets.evaluate import targets_evaluate


def _width(text: str) -> int:
    """Columns a terminal gives the text: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Evaluates the reduction targets of a year against the baseline year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--agency", help="Agency code; every active agency when omitted.")
        parser.add_argument("--month", type=int, default=12, help="Year to date through this month (1–12).")

    def handle(self, *args, year, agency=None, month=12, **options):
        # A command has no request: it speaks the site's configured language, whatever was active.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(year=year, agency=agency, month=month)

    def _handle(self, *, year, agency, month):
        if not 1 <= month <= 12:
            raise CommandError(_("--month must be between 1 and 12."))
        agencies = Agency.objects.filter(is_active=True)
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies:
                raise CommandError(_("There is no agency with the code %(code)s.") % {"code": agency})
        names = {a.pk: a.display_name for a in agencies}
        results = targets_evaluate(agency_ids=list(names), year=year, as_of_month=month)
        if not results:
            self.stdout.write(_("No reduction target applies to %(year)s.") % {"year": year})
            return
        header = [
            _("Agency"),
            _("Indicator"),
            _("Basis"),
            pgettext("measure", "Unit"),
            _("Baseline"),
            _("Actual"),
            pgettext("percent", "Change"),
            _("Target"),
            _("Year-end projection"),
            _("Status"),
        ]
        lines = [header]
        for r in results:
            unit, base = get_indicator(r.indicator).unit, get_target_base(r.basis)
            if not base.per:
                unit_text = conventions.unit_label(unit)
            elif r.basis in conventions.PER:  # 立方米/人, 千瓦时/平方米
                unit_text = conventions.unit_label(unit, per=r.basis)
            else:  # a base another app registers: its own words for "per"
                unit_text = f"{conventions.unit_label(unit)}{base.per}"
            lines.append(
                [
                    names[r.agency_id],
                    r.indicator_name,
                    str(base.name),
                    unit_text,
                    conventions.number(r.baseline, 2),
                    conventions.number(r.actual, 2),
                    conventions.signed_percent(r.change_percent, 2),
                    conventions.reduction_target(r.target_percent),
                    conventions.number(r.projected, 2),
                    r.status_label,
                ]
            )
        widths = [max(_width(str(row[i])) for row in lines) for i in range(len(header))]
        self.stdout.write(
            _("Reduction targets, %(months)s against the same months of each baseline year")
            % {"months": conventions.months_label(1, month, year)}
        )
        for row in lines:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
