"""POST samples for the write walk: an upload, the confirmation of a validated preview, and the
mapping step. Readings of a meter in ``ctx.department``: a kind clerks may import too."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.services import import_job_create, import_start
from tests.ledger.factories import MeterFactory
from tests.writewalk import PostSample

from .url_samples import clerk_of

WALK_METER = "E-WALK"


def _readings_file() -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["表号", "抄表日期", "读数", "抄表人"])
    sheet.append([WALK_METER, "2021-01-31", 120, "王"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("readings.xlsx", buffer.getvalue())


def _meter(ctx):
    from ledger.models import Meter

    found = Meter.objects.filter(agency=ctx.agency, code=WALK_METER).first()
    return found or MeterFactory(agency=ctx.agency, department=ctx.department, code=WALK_METER)


def _upload(ctx) -> dict:
    _meter(ctx)
    return {"kind": "readings", "file": _readings_file()}


def _validated_job(ctx) -> dict:
    _meter(ctx)
    upload = _readings_file()
    clerk = clerk_of(ctx)
    job = import_job_create(agency=ctx.agency, kind="readings", upload=upload, filename=upload.name, by=clerk)
    return {"pk": import_start(job=job).pk}


POST_SAMPLES = {
    "imports:index": PostSample(_upload),
    "imports:job_confirm": PostSample(lambda ctx: {}, url=_validated_job),
    "imports:job_remap": PostSample(
        lambda ctx: {"h0": "meter", "h1": "date", "h2": "value", "h3": ""},
        url=_validated_job,
        note="the mapping step: the choice is remembered (ImportMapping) and the file checked again",
    ),
}
