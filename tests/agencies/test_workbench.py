"""The home page of each role (工作台): to-dos and panels from what the apps register."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import workbench
from agencies.models import Role
from agencies.workbench import Panel, Todo, TodoSource
from imports.models import ImportJob, ImportStatus
from tests.factories import scope_of
from tests.ledger.factories import MeterFactory, ReadingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def temporary():
    keys = []

    def _register(item):
        (workbench.register_todo if isinstance(item, TodoSource) else workbench.register_panel)(item)
        keys.append(item.key)
        return item

    yield _register
    for key in keys:
        workbench.unregister(key)


def test_a_registered_to_do_reaches_only_its_roles_worst_first(temporary, clerk, leader):
    temporary(
        TodoSource(
            "test.refused",
            frozenset({Role.CLERK}),
            lambda scope, today: [
                Todo("an info", "/info/", "info"),
                Todo("a refused requisition", "/requisitions/7/", "danger"),
            ],
            order=1,
        )
    )
    today = timezone.localdate()
    mine = [t for t in workbench.todos_for(scope_of(clerk), today) if t.key == "test.refused"]
    assert [t.message for t in mine] == ["a refused requisition", "an info"]
    assert not [t for t in workbench.todos_for(scope_of(leader), today) if t.key == "test.refused"]


def test_the_home_page_shows_a_ledger_it_does_not_know_by_name(temporary, clerk, login):
    temporary(
        TodoSource(
            "test.refused",
            frozenset({Role.CLERK}),
            lambda scope, today: [Todo("申领单 No.7 被退回：超出本月定额", "/requisitions/7/", "danger", 1)],
        )
    )
    temporary(
        Panel("test.panel", frozenset({Role.CLERK}), "agencies/profile.html", lambda scope, today: None)
    )
    html = login(clerk).get(reverse("home")).content.decode()
    assert 'href="/requisitions/7/"' in html and "申领单 No.7 被退回" in html
    assert "工作台" in html


def test_a_clerk_sees_this_months_round_of_their_own_meters(
    clerk, agency, department, other_department, login
):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    mine = [MeterFactory(agency=agency, department=department, code=f"B-{i}") for i in range(3)]
    MeterFactory(agency=agency, department=other_department, code="CW-1")  # another section's
    for meter in mine:
        ReadingFactory(meter=meter, date=last_month_end, value=Decimal(100))
    ReadingFactory(meter=mine[0], date=today, value=Decimal(120))

    todos = {t.key: t for t in workbench.todos_for(scope_of(clerk), today)}
    assert todos["ledger.round"].count == 2 and todos["ledger.round"].url == reverse("ledger:round")
    assert "3块表中还有2块未抄" in todos["ledger.round"].message
    html = login(clerk).get(reverse("home")).content.decode()
    assert 'data-testid="panel-round"' in html and "CW-1" not in html
    assert html.count('data-read="0"') == 2 and html.count('data-read="1"') == 1


def test_last_months_unread_meters_link_to_the_round_on_that_month(clerk, agency, department):
    today = timezone.localdate()
    meter = MeterFactory(agency=agency, department=department, code="B-1", installed_on=date(2019, 1, 1))
    two_months_ago = (today.replace(day=1) - timedelta(days=32)).replace(day=28)
    ReadingFactory(meter=meter, date=two_months_ago, value=Decimal(100))
    todos = workbench.todos_for(scope_of(clerk), today)
    missed = next(t for t in todos if t.level == "danger")
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert missed.url == f"{reverse('ledger:round')}?date={last_month_end:%Y-%m-%d}"
    assert todos[0] == missed  # worst first


def test_a_manager_sees_a_refused_import_until_it_is_redone(manager, agency):
    today = timezone.localdate()
    job = ImportJob.objects.create(
        agency=agency,
        kind="readings",
        original_filename="抄表.xlsx",
        status=ImportStatus.VALIDATED,
        error_count=3,
    )
    todos = [t for t in workbench.todos_for(scope_of(manager), today) if t.key == "imports.failed"]
    assert len(todos) == 1 and "3行有错误" in todos[0].message
    assert todos[0].url == reverse("imports:job_detail", args=[job.pk])
    ImportJob.objects.create(
        agency=agency, kind="readings", original_filename="抄表.xlsx", status=ImportStatus.DONE
    )
    assert not [t for t in workbench.todos_for(scope_of(manager), today) if t.key == "imports.failed"]


def test_another_agencys_refused_import_is_not_mine(manager, other_agency):
    ImportJob.objects.create(
        agency=other_agency, kind="readings", original_filename="x.xlsx", status=ImportStatus.FAILED
    )
    todos = workbench.todos_for(scope_of(manager), timezone.localdate())
    assert not [t for t in todos if t.key == "imports.failed"]
