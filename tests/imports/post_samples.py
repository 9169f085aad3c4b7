"""POST samples for the write walk: an upload, and the confirmation of a validated preview."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.services import import_job_create, import_start
from tests.writewalk import PostSample


def _years_file() -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["年度", "用能人数", "建筑面积", "办公面积"])
    sheet.append([2021, 40, 1000, 500])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("years.xlsx", buffer.getvalue())


def _validated_job(ctx) -> dict:
    upload = _years_file()
    job = import_job_create(agency=ctx.agency, kind="agency_years", upload=upload, filename=upload.name)
    return {"pk": import_start(job=job).pk}


POST_SAMPLES = {
    "imports:index": PostSample(lambda ctx: {"kind": "agency_years", "file": _years_file()}),
    "imports:job_confirm": PostSample(lambda ctx: {}, url=_validated_job),
}
