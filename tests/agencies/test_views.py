"""Home page, login, the agency profile forms."""

import pytest

from agencies.models import AgencyYear

pytestmark = pytest.mark.django_db


def test_home_shows_the_agency_and_the_role_in_chinese(clerk, agency, login):
    page = login(clerk).get("/").content.decode()
    assert agency.name in page and "录入员" in page
    assert '<html lang="zh-CN">' in page


def test_english_is_switchable_and_really_shows(clerk, login):
    client = login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Clerk" in page and "You are working in" in page


def test_anonymous_users_are_sent_to_the_chinese_login_page(db, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_a_user_signs_in_with_the_form(manager, client):
    response = client.post("/accounts/login/", {"username": "manager", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert "能源资源管理员" in client.get("/").content.decode()


def test_repeated_failed_logins_lock_the_account(manager, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "manager", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


def test_a_manager_saves_a_year_and_a_bad_value_is_explained(manager, agency, login):
    client = login(manager)
    bad = client.post(
        "/agencies/profile/years/",
        {"year": 2021, "headcount": 0, "building_area": "1942.42", "office_area": "1024"},
    )
    assert bad.status_code == 400
    assert "确保该值大于或等于1" in bad.content.decode()
    assert not AgencyYear.objects.filter(agency=agency, year=2021).exists()
    ok = client.post(
        "/agencies/profile/years/",
        {"year": 2021, "headcount": 44, "building_area": "1942.42", "office_area": "1024"},
    )
    assert ok.status_code == 302
    assert AgencyYear.objects.get(agency=agency, year=2021).headcount == 44


def test_a_manager_corrects_an_existing_year(manager, agency, login):
    login(manager).post(
        "/agencies/profile/years/",
        {"year": 2020, "headcount": 47, "building_area": "1942.42", "office_area": "1024"},
    )
    assert AgencyYear.objects.get(agency=agency, year=2020).headcount == 47
