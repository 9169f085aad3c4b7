"""Journey: after ``seed_demo``, the demo bureau's energy manager completes its 2020
self-assessment — the portal fills in most of the evidence — and the city verifier verifies it."""

import re

import pytest
from playwright.sync_api import expect

from agencies.demo import DEMO_PASSWORD
from campaigns.models import Creation, ItemScore, Verification
from tests.browser.conftest import _page_in
from tests.campaigns.url_samples import pdf_upload
from tests.demo_snapshot import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    seed_demo()  # tests/demo_snapshot.py: the command, or its copy


def test_the_bureau_self_assesses_2020_and_the_city_verifies_it(
    page, chromium, live_server, browser_login, screenshot, demo, tmp_path
):
    # The manager opens the 2020 creation from the menu and attaches the plan to the application.
    browser_login(page, live_server, "manager", DEMO_PASSWORD)
    page.get_by_role("link", name="宣传与创建").first.click()
    page.get_by_role("link", name="创建", exact=True).click()
    page.get_by_test_id("creation-years").get_by_role("link", name="2020").click()
    page.get_by_role("link", name="修改申报").click()
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(pdf_upload().read())
    page.get_by_label("方案文件").set_input_files(str(plan))
    page.get_by_role("button", name="保存").click()
    assert "方案文件" in page.get_by_test_id("application").inner_text()

    # The self-assessment: the portal's evidence beside each item, most of them proposed at full points.
    page.get_by_role("link", name="自评", exact=True).click()
    form = page.get_by_test_id("assess-form")
    shown = form.locator("[data-testid=portal-evidence] .text-bg-success").count()
    assert shown >= 8, f"only {shown} of 11 items shown complete by the portal"
    assert (
        form.locator('tr[data-item="organisation"]').inner_text().count("示例人员") == 0
    )  # a summary, not names
    assert (
        form.locator('tr[data-item="organisation"] input[name="organisation-points"]').input_value() == "10.0"
    )
    # What the portal cannot show, the manager gives in words: targets (water missed) and vehicles.
    targets = form.locator('tr[data-item="targets"]')
    assert "未达标" in targets.inner_text()
    targets.locator("select").select_option("no")
    vehicles = form.locator('tr[data-item="vehicles"]')
    vehicles.locator("input").fill("8")
    vehicles.locator("textarea").fill("公务用车登记、派单和节假日封存制度见附件；油耗台账为纸质台账。")
    screenshot(page, "creation-self-assessment")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("自评已保存")  # waits for the answer to the POST
    page.get_by_role("button", name="提交核查").click()
    expect(page.get_by_test_id("stage")).to_have_text(re.compile(r"^\s*已自评"))  # the new page's
    creation = Creation.objects.get(agency__code="LYYB", year=2020)
    assert ItemScore.objects.filter(creation=creation).count() == 11
    kept = ItemScore.objects.filter(creation=creation, portal_evidence__found=True).count()
    assert kept >= 9  # the plan attached: ten of eleven with the portal's evidence, only vehicles without

    # The city verifier: the city view, then the bureau's verification.
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    city, errors = _page_in(context)
    browser_login(city, live_server, "city", DEMO_PASSWORD)
    city.get_by_role("link", name="宣传与创建").first.click()
    city.get_by_role("link", name="全市创建情况").click()
    row = city.locator('[data-testid=city-creations] tr[data-agency="LYYB"]')
    assert "已自评" in row.inner_text()
    assert "达到创建要求" in city.locator('[data-testid=city-creations] tr[data-agency="LYSJ"]').inner_text()
    row.get_by_role("button", name="核查").click()
    verify = city.get_by_test_id("verify-form")
    adjust = verify.locator('tr[data-item="vehicles"]')
    adjust.locator('select[name="vehicles-verdict"]').select_option("adjusted")
    adjust.locator('input[name="vehicles-points"]').fill("6")
    adjust.locator('textarea[name="vehicles-comment"]').fill("未见单车油耗核算记录。")
    city.get_by_label("结论").select_option("fails")
    city.get_by_label("意见").last.fill("2020年人均用水量未完成下降3%的目标，暂未达到创建要求。")
    screenshot(city, "creation-verification")
    city.get_by_role("button", name="保存核查结果").click()
    expect(city.locator("body")).to_contain_text("核查结果已保存")  # waits for the new page
    assert "未达到创建要求" in city.get_by_test_id("verification").inner_text()
    verification = Verification.objects.get(creation=creation)
    assert verification.result == "fails" and verification.verdicts.get(item__code="vehicles").points == 6
    context.close()
    assert not errors, errors

    # Back at the bureau: the verification is on its page, and the self-assessment is final.
    page.reload()
    assert "未见单车油耗核算记录" in page.content()
    assert page.get_by_role("button", name="撤回自评").count() == 0
