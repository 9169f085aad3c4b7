"""The scoping module: current agency, clerks' departments, role checks, the city switcher."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from agencies.models import Department, Role
from agencies.scoping import (
    SESSION_KEY,
    Scope,
    ScopedViewMixin,
    ScopeViolation,
    get_scope,
    is_scoped,
    scope_path,
    switch_agency,
    user_scope,
)
from ledger.consumables.models import Item, Purchase
from ledger.models import Meter, Reading
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory
from tests.ledger.consumables_factories import ItemFactory
from tests.ledger.factories import MeterFactory

pytestmark = pytest.mark.django_db


def _deactivate(agency):
    agency.is_active = False
    agency.save(update_fields=["is_active"])


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else {}
    return request


def test_a_clerk_sees_their_department_and_its_sub_sections_only(agency, clerk, department):
    child = DepartmentFactory(agency=agency, name="子科室", parent=department)
    sibling = DepartmentFactory(agency=agency, name="规划财务科")
    scope = get_scope(_request(clerk))
    assert scope.role == Role.CLERK
    assert scope.department_ids == {department.pk, child.pk}
    assert scope.department_allowed(child.pk) and not scope.department_allowed(sibling.pk)
    assert set(scope.departments()) == {department, child}


def test_filter_keeps_only_the_scope_agency(agency, other_agency, manager):
    from agencies.models import Department

    DepartmentFactory(agency=agency, name="A")
    DepartmentFactory(agency=other_agency, name="B")
    scope = get_scope(_request(manager))
    assert {d.name for d in scope.filter(Department.objects.all())} == {"A"}


def test_a_manager_cannot_switch_to_another_agency_by_session(agency, other_agency, manager):
    scope = get_scope(_request(manager, {SESSION_KEY: other_agency.code}))
    assert scope.agency == agency


def test_a_city_verifier_reads_any_agency_chosen_in_the_session(agency, other_agency, city_user):
    scope = get_scope(_request(city_user, {SESSION_KEY: other_agency.code}))
    assert scope.agency == other_agency and scope.role == Role.CITY
    assert not scope.can_write
    assert set(scope.agencies()) >= {agency, other_agency}


def test_a_user_without_membership_has_no_scope(db):
    from tests.factories import UserFactory

    assert get_scope(_request(UserFactory())) is None


def test_a_member_of_two_agencies_works_in_the_one_chosen(agency, other_agency, manager):
    MembershipFactory(user=manager, agency=other_agency, role=Role.LEADER)
    scope = get_scope(_request(manager, {SESSION_KEY: other_agency.code}))
    assert scope.agency == other_agency and scope.role == Role.LEADER


def test_switching_through_the_page_changes_the_agency(agency, other_agency, city_user, login):
    client = login(city_user)
    response = client.post("/agencies/switch/", {"agency": other_agency.code})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == other_agency.code
    page = client.get("/")
    assert other_agency.name in page.content.decode()


def test_switching_to_an_agency_outside_the_scope_is_refused(agency, other_agency, manager, login):
    client = login(manager)
    client.post("/agencies/switch/", {"agency": other_agency.code})
    assert client.session.get(SESSION_KEY) != other_agency.code
    assert agency.name in client.get("/").content.decode()


def test_inactive_agencies_are_not_offered(city_user):
    AgencyFactory(code="OLD", name="已撤销局", is_active=False)
    scope = get_scope(_request(city_user))
    assert "OLD" not in set(scope.agencies().values_list("code", flat=True))


# --- found by mutation testing (docs/testing.md) ------------------------------------------------


class _ManagersPage(ScopedViewMixin, View):
    scope_roles = frozenset({Role.MANAGER})

    def get(self, request, *args, **kwargs):
        scope = request.scope
        return HttpResponse(f"{self.scope.agency.code} {scope.role} {scope.user.username} {args} {kwargs}")


def test_a_class_based_view_sets_the_scope_and_refuses_other_roles(agency, manager, clerk):
    from tests.factories import UserFactory

    response = _ManagersPage.as_view()(_request(manager), "2020", quarter="Q1")
    assert response.content.decode() == "LYYB manager manager ('2020',) {'quarter': 'Q1'}"
    with pytest.raises(PermissionDenied) as refused:
        _ManagersPage.as_view()(_request(clerk))
    assert str(refused.value) == "您的角色无权访问此页面。"
    with pytest.raises(PermissionDenied) as refused:
        _ManagersPage.as_view()(_request(UserFactory()))
    assert str(refused.value) == "您的账号尚未分配到任何单位，请联系管理员。"


def test_switching_agency_keeps_the_user_and_caches_the_new_scope(agency, other_agency, city_user):
    request = _request(city_user)
    scope = switch_agency(request, other_agency.code)
    assert (scope.user, scope.agency, scope.role) == (city_user, other_agency, Role.CITY)
    assert request.session[SESSION_KEY] == other_agency.code and get_scope(request) is scope


def test_switching_is_refused_in_chinese_and_a_manager_allows_every_department(agency, other_agency, manager):
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied) as refused:
        switch_agency(_request(UserFactory()), agency.code)
    assert str(refused.value) == "您的账号尚未分配到任何单位，请联系管理员。"
    with pytest.raises(PermissionDenied) as refused:
        switch_agency(_request(manager), other_agency.code)
    assert str(refused.value) == "您无权进入该单位。"
    scope = get_scope(_request(manager))
    assert scope.department_ids is None and scope.department_allowed(12345) and scope.department_allowed(None)


@pytest.mark.parametrize("chosen", ["LYYB", "LYSJ"])
def test_a_member_of_two_agencies_works_in_the_one_chosen_whichever_sorts_first(
    agency, other_agency, manager, chosen
):
    """The session's agency wins over the first by code (LYSJ sorts before LYYB), in both directions."""
    MembershipFactory(user=manager, agency=other_agency, role=Role.LEADER)
    scope = get_scope(_request(manager, {SESSION_KEY: chosen}))
    assert (scope.agency.code, scope.role) == (chosen, Role.MANAGER if chosen == "LYYB" else Role.LEADER)
    assert get_scope(_request(manager)).agency == other_agency  # none chosen: the first by code


def test_a_deactivated_agency_gives_its_members_no_scope(agency, other_agency, manager):
    """A member of an agency that was deactivated (merged, abolished) no longer works there: with
    no other agency they have no scope; with another, they work in that one even if the session
    still names the old agency."""
    _deactivate(agency)
    assert get_scope(_request(manager)) is None
    both = UserFactory()
    MembershipFactory(user=both, agency=agency, role=Role.MANAGER)
    MembershipFactory(user=both, agency=other_agency, role=Role.LEADER)
    scope = get_scope(_request(both, {SESSION_KEY: agency.code}))
    assert (scope.agency, scope.role) == (other_agency, Role.LEADER)
    assert list(scope.agencies()) == [other_agency]


def test_a_request_that_never_passed_authentication_has_no_scope(db):
    """An error page rendered before the authentication middleware ran has no ``request.user``."""
    assert get_scope(RequestFactory().get("/")) is None


def test_a_clerks_scope_costs_the_membership_query_and_the_sections_below_theirs(
    agency, clerk, department, django_assert_num_queries
):
    """One query reads the user's memberships with their agencies and departments; the sections
    below the clerk's cost one query a level, the last finding none (here: the sub-section, then
    nothing below it). A second call on the same request reads nothing."""
    DepartmentFactory(agency=agency, name="子科室", parent=department)
    request = _request(clerk)
    with django_assert_num_queries(3):
        scope = get_scope(request)
        assert scope.department_ids is not None and len(scope.department_ids) == 2
    with django_assert_num_queries(0):
        assert get_scope(request) is scope


def test_a_city_verifier_cannot_read_a_deactivated_agency_named_in_the_session(
    agency, other_agency, city_agency, city_user
):
    """The session may still name an agency deactivated since: the verifier is back in their own."""
    _deactivate(other_agency)
    scope = get_scope(_request(city_user, {SESSION_KEY: other_agency.code}))
    assert (scope.agency, scope.role) == (city_agency, Role.CITY)


def test_an_import_confirmed_after_its_agency_was_deactivated_is_refused(agency, manager):
    """The worker rebuilds the confirming user's scope from ids (``user_scope``): once the agency
    is deactivated the user has none there, and the import is refused in Chinese."""
    from imports.services import import_scope

    assert user_scope(manager, agency).role == Role.MANAGER
    _deactivate(agency)
    assert user_scope(manager, agency) is None
    with pytest.raises(ScopeViolation) as refused:
        import_scope(agency=agency, by=manager)
    assert str(refused.value) == "您的角色不能导入这类台账。"


def test_a_scope_rebuilt_from_ids_costs_one_query_and_the_clerks_sections(
    agency, clerk, manager, department, django_assert_num_queries
):

    DepartmentFactory(agency=agency, name="子科室", parent=department)
    with django_assert_num_queries(1):
        assert user_scope(manager, agency).department_ids is None
    with django_assert_num_queries(3):  # the memberships, the sub-section, nothing below it
        scope = user_scope(clerk, agency)
        assert len(scope.department_ids) == 2 and scope.agency == agency
    assert list(scope.agencies()) == [agency]


def test_rows_named_by_id_are_checked_against_a_clerks_departments_unless_told_otherwise(
    agency, other_agency, clerk, department
):
    """How an import checks the rows its records point at (``check_ids``, e.g. the meters of new
    readings): a clerk's write may point at their own department's meter only; the agency-only
    check (``departments=False``) still refuses another agency's."""
    sibling = DepartmentFactory(agency=agency, name="规划财务科")
    own, beside = (
        MeterFactory(agency=agency, department=department),
        MeterFactory(agency=agency, department=sibling),
    )
    elsewhere = MeterFactory(agency=other_agency)
    scope = user_scope(clerk, agency)
    scope.check_ids(Meter, [own.pk, None])
    for ids, kwargs in [
        ([own.pk, beside.pk], {}),
        ([elsewhere.pk], {}),
        ([elsewhere.pk], {"departments": False}),
    ]:
        with pytest.raises(ScopeViolation) as refused:
            scope.check_ids(Meter, ids, **kwargs)
        assert str(refused.value) == "该记录不属于本单位或本科室。"
    scope.check_ids(Meter, [own.pk, beside.pk], departments=False)


def test_a_role_that_may_not_write_is_refused_before_any_row_is_named(agency, leader, city_user):
    """The leadership group reads; so does a city verifier outside verifications: ``check_ids``
    refuses them first, in Chinese, whatever the ids (none, or rows of their own agency)."""
    own = DepartmentFactory(agency=agency, name="办公室")
    for scope in (user_scope(leader, agency), get_scope(_request(city_user, {SESSION_KEY: agency.code}))):
        for ids in ([], [own.pk]):
            with pytest.raises(ScopeViolation) as refused:
                scope.check_ids(Department, ids)
            assert str(refused.value) == "您的角色无权修改数据。"


def test_the_command_lines_scope_of_one_agency_still_refuses_another_agencys_rows(
    agency, other_agency, manager, django_assert_num_queries
):
    """``Scope.system(agency)`` (an import from the command line) writes agency-wide but only in
    its agency; ``Scope.system(None)`` (city-wide defaults) reaches every agency and reads nothing
    to check. No ids, no query."""
    own, elsewhere = MeterFactory(agency=agency), MeterFactory(agency=other_agency)
    Scope.system(agency).check_ids(Meter, [own.pk])
    with pytest.raises(ScopeViolation) as refused:
        Scope.system(agency).check_ids(Meter, [own.pk, elsewhere.pk])
    assert str(refused.value) == "该记录不属于本单位或本科室。"
    with django_assert_num_queries(0):
        Scope.system(None).check_ids(Meter, [own.pk, elsewhere.pk])
    scope = user_scope(manager, agency)
    with django_assert_num_queries(0):
        scope.check_ids(Meter, [])
        scope.check_ids(Meter, [None])


def test_a_clerk_may_not_point_at_agency_wide_rows_unless_only_the_agency_is_checked(agency, clerk, manager):
    """The office-supplies catalogue (``Item``) belongs to the agency, not to a department: a
    clerk's write naming its rows is refused, in Chinese; checked for the agency only it passes,
    and an energy manager's always does."""
    item = ItemFactory(agency=agency)
    scope = user_scope(clerk, agency)
    with pytest.raises(ScopeViolation) as refused:
        scope.check_ids(Item, [item.pk])
    assert str(refused.value) == "只有能源资源管理员可以修改全机关的记录。"
    scope.check_ids(Item, [item.pk], departments=False)
    user_scope(manager, agency).check_ids(Item, [item.pk])


def test_every_refusal_of_a_write_outside_the_scope_says_why_in_chinese(
    agency, other_agency, clerk, manager, department
):
    """What the write services raise (and the pages show) when a row lies outside the scope: the
    row itself in another agency or, for a clerk, another department; a row pointing at another
    agency's meter, loaded with it or named by id only."""
    sibling = DepartmentFactory(agency=agency, name="规划财务科")
    elsewhere = MeterFactory(agency=other_agency)
    beside = MeterFactory(agency=agency, department=sibling)
    own = MeterFactory(agency=agency, department=department)
    cases = [
        (user_scope(manager, agency), elsewhere, "该记录不属于本单位。"),
        (user_scope(clerk, agency), beside, "该记录不属于本科室。"),
        (user_scope(manager, agency), Reading(meter=elsewhere), "该记录不属于本单位。"),
        (user_scope(clerk, agency), Reading(meter=beside), "该记录不属于本科室。"),
        (user_scope(manager, agency), Reading(meter_id=elsewhere.pk), "该记录不属于本单位或本科室。"),
        (user_scope(clerk, agency), Reading(meter_id=beside.pk), "该记录不属于本单位或本科室。"),
    ]
    for scope, obj, message in cases:
        with pytest.raises(ScopeViolation) as refused:
            scope.check(obj)
        assert str(refused.value) == message, obj
    user_scope(clerk, agency).check(own, Reading(meter=own), Reading(meter_id=own.pk))


def test_the_command_lines_scope_of_one_agency_refuses_another_agencys_row_and_what_points_there(
    agency, other_agency
):

    elsewhere, own = MeterFactory(agency=other_agency), MeterFactory(agency=agency)
    for obj in (elsewhere, Reading(meter=elsewhere)):
        with pytest.raises(ScopeViolation) as refused:
            Scope.system(agency).check(obj)
        assert str(refused.value) == "该记录不属于本单位。"
    Scope.system(agency).check(own, Reading(meter=own))
    Scope.system(None).check(elsewhere, Reading(meter=elsewhere), own)


def test_a_clerk_may_not_write_an_agency_wide_row(agency, clerk, manager):
    """A row without a department (the supplies catalogue) is not a clerk's to write: refused as
    not of their department, in Chinese; the energy manager writes it."""
    item = ItemFactory(agency=agency)
    with pytest.raises(ScopeViolation) as refused:
        user_scope(clerk, agency).check(item)
    assert str(refused.value) == "该记录不属于本科室。"
    user_scope(manager, agency).check(item)


def test_a_role_refused_a_managers_task_is_told_in_chinese(agency, leader, clerk, manager):
    """``require``: what the write services of targets and the registries say to anyone but the
    energy manager."""
    for user in (leader, clerk):
        with pytest.raises(PermissionDenied) as refused:
            user_scope(user, agency).require(Role.MANAGER)
        assert str(refused.value) == "您的角色无权执行此操作。"
    user_scope(manager, agency).require(Role.MANAGER)


def test_a_role_that_may_not_write_is_refused_before_any_row_is_looked_at(agency, leader, city_user):
    """``check`` as ``check_ids``: the leadership group and a city verifier outside verifications
    are refused first, in Chinese, even for a row of their own agency or none at all."""
    own = DepartmentFactory(agency=agency, name="办公室")
    for scope in (user_scope(leader, agency), get_scope(_request(city_user, {SESSION_KEY: agency.code}))):
        for objects in ((), (own,), (None,)):
            with pytest.raises(ScopeViolation) as refused:
                scope.check(*objects)
            assert str(refused.value) == "您的角色无权修改数据。"


def test_a_row_reaching_its_agency_through_an_agency_wide_row_is_not_a_clerks_and_every_row_is_checked(
    agency, other_agency, clerk, manager
):
    """A purchase belongs to its agency through the supplies catalogue's item, which no department
    owns: a clerk's purchase is refused, in Chinese; the energy manager's passes. And the agency
    itself among the rows checked does not end the check: the rows after it are checked too."""
    item = ItemFactory(agency=agency)
    with pytest.raises(ScopeViolation) as refused:
        user_scope(clerk, agency).check(Purchase(item=item))
    assert str(refused.value) == "该记录不属于本科室。"
    user_scope(manager, agency).check(Purchase(item=item))
    with pytest.raises(ScopeViolation) as refused:
        user_scope(manager, agency).check(agency, MeterFactory(agency=other_agency))
    assert str(refused.value) == "该记录不属于本单位。"


def test_every_two_step_department_path_starts_with_its_agency_paths_step():
    """``check`` finds the foreign key a row belongs through (checked against a clerk's departments)
    as the first step of its agency path and of its department path. Every model's department
    path that takes more than one step starts with the same step as its agency path (a reading's
    ``meter__department`` and ``meter__agency``); a ledger whose paths part ways would have to be
    checked as two owners, which this test asks to be looked at first."""
    paths = {model: scope_path(model) for model in apps.get_models() if is_scoped(model)}
    two_step = {m: p for m, p in paths.items() if p[1] and "__" in p[1]}
    assert {m._meta.label for m in two_step} >= {
        "ledger.Reading",
        "vehicles.FuelLog",
        "campaigns.SpotCheckPhoto",
    }
    for model, (agency_path, department_path) in two_step.items():
        assert department_path.split("__")[0] == agency_path.split("__")[0], model._meta.label
