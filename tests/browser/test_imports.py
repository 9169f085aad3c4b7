"""Journeys: a manager imports a real-looking ledger in one go, and sees every error of a broken one."""

import pytest

from agencies.models import AgencyYear
from tests.imports.conftest import years_rows
from tests.imports.files import csv_file, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"


def _open_import_page(page, live_server, browser_login):
    browser_login(page, live_server, "manager")
    page.get_by_role("link", name="Excel 导入").first.click()
    page.wait_for_url(f"{live_server.url}/imports/")


def test_a_manager_imports_a_ledger_with_title_rows_in_one_go(
    page, live_server, manager, agency, browser_login, screenshot, tmp_path
):
    path = xlsx(
        tmp_path / "机关基本情况2021.xlsx",
        years_rows(
            [2021, 44, "1,942.42", "１０２４"],
            [2022, 43, 1942.42, 1024],
            [None] * 4,
            ["合计", 87, None, None],
        ),
        title="临沂市医疗保障局 用能人数及面积统计表",
        merge_title_over=4,
    )
    _open_import_page(page, live_server, browser_login)
    page.get_by_label("文件内容").select_option("agency_years")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/jobs/*/")
    assert "所有行均有效：新增 2 条" in page.get_by_test_id("confirm-form").inner_text()
    assert page.get_by_test_id("job-preview").locator("tbody tr").count() == 2
    screenshot(page, "import-preview")
    page.get_by_role("button", name="确认并写入").click()
    page.wait_for_url("**/imports/jobs/*/")
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert "新增 2 条，更新 0 条，未变 0 条。" in page.get_by_test_id("job-message").inner_text()
    assert AgencyYear.objects.get(agency=agency, year=2021).office_area == 1024
    screenshot(page, "import-done")


def test_a_manager_sees_every_error_of_a_broken_ledger_and_nothing_is_written(
    page, live_server, manager, agency, browser_login, screenshot, tmp_path
):
    path = csv_file(
        tmp_path / "broken.csv",
        years_rows(
            ["2021", "四十四", "1942.42", "1024"], ["2022", "43", "1942.42", "3000"], ["2023", "", "1", "1"]
        ),
        encoding="gbk",
    )
    _open_import_page(page, live_server, browser_login)
    page.get_by_label("文件内容").select_option("agency_years")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/jobs/*/")
    errors = page.get_by_test_id("job-errors").locator("tbody tr")
    assert errors.count() == 3
    assert errors.nth(0).inner_text().split("\t") == ["2", "用能人数", "“四十四”不是整数。"]
    assert errors.nth(1).inner_text().startswith("3\t办公面积(㎡)\t")
    assert errors.nth(2).inner_text().split("\t") == ["4", "用能人数", "此项必填。"]
    assert page.get_by_role("button", name="确认并写入").count() == 0
    assert not AgencyYear.objects.filter(agency=agency, year__gte=2021).exists()
    screenshot(page, "import-errors")


@pytest.mark.real_worker
def test_a_large_file_shows_progress_and_then_the_preview(
    page, live_server, real_worker, manager, agency, browser_login, settings, tmp_path
):
    settings.IMPORT_BACKGROUND_ROWS = 10
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(*[[str(2000 + n), "44", "1942.42", "1024"] for n in range(50)]),
    )
    _open_import_page(page, live_server, browser_login)
    page.get_by_label("文件内容").select_option("agency_years")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/imports/jobs/*/")
    # htmx polls the progress every second and reloads the page once the worker is done.
    page.get_by_test_id("confirm-form").wait_for(timeout=60_000)
    assert "新增 48 条，更新 2 条" in page.get_by_test_id("confirm-form").inner_text()
    page.get_by_role("button", name="确认并写入").click()
    page.get_by_test_id("job-message").wait_for(timeout=60_000)
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert AgencyYear.objects.filter(agency=agency).count() == 50
