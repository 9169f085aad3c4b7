"""The city's verification (核查) and the city's view of the creation: per-item verdicts, the
overall result, never by the agency itself, and the share against the programme's goals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.models import Role
from agencies.scoping import SESSION_KEY
from campaigns.creation import services
from campaigns.creation.queries import city_overview
from campaigns.models import ItemVerdict, Stage, Verification
from reporting.models import ProgrammeGoal
from tests.campaigns.factories import CreationFactory, scored_creation
from tests.factories import AgencyFactory, MembershipFactory, scope_of

D = Decimal
TODAY = date(2021, 3, 10)

pytestmark = pytest.mark.django_db


def _entries(creation, **adjusted):
    """Confirm every item; ``code=(points or passed, comment)`` adjusts one."""
    entries = []
    for item in creation.scheme.items.all():
        if item.code.replace("-", "_") in adjusted:
            value, comment = adjusted[item.code.replace("-", "_")]
            entries.append(
                services.VerdictEntry(
                    item=item,
                    verdict="adjusted",
                    points=None if item.is_pass_fail else D(value),
                    passed=value if item.is_pass_fail else None,
                    comment=comment,
                )
            )
        else:
            entries.append(services.VerdictEntry(item=item))
    return entries


def _verify(scope, creation, result="meets", comment="", **adjusted):
    return services.verification_save(
        scope=scope,
        creation=creation,
        entries=_entries(creation, **adjusted),
        result=result,
        comment=comment,
        today=TODAY,
    )


@pytest.fixture
def city_scope(city_user, agency):
    return scope_of(city_user, agency)


def test_the_city_confirms_and_adjusts_items_and_gives_the_result(city_scope, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    verification = _verify(city_scope, creation, publicity=("8", "宣传记录不全"))
    assert verification.result == "meets" and verification.verified_by == city_scope.user
    verdicts = {v.item.code: v for v in verification.verdicts.select_related("item")}
    assert verdicts["publicity"].points == D(8) and verdicts["publicity"].verdict == "adjusted"
    assert verdicts["food"].points == D(6) and verdicts["food"].verdict == "confirmed"
    assert verdicts["targets"].passed is True and verdicts["targets"].points is None
    creation.refresh_from_db()
    assert creation.state == Stage.VERIFIED and creation.stage == Stage.ASSESSED


def test_meets_needs_the_verified_marks_to_meet(city_scope, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError) as error:
        _verify(
            city_scope, creation, publicity=("0", "无记录"), waste=("0", "无台账"), facilities=("0", "无")
        )
    assert "result" in error.value.error_dict
    with pytest.raises(ValidationError):
        _verify(city_scope, creation, targets=(False, "用水未达标"))
    assert not Verification.objects.exists()
    _verify(city_scope, creation, result="fails", targets=(False, "用水未达标"))
    assert Verification.objects.get().result == "fails"


def test_an_adjustment_needs_a_comment_and_a_mark_in_range(city_scope, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    for adjusted in ({"food": ("5", "")}, {"food": ("6.5", "超出分值")}):
        with pytest.raises(ValidationError) as error:
            _verify(city_scope, creation, **adjusted)
        assert "food" in error.value.error_dict
    assert not ItemVerdict.objects.exists()


def test_failing_marks_that_meet_needs_a_reason(city_scope, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError):
        _verify(city_scope, creation, result="fails")
    _verify(city_scope, creation, result="fails", comment="台账与原始凭证不符")


def test_only_a_submitted_self_assessment_is_verified_once(city_scope, agency):
    with pytest.raises(ValidationError):
        _verify(city_scope, scored_creation(agency))
    creation = scored_creation(agency, stage=Stage.ASSESSED, year=2021)
    _verify(city_scope, creation)
    with pytest.raises(ValidationError):
        _verify(city_scope, creation)


def test_a_verified_creation_is_final_for_the_agency(city_scope, manager_scope, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    _verify(city_scope, creation)
    creation = type(creation).objects.get(pk=creation.pk)
    with pytest.raises(ValidationError):
        services.self_assessment_reopen(scope=manager_scope, creation=creation)
    with pytest.raises(ValidationError):
        services.self_assessment_save(scope=manager_scope, creation=creation, entries=[], today=TODAY)


@pytest.mark.parametrize("persona", ["manager_scope", "leader_scope", "clerk_scope"])
def test_the_agency_does_not_verify_itself(persona, request, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    with pytest.raises(PermissionDenied):
        _verify(request.getfixturevalue(persona), creation)
    assert not Verification.objects.exists()


def test_the_city_office_never_verifies_its_own_creation(city_user, city_agency):
    creation = scored_creation(city_agency, stage=Stage.ASSESSED)
    with pytest.raises(PermissionDenied):
        _verify(scope_of(city_user, city_agency), creation)
    assert not Verification.objects.exists()


def test_a_verifier_who_is_also_the_agencys_manager_cannot_verify_it(city_user, agency):
    MembershipFactory(user=city_user, agency=agency, role=Role.MANAGER)
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    with pytest.raises(PermissionDenied):
        _verify(scope_of(city_user, agency), creation)


def test_the_city_cannot_verify_another_agency_than_the_one_it_works_in(city_scope, other_agency):
    creation = scored_creation(other_agency, stage=Stage.ASSESSED)
    with pytest.raises(PermissionDenied):
        _verify(city_scope, creation)


def test_the_city_still_cannot_score_apply_or_organise(city_scope, agency):
    creation = scored_creation(agency)
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(scope=city_scope, creation=creation, entries=[], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.application_save(
            scope=city_scope, year=2021, plan_title="方案", applied_on=date(2021, 1, 1), today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.office_save(scope=city_scope, year=2020, duties="职责")


# --- pages -------------------------------------------------------------------------------------


def _city_client(login, city_user, agency):
    client = login(city_user)
    session = client.session
    session[SESSION_KEY] = agency.code
    session.save()
    return client


def test_the_city_verifies_through_the_page(login, city_user, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    client = _city_client(login, city_user, agency)
    data = {f"{item.code}-verdict": "confirmed" for item in creation.scheme.items.all()}
    data |= {
        "food-verdict": "adjusted",
        "food-points": "3",
        "food-comment": "光盘行动仅一次",
        "result": "meets",
    }
    response = client.post(reverse("campaigns:creation_verify", args=[creation.pk]), data)
    assert response.status_code == 302
    verdict = ItemVerdict.objects.get(item__code="food")
    assert verdict.points == D(3) and verdict.comment == "光盘行动仅一次"
    page = client.get(reverse("campaigns:creation_detail", args=[creation.pk])).content.decode()
    assert "光盘行动仅一次" in page and 'data-testid="verification"' in page


def test_an_adjustment_without_a_comment_is_shown_on_its_item(login, city_user, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    data = {f"{item.code}-verdict": "confirmed" for item in creation.scheme.items.all()}
    data |= {"food-verdict": "adjusted", "food-points": "3", "result": "meets"}
    response = _city_client(login, city_user, agency).post(
        reverse("campaigns:creation_verify", args=[creation.pk]), data
    )
    assert response.status_code == 200 and not Verification.objects.exists()
    forms = {line.item.code: f for line, f in response.context["rows"]}
    assert forms["food"].non_field_errors()


def test_the_manager_cannot_open_the_verification(login, manager, agency):
    creation = scored_creation(agency, stage=Stage.ASSESSED)
    assert login(manager).get(reverse("campaigns:creation_verify", args=[creation.pk])).status_code == 403


# --- the city's view ---------------------------------------------------------------------------


def test_the_goals_are_the_programmes_70_by_2022_and_80_by_2025():
    assert {(g.year, g.share_percent) for g in ProgrammeGoal.objects.all()} == {(2022, D(70)), (2025, D(80))}


def test_the_city_view_shows_each_stage_and_the_share_against_the_goals(city_scope, agency, other_agency):
    third, fourth = AgencyFactory(code="LYTJ"), AgencyFactory(code="LYJY")
    verified = scored_creation(agency, stage=Stage.ASSESSED)
    _verify(city_scope, verified, publicity=("10", "缺两次"))
    scored_creation(other_agency, stage=Stage.ASSESSED)
    CreationFactory(agency=third)
    overview = city_overview([agency, other_agency, third, fourth], year=2020)
    rows = {r.agency.code: r for r in overview.rows}
    assert rows["LYYB"].state == Stage.VERIFIED and rows["LYYB"].result == "meets"
    assert rows["LYYB"].self_points == D(100) and rows["LYYB"].verified_points == D(98)
    assert rows["LYSJ"].state == Stage.ASSESSED and rows["LYTJ"].state == Stage.APPLIED
    assert rows["LYJY"].state == Stage.NONE and rows["LYJY"].creation is None
    assert overview.meeting == 1 and overview.share == D("25.0")
    goals = {g.goal.year: g for g in overview.goals}
    assert not goals[2022].reached and goals[2022].pending
    # a verification of 2020 still counts in 2022: three of four by then reaches 70 %
    for other in (other_agency, third):
        creation = scored_creation(other, stage=Stage.ASSESSED, year=2022)
        _verify(scope_of(city_scope.user, other), creation)
    later = city_overview([agency, other_agency, third, fourth], year=2022)
    assert later.share == D("75.0")
    goals = {g.goal.year: g for g in later.goals}
    assert goals[2022].reached and not goals[2025].reached


def test_the_city_view_reads_in_a_fixed_number_of_queries(city_scope, agency, django_assert_max_num_queries):
    agencies = [agency, *(AgencyFactory(code=f"A{i}") for i in range(6))]
    for a in agencies:
        scored_creation(a, stage=Stage.ASSESSED)
    with django_assert_max_num_queries(5):
        overview = city_overview(agencies, year=2020)
        [row.state for row in overview.rows]


def test_the_city_page_lists_every_agency_in_the_programme(
    login, city_user, agency, other_agency, city_agency
):
    scored_creation(agency, stage=Stage.ASSESSED)
    page = _city_client(login, city_user, agency).get(reverse("campaigns:creation_city") + "?year=2020")
    content = page.content.decode()
    assert page.status_code == 200
    assert agency.name in content and other_agency.name in content
    assert reverse("campaigns:creation_verify", args=[agency.creations.get().pk]) in content
