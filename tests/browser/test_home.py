"""Journey: a clerk signs in and sees their agency and role on the home page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_signs_in_and_sees_their_agency_and_role(
    page, live_server, clerk, agency, browser_login, screenshot
):
    browser_login(page, live_server, "clerk")
    assert page.get_by_test_id("home-agency").inner_text() == agency.name
    assert page.get_by_test_id("home-role").inner_text() == "录入员"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    # The page's own CSS really loaded (vendored Bootstrap): the navbar is laid out as a flex row.
    assert page.locator("nav.navbar").evaluate("el => getComputedStyle(el).display") == "flex"
    path = screenshot(page, "home-clerk")
    assert path.stat().st_size > 10_000


def test_a_clerk_switches_the_interface_to_english(page, live_server, clerk, browser_login):
    browser_login(page, live_server, "clerk")
    page.get_by_role("button", name="语言").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("home-role").inner_text() == "Clerk"
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_managers_menu_stays_on_one_line_in_chinese_and_english_down_to_1200_px(
    page, live_server, manager, browser_login
):
    """The longest menu (the manager's, with Excel 导入) at the common laptop widths: one row, no
    word broken over two lines, nothing pushed past the edge; narrower, it folds behind the button."""
    browser_login(page, live_server, "manager")

    def layout(width):
        page.set_viewport_size({"width": width, "height": 800})
        return page.evaluate(
            """() => {
                const bar = document.querySelector('nav .container-fluid');
                const toggler = document.querySelector('.navbar-toggler');
                return {height: document.querySelector('nav').getBoundingClientRect().height,
                        overflow: bar.scrollWidth - bar.clientWidth,
                        toggler: getComputedStyle(toggler).display};
            }"""
        )

    for language in ("中文", "English"):
        if language == "English":
            page.get_by_role("button", name="语言").click()
            page.get_by_role("button", name="English").click()
            page.wait_for_load_state()
        for width in (1366, 1280, 1200):
            shown = layout(width)
            assert shown["height"] < 70 and shown["overflow"] <= 0 and shown["toggler"] == "none", (
                language,
                width,
                shown,
            )
        assert layout(1100)["toggler"] != "none"
        page.set_viewport_size({"width": 1366, "height": 900})
