"""The vehicles import kinds through the shared pipeline (``import_ledger --kind vehicles|fuel|trips``):
Chinese headers, the forms' rules, every bad row reported, nothing written on error, a clerk's own
sections only, and each export imports back unchanged."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from imports.exports import kind_workbook
from imports.registry import ImportContext, get_import_kind
from imports.services import import_commit, import_job_create
from tests.imports.files import xlsx
from vehicles.models import DispatchOrder, FuelLog, Vehicle

from .factories import DispatchOrderFactory, FuelLogFactory, VehicleFactory

VEHICLE_HEADER = [
    "车牌号",
    "品牌型号",
    "燃料类型",
    "是否新能源",
    "油箱容积（升）",
    "电池容量（千瓦时）",
    "百公里耗油控制标准",
    "使用科室",
    "启用日期",
    "封存日期",
    "报废日期",
    "备注",
]
FUEL_HEADER = [
    "车牌号",
    "加油日期",
    "油品",
    "加油量（升）",
    "单价（元）",
    "金额（元）",
    "里程表读数（公里）",
    "是否加满",
    "加油站",
    "加油卡号",
    "备注",
]
TRIP_HEADER = [
    "派车单号",
    "用车科室",
    "申请人",
    "用车事由",
    "目的地",
    "乘车人数",
    "用车日期",
    "出车时间",
    "返回时间",
    "车牌号",
    "驾驶员",
    "状态",
    "出车里程",
    "回场里程",
    "备注",
]


@pytest.fixture
def run(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, kind, rows, *, user=None, language="zh-hans"):
        path = xlsx(tmp_path / f"{kind}.xlsx", rows, title="公务用车台账", merge_title_over=4)
        job = import_job_create(
            agency=agency, kind=kind, upload=path, filename=path.name, by=user, language=language
        )
        return import_commit(job=job, by=user)

    return _run


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_vehicles_are_imported_and_every_bad_row_is_reported_with_nothing_written(
    agency, department, manager, run
):
    good = [
        [
            "鲁q·12378",
            "大众帕萨特",
            "92#",
            "否",
            70,
            "",
            9.5,
            department.name,
            dt.date(2016, 5, 1),
            "",
            "",
            "",
        ],
        ["鲁QD05126", "比亚迪秦EV", "纯电动", "是", "", 53.1, 14, "", dt.date(2020, 6, 1), "", "", ""],
    ]
    bad = [
        ["鲁Q1234", "x", "92#", "否", 70, "", 9, "", dt.date(2016, 5, 1), "", "", ""],  # 6 characters
        [
            "鲁QD12345",
            "x",
            "92#",
            "否",
            70,
            "",
            9,
            "",
            dt.date(2016, 5, 1),
            "",
            "",
            "",
        ],  # green plate, petrol
        ["鲁Q22222", "x", "柴油", "否", "", "", 9, "", dt.date(2016, 5, 1), "", "", ""],  # no tank
    ]
    job = run(agency, "vehicles", [VEHICLE_HEADER, *good, *bad], user=manager)
    assert job.status == "failed" and not Vehicle.objects.exists()
    assert {(row, column) for row, column, _m in errors_of(job)} == {
        (6, "车牌号"),
        (7, "车牌号"),
        (8, "油箱容积（升）"),
    }
    job = run(agency, "vehicles", [VEHICLE_HEADER, *good], user=manager)
    assert job.status == "done", errors_of(job)
    assert set(Vehicle.objects.values_list("plate", "new_energy")) == {
        ("鲁Q12378", False),
        ("鲁QD05126", True),
    }


def test_fuel_logs_keep_the_odometer_rule_across_the_file_and_the_ledger(agency, manager, run):
    vehicle = VehicleFactory(agency=agency, plate="鲁Q12378")
    FuelLogFactory(vehicle=vehicle, date=dt.date(2020, 3, 1), odometer=D(10000))
    rows = [
        FUEL_HEADER,
        ["鲁Q12378", dt.date(2020, 3, 10), "92#", 40, 6.5, 260, 10400, "是", "", "", ""],
        [
            "鲁Q12378",
            dt.date(2020, 3, 20),
            "92#",
            40,
            6.5,
            "",
            10300,
            "是",
            "",
            "",
            "",
        ],  # below the row above
        [
            "鲁Q12378",
            dt.date(2020, 3, 25),
            "92#",
            40,
            6.5,
            270,
            10900,
            "是",
            "",
            "",
            "",
        ],  # amount ≠ 260 ± 0.5
        [
            "鲁Q12378",
            dt.date(2020, 3, 28),
            "92#",
            80,
            6.5,
            520,
            11300,
            "是",
            "",
            "",
            "",
        ],  # more than the tank
        ["鲁Q99999", dt.date(2020, 3, 28), "92#", 10, 6.5, 65, 100, "是", "", "", ""],  # not registered
    ]
    job = run(agency, "fuel", rows, user=manager)
    assert job.status == "failed" and FuelLog.objects.count() == 1
    assert {(row, column) for row, column, _m in errors_of(job)} == {
        (5, "里程表读数（公里）"),
        (6, "金额（元）"),
        (7, "加油量（升）"),
        (8, "车牌号"),
    }
    job = run(agency, "fuel", rows[:2], user=manager)
    assert job.status == "done" and FuelLog.objects.get(odometer=D(10400)).amount == D(260)


def test_a_clerk_imports_fuel_only_for_the_vehicles_of_their_sections(
    agency, department, other_department, clerk, run
):
    VehicleFactory(agency=agency, department=other_department, plate="鲁Q22222")
    rows = [FUEL_HEADER, ["鲁Q22222", dt.date(2020, 3, 10), "92#", 40, 6.5, 260, 10400, "是", "", "", ""]]
    job = run(agency, "fuel", rows, user=clerk)
    assert job.status == "failed" and not FuelLog.objects.exists()


def test_trips_are_refused_for_a_sealed_or_busy_vehicle_and_an_odometer_in_below_out(
    agency, department, manager, run
):
    VehicleFactory(agency=agency, plate="鲁Q12378")
    VehicleFactory(agency=agency, plate="鲁Q3L705", sealed_from=dt.date(2020, 1, 1))
    day = dt.date(2020, 3, 10)
    rows = [
        TRIP_HEADER,
        [
            "",
            department.name,
            "李鑫",
            "检查",
            "临沂市人民医院",
            2,
            day,
            "09:00",
            "12:00",
            "鲁Q12378",
            "王",
            "已完成",
            100,
            142,
            "",
        ],
        [
            "",
            department.name,
            "李鑫",
            "检查",
            "兰山区",
            1,
            day,
            "10:00",
            "11:00",
            "鲁Q12378",
            "王",
            "已完成",
            142,
            150,
            "",
        ],  # overlaps the row above
        [
            "",
            department.name,
            "李鑫",
            "检查",
            "兰山区",
            1,
            day,
            "13:00",
            "14:00",
            "鲁Q3L705",
            "刘",
            "已完成",
            10,
            20,
            "",
        ],  # sealed
        [
            "",
            department.name,
            "李鑫",
            "检查",
            "兰山区",
            1,
            day,
            "15:00",
            "16:00",
            "鲁Q12378",
            "王",
            "已完成",
            200,
            190,
            "",
        ],  # in below out
    ]
    job = run(agency, "trips", rows, user=manager)
    assert job.status == "failed" and not DispatchOrder.objects.exists()
    assert {(row, column) for row, column, _m in errors_of(job)} == {
        (5, "车牌号"),
        (6, "车牌号"),
        (7, "回场里程"),
    }
    job = run(agency, "trips", rows[:2], user=manager)
    assert job.status == "done" and DispatchOrder.objects.get().number == "2020-0001"


def test_each_export_imports_back_unchanged(agency, department, manager, tmp_path, settings):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    vehicle = VehicleFactory(agency=agency, department=department, plate="鲁Q12378")
    FuelLogFactory(vehicle=vehicle, date=dt.date(2020, 3, 1), odometer=D(10000), station="中石化")
    FuelLogFactory(vehicle=vehicle, date=dt.date(2020, 3, 9), odometer=D(10300), full=False)
    DispatchOrderFactory(
        agency=agency,
        department=department,
        vehicle=vehicle,
        status="completed",
        odometer_out=D(10010),
        odometer_in=D(10050),
    )
    for kind_key, count in (("vehicles", 1), ("fuel", 2), ("trips", 1)):
        kind = get_import_kind(kind_key)
        for language in ("zh-hans", "en"):
            path = tmp_path / f"{kind_key}-{language}.xlsx"
            path.write_bytes(
                kind_workbook(kind, ImportContext(agency=agency, user=None, dry_run=False), language=language)
            )
            job = import_job_create(
                agency=agency, kind=kind_key, upload=path, filename=path.name, language=language
            )
            job = import_commit(job=job, by=manager)
            assert job.status == "done", (kind_key, language, errors_of(job))
            assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, count)


def test_the_command_line_imports_fuel_and_refuses_a_bad_file(agency, tmp_path, settings):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    VehicleFactory(agency=agency, plate="鲁Q12378")
    good = xlsx(
        tmp_path / "good.xlsx",
        [FUEL_HEADER, ["鲁Q12378", dt.date(2020, 3, 10), "92#", 40, 6.5, 260, 10400, "是", "", "", ""]],
    )
    call_command("import_ledger", str(good), "--agency", agency.code, "--kind", "fuel", stdout=io.StringIO())
    assert FuelLog.objects.count() == 1
    bad = xlsx(
        tmp_path / "bad.xlsx",
        [FUEL_HEADER, ["鲁Q12378", dt.date(2020, 3, 12), "92#", 40, 6.5, 260, 10000, "是", "", "", ""]],
    )
    with pytest.raises((CommandError, SystemExit)):
        call_command(
            "import_ledger", str(bad), "--agency", agency.code, "--kind", "fuel", stdout=io.StringIO()
        )
    assert FuelLog.objects.count() == 1
