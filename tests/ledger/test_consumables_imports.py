"""The consumables import kinds through the shared pipeline: Chinese headers, every bad row, all or
nothing, stock checked in file order, and a round trip export → import that writes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.services import import_commit, import_job_create
from ledger.consumables.indicators import EXPENSE_KEYS
from ledger.consumables.models import Expense, Item, PaperUse, Purchase, Requisition
from reporting.figures.locks import lock_indicators
from tests.imports.files import xlsx
from tests.ledger.consumables_factories import ItemFactory

D = Decimal


@pytest.fixture
def run(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, rows, *, kind, user=None, path=None):
        if path is None:
            path = xlsx(tmp_path / f"{kind}.xlsx", rows, title="2020年办公耗材台账", merge_title_over=3)
        job = import_job_create(
            agency=agency, kind=kind, upload=path, filename=path.name, by=user, language="zh-hans"
        )
        return import_commit(job=job, by=user)

    return _run


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


ITEMS = [
    ["物品编号", "名称", "类别", "单位", "绿色产品", "一次性", "最低库存"],
    ["HC-001", "A4再生复印纸", "纸张", "包", "是", "否", 30],
    ["HC-031", "一次性纸杯", "一次性杯具餐具", "个", "否", "是", 300],
]


def test_the_catalogue_imports_with_chinese_headers_and_a_second_run_changes_nothing(agency, run):
    job = run(agency, ITEMS, kind="items")
    assert job.status == "done", errors_of(job)
    paper = Item.objects.get(code="HC-001")
    assert (paper.category, paper.is_green, paper.reorder_level) == ("paper", True, D(30))
    assert Item.objects.get(code="HC-031").is_disposable
    again = run(agency, ITEMS, kind="items")
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_every_bad_purchase_row_is_reported_and_nothing_is_written(agency, run):
    ItemFactory(agency=agency, code="HC-001")
    rows = [
        ["物品编号", "审批日期", "审批人", "采购日期", "数量", "单价", "金额", "供应商"],
        ["HC-001", date(2020, 3, 1), "高述刚", date(2020, 3, 2), 10, 23.5, 235.01, "商行"],  # within a fen
        ["HC-001", date(2020, 3, 1), "高述刚", date(2020, 3, 2), 10, 23.5, 235.02, "商行"],  # one fen beyond
        ["HC-999", date(2020, 3, 1), "高述刚", date(2020, 3, 2), 1, 1, 1, "商行"],
        ["HC-001", date(2020, 3, 5), "高述刚", date(2020, 3, 2), 1, 1, 1, "商行"],
    ]
    job = run(agency, rows, kind="purchases")
    assert job.status == "failed" and not Purchase.objects.exists()
    found = {(row, column) for row, column, _message in errors_of(job)}
    assert found == {(5, "金额"), (6, "物品编号"), (7, "审批日期")}
    assert Item.objects.get().stock == 0


def test_requisitions_are_checked_against_the_stock_in_file_order(agency, department, run):
    item = ItemFactory(agency=agency, code="HC-001", stock=D(5), stock_value=D(100))
    rows = [
        ["领用科室", "物品编号", "领用日期", "数量", "领用人"],
        ["办公室", "HC-001", date(2020, 3, 3), 3, "李鑫"],
        ["办公室", "HC-001", date(2020, 3, 4), 3, "李鑫"],  # only 2 left after the row above
        ["不存在的科", "HC-001", date(2020, 3, 4), 1, "李鑫"],
    ]
    job = run(agency, rows, kind="requisitions")
    assert job.status == "failed" and not Requisition.objects.exists()
    errors = errors_of(job)
    assert [(row, column) for row, column, _m in errors] == [(5, "数量"), (6, "领用科室")]
    assert "2 包" in errors[0][2]
    job = run(agency, rows[:2], kind="requisitions")
    assert job.status == "done", errors_of(job)
    item.refresh_from_db()
    assert (item.stock, item.stock_value) == (D(2), D(40))
    assert Requisition.objects.get().amount == D(60)


def test_paper_and_expenses_import_and_a_locked_month_refuses_the_file(agency, department, run):
    paper = [["科室", "登记日期", "用纸张数", "其中双面"], ["办公室", date(2020, 3, 31), 500, 600]]
    job = run(agency, paper, kind="paper")
    assert job.status == "failed" and errors_of(job)[0][1] == "其中双面"
    paper[1][3] = 300
    assert run(agency, paper, kind="paper").status == "done"
    expenses = [
        ["日期", "科室", "费用类别", "金额", "凭证号"],
        [date(2020, 3, 25), "办公室", "电话费", 86.4, "凭1"],
        [date(2020, 3, 12), "", "会议费", 1200, "凭2"],
        [date(2020, 3, 13), "", "电话费", 50, "凭3"],  # telephone needs a section
    ]
    job = run(agency, expenses, kind="expenses")
    assert job.status == "failed" and errors_of(job) == [(6, "科室", errors_of(job)[0][2])]
    assert run(agency, expenses[:3], kind="expenses").status == "done"
    assert Expense.objects.count() == 2 and PaperUse.objects.get().duplex_sheets == 300
    lock_indicators(agency_id=agency.pk, months=[date(2020, 4, 1)], indicators=EXPENSE_KEYS)
    locked = run(agency, [expenses[0], [date(2020, 4, 25), "办公室", "电话费", 80, "凭4"]], kind="expenses")
    assert locked.status == "failed" and Expense.objects.count() == 2


def test_a_round_trip_export_then_import_writes_nothing(agency, department, manager, login, run, tmp_path):
    run(agency, ITEMS, kind="items")
    purchases = [
        ["物品编号", "审批日期", "审批人", "采购日期", "数量", "单价", "金额", "供应商", "发票号码"],
        ["HC-001", date(2020, 3, 1), "高述刚", date(2020, 3, 2), 10, 23.5, 235, "商行", "0001"],
        [
            "HC-001",
            date(2020, 3, 1),
            "高述刚",
            date(2020, 3, 2),
            10,
            23.5,
            235,
            "商行",
            "0001",
        ],  # twice, really
    ]
    assert run(agency, purchases, kind="purchases").new_count == 2
    requisitions = [
        ["领用科室", "物品编号", "领用日期", "数量", "领用人"],
        ["办公室", "HC-001", date(2020, 3, 3), 4, "李鑫"],
    ]
    assert run(agency, requisitions, kind="requisitions").status == "done"
    run(agency, [["科室", "登记日期", "用纸张数"], ["办公室", date(2020, 3, 31), 800]], kind="paper")
    run(
        agency,
        [["日期", "科室", "费用类别", "金额"], [date(2020, 3, 25), "办公室", "电话费", 86.4]],
        kind="expenses",
    )
    client = login(manager)
    for kind in ("items", "purchases", "requisitions", "paper", "expenses"):
        response = client.get(reverse("ledger:consumables_export"), {"kind": kind})
        path = tmp_path / f"export-{kind}.xlsx"
        path.write_bytes(response.content)
        job = run(agency, None, kind=kind, path=path)
        assert job.status == "done", (kind, errors_of(job))
        assert (job.new_count, job.updated_count) == (0, 0), kind
        assert job.unchanged_count > 0, kind
    assert (Purchase.objects.count(), Requisition.objects.count()) == (2, 1)
    assert Item.objects.get(code="HC-001").stock == D(16)


def test_import_ledger_command_takes_the_consumables_kinds(agency, tmp_path, settings):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    path = xlsx(tmp_path / "items.xlsx", ITEMS)
    out = io.StringIO()
    call_command("import_ledger", str(path), agency=agency.code, kind="items", stdout=out)
    assert Item.objects.filter(agency=agency).count() == 2


def test_a_clerk_imports_requisitions_for_their_own_section_only(
    agency, department, other_department, clerk, run
):
    ItemFactory(agency=agency, code="HC-001", stock=D(10), stock_value=D(100))
    header = ["领用科室", "物品编号", "领用日期", "数量", "领用人"]
    job = run(
        agency,
        [header, ["规划财务科", "HC-001", date(2020, 3, 3), 1, "王祥凤"]],
        kind="requisitions",
        user=clerk,
    )
    assert job.status == "failed" and errors_of(job)[0][:2] == (4, "领用科室")
    assert "不是您的科室" in errors_of(job)[0][2] and not Requisition.objects.exists()
    job = run(
        agency, [header, ["办公室", "HC-001", date(2020, 3, 3), 1, "李鑫"]], kind="requisitions", user=clerk
    )
    assert job.status == "done", errors_of(job)
    assert Requisition.objects.get().department == department
