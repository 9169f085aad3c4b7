"""Journey: the energy manager computes and publishes 2020Q4; the public sees the notice."""

import pytest
from playwright.sync_api import expect

from agencies.scoping import Scope
from reporting.targets.services import target_save
from tests.pdfs import assert_every_font_embedded, missing_glyphs, text_by_font
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, fake_indicators, write_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_publishes_the_quarter_and_the_public_reads_it(
    page, live_server, manager, agency, browser_login, screenshot
):
    with fake_indicators():
        write_year(agency, "electricity", 2019, ELECTRICITY_2019)
        write_year(agency, "electricity", 2020, ELECTRICITY_2020)
        target_save(
            scope=Scope.system(None),
            indicator="electricity",
            year=2020,
            baseline_year=2019,
            reduction_percent=3,
        )

        browser_login(page, live_server, "manager")
        page.goto(f"{live_server.url}/reporting/disclosures/")
        page.get_by_label("季度").fill("2020Q4")
        page.get_by_role("button", name="计算草稿").click()
        page.get_by_role("link", name="查看").first.click()
        # A click only starts the navigation: expect() waits for the new page, content() does not
        # (read while the navigation is under way it gives "").
        body = page.locator("body")
        expect(body).to_contain_text("26,000.00")
        expect(body).to_contain_text("达标")
        screenshot(page, "disclosure-draft")
        # Publishing renders and stores the notice PDF before it answers: wait for the new page
        # (content() read while the navigation is under way gives "").
        with page.expect_navigation():
            page.get_by_role("button", name="发布并锁定本季度").click()
        assert "已发布，本季度各月数据已锁定" in page.content()

        page.goto(f"{live_server.url}/reporting/targets/?year=2020")
        assert "达标" in page.content()
        screenshot(page, "targets-2020")

        page.context.clear_cookies()
        page.goto(f"{live_server.url}/reporting/public/")
        page.get_by_role("link", name="阅读").first.click()
        expect(body).to_contain_text(agency.name)
        expect(body).to_contain_text("26,000.00")
        path = screenshot(page, "public-notice")
        assert path.stat().st_size > 10_000

        # The posted notice as the public downloads it: every face embedded, each role in its face.
        href = page.get_by_role("link", name="公示（PDF）").get_attribute("href")
        opened = page.context.request.get(f"{live_server.url}{href}")  # the browser's own request
        assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
        pdf = opened.body()
        assert_every_font_embedded(pdf) and missing_glyphs(pdf) == {}
        drawn = {font: "".join(text.split()) for font, text in text_by_font(pdf).items()}
        assert "2020年第四季度能源资源消耗情况公示" in drawn["BousungEG-Light-GB"]  # title: Song
        assert "一、能源资源消耗情况" in drawn["WenQuanYiZenHei-0"]  # level-1 heading: Hei
        assert "26,000.00" in drawn["GBZenKai-Medium"]  # body and table: Kai, FangSong's stand-in
