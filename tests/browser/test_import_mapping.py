"""The journey of #13: a manager, as a new user would, imports three differently headed ledgers of
the same kind (readings), fixes one header once in the mapping step, and the next upload of that
layout needs no fixing; every header that is not imported is listed on every preview."""

import datetime as dt
from decimal import Decimal

import pytest

from imports.models import ImportMapping
from ledger.models import Reading
from tests.imports.files import csv_file, xlsx
from tests.ledger.factories import MeterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("文件内容").select_option("readings")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/jobs/*/")


def _columns(page) -> dict[str, str]:
    """Header as written → what the preview says it is imported as (the select's choice or text)."""
    shown = {}
    rows = page.get_by_test_id("job-columns").locator("tbody tr")
    for index in range(rows.count()):
        row = rows.nth(index)
        header = row.locator("td").nth(0).inner_text()
        select = row.locator("select")
        if select.count():
            shown[header] = select.locator("option:checked").inner_text()
        else:
            shown[header] = row.locator("td").nth(1).inner_text()
    return shown


def _confirm(page):
    page.get_by_role("button", name="确认并写入").click()
    page.wait_for_url("**/imports/jobs/*/")
    assert page.get_by_test_id("job-status").inner_text() == "已完成"


def test_three_ledgers_headed_three_ways_one_mapping_fixed_once_and_remembered(
    page, live_server, manager, agency, browser_login, screenshot, tmp_path
):
    MeterFactory(agency=agency, code="E-1")
    MeterFactory(agency=agency, code="E-2")
    browser_login(page, live_server, "manager")

    # 1. The office's own long ledger: its headers are read by meaning, the 抄表人 column is listed.
    first = xlsx(
        tmp_path / "一月抄表.xlsx",
        [
            ["序号", "电表编号", "抄表\n日期", "本月读数（kWh）", "抄表人"],
            [1, "E-1", "2021-01-31", 100, "王"],
            [2, "E-2", "2021-01-31", 50, "王"],
        ],
        title="2021年1月用电抄表记录",
        merge_title_over=5,
    )
    _upload(page, live_server, first)
    shown = _columns(page)
    assert shown["电表编号"] == "计量表编号" and shown["本月读数（kWh）"] == "读数"
    assert shown["序号"] == "不导入" and shown["抄表人"] == "不导入"
    _confirm(page)

    # 2. A wide monthly ledger (one column per month, the year in the title).
    second = xlsx(
        tmp_path / "2021年用电台账.xlsx",
        [
            ["计量表编号", "名称", "2月", "3月", "全年合计"],
            ["E-1", "总表", 130, 160, None],
            ["E-2", "空调", 60, 75, None],
        ],
        title="2021年用电台账",
        merge_title_over=5,
    )
    _upload(page, live_server, second)
    shown = _columns(page)
    assert shown["2月"].startswith("2021-02") and shown["名称"] == "不导入" and shown["全年合计"] == "不导入"
    _confirm(page)

    # 3. A ledger whose meter column is headed in a way nothing names: the manager says which once.
    header = ["仪表", "抄表日期", "表底数", "抄表人"]
    third = csv_file(
        tmp_path / "四月.csv",
        [header, ["E-1", "2021-04-30", "190", "李"], ["E-2", "2021-04-30", "90", "李"]],
        encoding="gbk",
    )
    _upload(page, live_server, third)
    assert page.get_by_test_id("job-status").inner_text() == "失败"
    assert "缺少必填列" in page.get_by_test_id("job-message").inner_text()
    assert _columns(page)["仪表"] == "不导入"
    screenshot(page, "import-mapping-step")
    page.get_by_label("仪表", exact=True).select_option(label="计量表编号")
    page.get_by_test_id("remap").click()
    page.wait_for_url("**/imports/jobs/*/")
    assert page.get_by_test_id("job-status").inner_text() == "已校验"
    assert _columns(page)["仪表"] == "计量表编号"
    _confirm(page)
    assert ImportMapping.objects.filter(agency=agency, kind="readings").count() == 1

    # 4. Next month, the same layout: no question asked.
    fourth = csv_file(
        tmp_path / "五月.csv",
        [header, ["E-1", "2021-05-31", "220", "李"], ["E-2", "2021-05-31", "101", "李"]],
        encoding="gbk",
    )
    _upload(page, live_server, fourth)
    assert page.get_by_test_id("job-status").inner_text() == "已校验"
    shown = _columns(page)
    assert shown["仪表"] == "计量表编号" and shown["抄表人"] == "不导入"
    screenshot(page, "import-mapping-remembered")
    _confirm(page)

    readings = Reading.objects.filter(meter__agency=agency)
    assert readings.count() == 10
    assert readings.get(meter__code="E-2", date=dt.date(2021, 5, 31)).value == Decimal(101)
