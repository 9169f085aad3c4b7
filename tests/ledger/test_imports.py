"""The ledger's import kinds through the shared pipeline: Chinese headers, the same rules, all or nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from imports.services import import_commit, import_job_create
from ledger.models import Meter, MeterKind, Reading
from reporting.figures.locks import lock_indicators
from tests.imports.files import xlsx
from tests.ledger.factories import MeterFactory, ReadingFactory

D = Decimal


@pytest.fixture
def run(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, rows, *, kind="readings", user=None, title="2020年抄表台账"):
        path = xlsx(tmp_path / f"{kind}.xlsx", rows, title=title, merge_title_over=3)
        job = import_job_create(
            agency=agency, kind=kind, upload=path, filename=path.name, by=user, language="en"
        )
        return import_commit(job=job, by=user)

    return _run


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_meters_import_with_chinese_headers_and_a_sub_meter_naming_its_parent(agency, department, run):
    rows = [
        ["计量表编号", "名称", "类型", "科室", "分项", "上级表编号", "倍率", "分摊比例", "表盘位数"],
        ["E-1", "总表", "电", "", "", "", 40, 0.35, 6],
        ["E-1-AC", "空调分表", "电", "办公室", "空调", "E-1", 1, 1, 6],
        ["W-1", "水表", "水", "", "", "", 1, 1, 5],
    ]
    job = run(agency, rows, kind="meters")
    assert job.status == "done", errors_of(job)
    sub = Meter.objects.get(code="E-1-AC")
    assert sub.parent.code == "E-1" and sub.item == "air_conditioning" and sub.department == department
    assert Meter.objects.get(code="E-1").share == D("0.35")
    again = run(agency, rows, kind="meters")
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


def test_a_meter_row_breaking_a_rule_is_listed_and_nothing_is_written(agency, run):
    rows = [
        ["Meter code", "Meter name", "Meter kind", "Share", "Item category"],
        ["E-1", "main", "electricity", 1.5, ""],
        ["W-1", "water", "water", 1, "空调"],
    ]
    job = run(agency, rows, kind="meters")
    assert job.status == "failed" and not Meter.objects.exists()
    found = errors_of(job)
    assert [row for row, _c, _m in found] == [4, 5]
    assert "at most 1" in found[0][2] and "does not apply" in found[1][2]


def test_readings_import_a_year_of_monthly_readings_of_one_meter_in_order(agency, run, manager):
    meter = MeterFactory(agency=agency, code="E-1", multiplier=D(40))
    ReadingFactory(meter=meter, date=dt.date(2019, 12, 31), value=D(1000))
    rows = [["计量表编号", "抄表日期", "读数", "备注"]]
    ends = [dt.date(2020, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)] + [dt.date(2020, 12, 31)]
    rows += [["E-1", f"{day:%Y年%-m月%-d日}", 1000 + 100 * (i + 1), ""] for i, day in enumerate(ends)]
    job = run(agency, rows, user=manager)
    assert job.status == "done", errors_of(job)
    imported = Reading.objects.filter(meter=meter, source="import")
    assert imported.count() == 12
    assert {r.created_by_id for r in imported} == {manager.pk} and {r.import_job_id for r in imported} == {
        job.pk
    }
    again = run(agency, rows, user=manager)
    assert again.status == "done" and again.unchanged_count == 12 and Reading.objects.count() == 13


def test_readings_in_one_file_are_checked_against_each_other_and_the_ledger(agency, run):
    meter = MeterFactory(agency=agency, code="E-1", dial_digits=5)
    ReadingFactory(meter=meter, date=dt.date(2019, 12, 31), value=D(500))
    rows = [
        ["Meter code", "Reading date", "Reading", "Event"],
        ["E-1", "2020-01-31", 400, ""],  # below the ledger's last reading
        ["E-1", "2020-02-29", 600, ""],
        ["E-1", "2020-02-29", 610, ""],  # twice in the file
        ["E-1", "2020-03-31", 550, ""],  # below the row above
        ["E-1", "2020-04-30", 20, "翻转"],  # a rollover is fine
        ["E-9", "2020-04-30", 1, ""],  # no such meter
        ["E-1", "2099-01-31", 99999, ""],  # future
    ]
    job = run(agency, rows)
    assert job.status == "failed" and Reading.objects.count() == 1
    found = {(row, column): message for row, column, message in errors_of(job)}
    assert found[(4, "Reading")].startswith("The value is below the previous reading (500 on 2019-12-31)")
    assert "already in row 5" in found[(6, "Reading date")]
    assert found[(7, "Reading")].startswith("The value is below the previous reading (600 on 2020-02-29)")
    assert "No meter E-9" in found[(9, "Meter code")]
    assert "future" in found[(10, "Reading date")]
    assert len(found) == 5


def test_a_replacement_imported_again_is_found_as_its_two_stored_readings(agency, run):
    # the old meter's final and the new meter's first reading share a date: each is matched to its
    # stored reading by its place in reading order (the new meter's first comes second)
    meter = MeterFactory(agency=agency, code="E-1")
    ReadingFactory(meter=meter, date=dt.date(2020, 1, 31), value=D(900))
    ReadingFactory(meter=meter, date=dt.date(2020, 2, 15), value=D(950), event="replacement_final")
    ReadingFactory(meter=meter, date=dt.date(2020, 2, 15), value=D(3), event="replacement_initial")
    rows = [
        ["Meter code", "Reading date", "Reading", "Event"],
        ["E-1", "2020-02-15", 950, "换表旧表止码"],
        ["E-1", "2020-02-15", 3, "换表新表起码"],
    ]
    job = run(agency, rows)
    assert job.status == "done", errors_of(job)
    assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert Reading.objects.filter(meter=meter).count() == 3


def test_an_import_into_a_locked_month_is_refused(agency, run):
    MeterFactory(agency=agency, code="E-1")
    lock_indicators(agency_id=agency.pk, months=[dt.date(2020, 1, 1)], indicators=["electricity"])
    job = run(agency, [["计量表编号", "抄表日期", "读数"], ["E-1", "2020-01-31", 10]])
    assert job.status == "failed" and "locked" in job.message and not Reading.objects.exists()


def test_the_command_imports_readings_and_exits_1_on_errors(agency, tmp_path, settings):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    MeterFactory(agency=agency, code="E-1")
    good = xlsx(tmp_path / "good.xlsx", [["计量表编号", "抄表日期", "读数"], ["E-1", "2020/1/31", "1,234.5"]])
    out = io.StringIO()
    call_command(
        "import_ledger", str(good), "--agency", "LYYB", "--kind", "readings", "--lang", "en", stdout=out
    )
    assert Reading.objects.get().value == D("1234.5")
    bad = xlsx(tmp_path / "bad.xlsx", [["计量表编号", "抄表日期", "读数"], ["E-1", "2020-02-29", 3]])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_ledger", str(bad), "--agency", "LYYB", "--kind", "readings", "--lang", "en", stderr=err
        )
    assert "row 2" in err.getvalue() and "below the previous reading" in err.getvalue()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_export_of_meters_and_readings_imports_back_unchanged(
    agency, department, manager, login, run, tmp_path, language
):
    main = MeterFactory(agency=agency, code="E-1", multiplier=D(40), share=D("0.35"))
    MeterFactory(agency=agency, code="E-1-AC", parent=main, item="air_conditioning", department=department)
    MeterFactory(agency=agency, code="W-1", kind="water", item="domestic")
    ReadingFactory(meter=main, date=dt.date(2020, 1, 31), value=D(100))
    ReadingFactory(meter=main, date=dt.date(2020, 2, 29), value=D(5), event="rollover")
    client = login(manager)
    for kind in ("meters", "readings"):
        response = client.get("/ledger/export/", {"kind": kind}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        path = tmp_path / f"export-{kind}.xlsx"
        path.write_bytes(response.content)
        job = import_commit(
            job=import_job_create(agency=agency, kind=kind, upload=path, filename=path.name, by=manager),
            by=manager,
        )
        assert job.status == "done", errors_of(job)
        assert (job.new_count, job.updated_count) == (0, 0) and job.unchanged_count == (
            3 if kind == "meters" else 2
        )


def test_ledger_kinds_declare_the_registered_indicators_they_feed_and_readings_leave_the_cost_alone():
    from imports.registry import get_import_kind
    from reporting.registry import get_indicator, indicators

    ledger_keys = {i.key for i in indicators() if i.key.split(".")[0] in MeterKind.values} | {"energy_cost"}
    readings, meters = get_import_kind("readings").indicators, get_import_kind("meters").indicators
    assert readings and meters  # () would mean "refresh every registered indicator"
    assert [get_indicator(k).key for k in meters] == list(meters)
    assert set(meters) == ledger_keys
    assert set(readings) == ledger_keys - {"energy_cost"}


def test_a_meters_import_that_changes_a_multiplier_recomputes_the_figures_of_its_readings(
    agency, run, django_capture_on_commit_callbacks
):
    from reporting.models import MonthlyFigure

    header = ["计量表编号", "名称", "类型", "倍率"]
    with django_capture_on_commit_callbacks(execute=True):
        run(agency, [header, ["E-1", "总表", "电", 1]], kind="meters")
        readings = [
            ["计量表编号", "抄表日期", "读数"],
            ["E-1", "2019-12-31", 100],
            ["E-1", "2020-01-31", 150],
        ]
        assert run(agency, readings).status == "done"

    def january():
        return MonthlyFigure.objects.get(
            agency=agency, indicator="electricity", department=None, month=dt.date(2020, 1, 1)
        ).value

    assert january() == D(50)
    with django_capture_on_commit_callbacks(execute=True):
        job = run(agency, [header, ["E-1", "总表", "电", 40]], kind="meters")
    assert (job.status, job.updated_count) == ("done", 1), errors_of(job)
    assert january() == D(2000)


def test_a_meters_import_changing_a_meter_of_a_published_quarter_is_refused(agency, run):
    meter = MeterFactory(agency=agency, code="E-1", multiplier=D(1))
    ReadingFactory(meter=meter, date=dt.date(2019, 12, 31), value=D(100))
    ReadingFactory(meter=meter, date=dt.date(2020, 1, 31), value=D(150))
    lock_indicators(agency_id=agency.pk, months=[dt.date(2020, 1, 1)], indicators=["electricity"])
    job = run(agency, [["计量表编号", "名称", "类型", "倍率"], ["E-1", meter.name, "电", 40]], kind="meters")
    assert job.status == "failed" and "locked" in job.message
    meter.refresh_from_db()
    assert meter.multiplier == D(1)
