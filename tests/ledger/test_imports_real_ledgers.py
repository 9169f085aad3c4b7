"""The ledger's kinds on ledgers as offices keep them: a clerk's own meters (#13.6), the previous
reading and the usage checked against the ledger (#13.4), a wide monthly sheet written (#13.5),
the remembered mapping step and --map (#13.2), every header listed (#13.3), utility bills."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportJob, ImportMapping
from imports.services import import_commit, import_job_create
from ledger.models import Bill, Reading
from tests.imports.files import csv_file, xlsx
from tests.ledger.factories import MeterFactory, ReadingFactory

D = Decimal


@pytest.fixture
def stored(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"


def commit(agency, path, *, kind="readings", by=None, mapping=None):
    job = import_job_create(
        agency=agency, kind=kind, upload=path, filename=path.name, by=by, language="en", mapping=mapping
    )
    return import_commit(job=job, by=by)


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_a_clerk_imports_readings_of_their_departments_meters_only(
    agency, department, other_department, clerk, stored, tmp_path
):
    MeterFactory(agency=agency, code="E-OWN", department=department)
    MeterFactory(agency=agency, code="E-FIN", department=other_department)
    rows = [["表号", "抄表日期", "读数"], ["E-OWN", "2020-01-31", "10"], ["E-FIN", "2020-01-31", "20"]]
    job = commit(agency, xlsx(tmp_path / "r.xlsx", rows), by=clerk)
    assert job.status == "failed"
    assert errors_of(job) == [(3, "表号", "No meter E-FIN among your departments' meters.")]
    assert not Reading.objects.exists()
    job = commit(agency, xlsx(tmp_path / "own.xlsx", rows[:2]), by=clerk)
    assert job.status == "done" and Reading.objects.get().meter.code == "E-OWN"


def test_a_clerk_may_not_import_the_meter_registry_whatever_the_page_sent(agency, clerk, stored, tmp_path):
    from django.core.exceptions import PermissionDenied

    path = xlsx(tmp_path / "m.xlsx", [["计量表编号", "名称", "类型"], ["E-9", "新表", "电"]])
    with pytest.raises(PermissionDenied):
        import_job_create(agency=agency, kind="meters", upload=path, filename=path.name, by=clerk)
    assert not ImportJob.objects.exists()


def test_the_previous_reading_and_the_usage_in_the_file_are_checked_against_the_ledger(
    agency, stored, tmp_path
):
    meter = MeterFactory(agency=agency, code="E-1", multiplier=D(40), share=D("0.5"))
    ReadingFactory(meter=meter, date=dt.date(2020, 1, 31), value=D(100))
    rows = [
        ["表号", "抄表日期", "上期读数", "本期读数", "本期用量(kWh)"],
        ["E-1", "2020-02-29", "100", "110", "200"],  # (110 − 100) × 40 × 0.5 = 200: right
        ["E-1", "2020-03-31", "110", "120", "10"],  # the usage forgets multiplier and share: wrong
        ["E-1", "2020-04-30", "999", "130", ""],  # the ledger's previous is 110 (row 5 is refused)
    ]
    job = commit(agency, xlsx(tmp_path / "x.xlsx", rows, title="2020年抄表台账"))
    assert job.status == "failed"
    assert errors_of(job) == [
        (
            5,
            "本期用量(kWh)",
            "The usage written here (10) is not (reading − previous reading 110) × multiplier 40 × "
            "share 0.5 = 200.",
        ),
        (6, "上期读数", "The previous reading written here (999) is not the ledger's: 110 on 2020-02-29."),
    ]
    assert Reading.objects.count() == 1


def test_a_wide_monthly_sheet_writes_one_reading_per_month_at_the_months_end(agency, stored, tmp_path):
    MeterFactory(agency=agency, code="E-1")
    MeterFactory(agency=agency, code="W-1", kind="water")
    rows = [
        ["序号", "表号", "1月", "2月", "3月", "全年合计"],
        [1, "E-1", 100, 120, 150, None],
        [2, "W-1", 10, None, 14, None],
        ["合计", None, 110, 120, 164, None],
    ]
    job = commit(agency, xlsx(tmp_path / "wide.xlsx", rows, title="2021年水电抄表台账", merge_title_over=6))
    assert job.status == "done", errors_of(job)
    assert list(
        Reading.objects.order_by("meter__code", "date").values_list("meter__code", "date", "value")
    ) == [
        ("E-1", dt.date(2021, 1, 31), D(100)),
        ("E-1", dt.date(2021, 2, 28), D(120)),
        ("E-1", dt.date(2021, 3, 31), D(150)),
        ("W-1", dt.date(2021, 1, 31), D(10)),
        ("W-1", dt.date(2021, 3, 31), D(14)),
    ]
    listed = {cell["header"]: cell["status"] for cell in job.columns}
    assert listed["序号"] == "ignored" and listed["全年合计"] == "ignored" and listed["2月"] == "month"


def test_the_command_takes_map_prints_the_mapping_it_used_and_lists_what_it_left_out(
    agency, stored, tmp_path
):
    MeterFactory(agency=agency, code="E-1")
    path = csv_file(
        tmp_path / "odd.csv", [["仪表", "抄表日期", "读数", "抄表人"], ["E-1", "2020-01-31", "5", "王"]]
    )
    out = io.StringIO()
    call_command(
        "import_ledger",
        str(path),
        agency=agency.code,
        kind="readings",
        map=["仪表=meter"],
        lang="en",
        stdout=out,
    )
    printed = out.getvalue()
    assert "仪表 → meter (Meter code)" in printed and "抄表人 → not imported" in printed
    assert Reading.objects.get().value == D(5)


def test_bills_import_with_their_own_headers_and_the_forms_rules(agency, stored, tmp_path):
    MeterFactory(agency=agency, code="E-1")
    rows = [
        ["户号", "计费起始日", "计费截止日", "用电量(kWh)", "电费金额(元)", "发票号码"],
        ["E-1", "2020-01-01", "2020-03-31", "12840", "10272.00", "37001234"],
        ["E-1", "2020-04-01", "2020-03-31", "1", "1", ""],
    ]
    job = commit(agency, xlsx(tmp_path / "bills.xlsx", rows), kind="bills")
    assert errors_of(job) == [(3, "计费截止日", "The period cannot end before it starts.")]
    job = commit(agency, xlsx(tmp_path / "ok.xlsx", rows[:2]), kind="bills")
    assert job.status == "done" and Bill.objects.get().amount == D("10272.00")
    job = commit(agency, xlsx(tmp_path / "again.xlsx", rows[:2]), kind="bills")
    assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, 1)


def test_a_manager_maps_an_unknown_header_once_and_the_next_file_of_that_layout_needs_nothing(
    agency, manager, login, stored, tmp_path
):
    MeterFactory(agency=agency, code="E-1")
    client = login(manager)
    header = ["仪表", "抄表日期", "读数", "抄表人"]

    def upload(name, rows):
        path = xlsx(tmp_path / name, [header, *rows], title="2020年抄表台账")
        with path.open("rb") as handle:
            client.post(reverse("imports:index"), {"kind": "readings", "file": handle})
        return ImportJob.objects.latest("pk")

    job = upload("jan.xlsx", [["E-1", "2020-01-31", "5", "王"]])
    assert (job.status == "failed" and "Meter code" in job.message) or "计量表编号" in job.message
    page = client.get(reverse("imports:job_detail", args=[job.pk]))
    assert page.context["can_remap"] and b'name="h0"' in page.content
    client.post(
        reverse("imports:job_remap", args=[job.pk]), {"h0": "meter", "h1": "date", "h2": "value", "h3": ""}
    )
    job.refresh_from_db()
    assert job.status == "validated", job.message
    assert ImportMapping.objects.get().mapping == {
        "仪表": "meter",
        "抄表日期": "date",
        "读数": "value",
        "抄表人": "",
    }
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job = upload("feb.xlsx", [["E-1", "2020-02-29", "9", "李"]])
    assert job.status == "validated"  # the same layout: the remembered mapping applies
    assert {c["header"]: c["column"] for c in job.columns}["仪表"] == "meter"
