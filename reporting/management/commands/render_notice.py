"""Writes the public-notice PDF of an agency's quarter (the published version, else the draft)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting.disclosures.services import disclosure_notice_pdf
from reporting.models import Disclosure, DisclosureStatus
from reporting.periods import Quarter


class Command(BaseCommand):
    help = "Renders the public-notice PDF of a quarter's disclosure."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True)
        parser.add_argument("--quarter", required=True, help="e.g. 2020Q4")
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, agency, quarter, output, **options):
        try:
            period = Quarter.parse(quarter)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = Disclosure.objects.filter(agency__code=agency, year=period.year, quarter=period.number)
        disclosure = (
            rows.filter(status=DisclosureStatus.PUBLISHED).first()
            or rows.filter(status=DisclosureStatus.DRAFT).first()
        )
        if disclosure is None:
            raise CommandError(f"{agency} 没有 {period} 的公示，请先运行 compute_disclosures。")
        pdf = disclosure_notice_pdf(disclosure=disclosure)
        Path(output).write_bytes(pdf)
        state = "已发布" if disclosure.is_published else "草稿"
        self.stdout.write(
            f"已写入 {output}（{len(pdf)} 字节，"
            f"{disclosure.agency.code} {period} v{disclosure.version} {state}）"
        )
