"""The city verifier's one write (``Scope.check_verification``): verifications of another agency,
nothing else, never their own agency; every other role and every other write stays refused."""

from datetime import date

import pytest
from django.utils import translation

from agencies.models import Role
from agencies.scoping import ScopeViolation
from campaigns.models import ItemVerdict, Verification
from tests.campaigns.factories import CreationFactory
from tests.factories import MembershipFactory, scope_of
from tests.ledger.factories import MeterFactory

pytestmark = pytest.mark.django_db


def _verification(creation):
    return Verification(creation=creation, result="meets", verified_on=date(2021, 3, 1))


def test_the_city_verifier_may_write_a_verification_of_the_agency_they_work_in(city_user, agency):
    scope = scope_of(city_user, agency)
    assert scope.role == Role.CITY and scope.may_verify
    verification = _verification(CreationFactory(agency=agency))
    scope.check_verification(verification)
    verification.save()
    item = verification.creation.scheme.items.first()
    scope.check_verification(ItemVerdict(verification=verification, item=item, verdict="confirmed"))


def test_the_city_verifier_writes_nothing_else(city_user, agency):
    scope = scope_of(city_user, agency)
    creation = CreationFactory(agency=agency)
    with pytest.raises(ScopeViolation):
        scope.check_verification(creation)  # the self-assessment is the agency's
    with pytest.raises(ScopeViolation):
        scope.check_verification(MeterFactory.build(agency=agency))
    with pytest.raises(ScopeViolation):
        scope.check(_verification(creation))  # the general write check stays closed to the city


def test_a_verification_pointing_at_another_agency_is_refused(city_user, agency, other_agency):
    scope = scope_of(city_user, agency)
    with pytest.raises(ScopeViolation):
        scope.check_verification(_verification(CreationFactory(agency=other_agency)))


def test_an_agency_never_verifies_itself(city_user, city_agency):
    scope = scope_of(city_user, city_agency)
    assert scope.role == Role.CITY and not scope.may_verify
    with pytest.raises(ScopeViolation):
        scope.check_verification(_verification(CreationFactory(agency=city_agency)))


def test_a_city_verifier_who_also_manages_an_agency_cannot_verify_it(city_user, agency, other_agency):
    MembershipFactory(user=city_user, agency=agency, role=Role.MANAGER)
    own = scope_of(city_user, agency)
    assert own.role == Role.MANAGER and not own.may_verify
    with pytest.raises(ScopeViolation):
        own.check_verification(_verification(CreationFactory(agency=agency)))
    assert scope_of(city_user, other_agency).may_verify


@pytest.mark.parametrize("persona", ["manager", "leader", "clerk"])
def test_no_other_role_verifies(persona, request, agency):
    scope = scope_of(request.getfixturevalue(persona))
    assert not scope.may_verify
    with pytest.raises(ScopeViolation):
        scope.check_verification(_verification(CreationFactory(agency=agency)))


def test_each_refusal_of_a_verification_says_why_in_chinese(city_user, manager, agency):
    creation = CreationFactory(agency=agency)
    with pytest.raises(ScopeViolation) as not_a_verifier:
        scope_of(manager).check_verification(_verification(creation))
    with pytest.raises(ScopeViolation) as not_a_verification:
        scope_of(city_user, agency).check_verification(creation)
    with translation.override("zh-hans"):
        assert str(not_a_verifier.value) == "只有市级核查人员可以核查，且不能核查本单位。"
        assert str(not_a_verification.value) == "市级核查人员只能填写核查结果。"


def test_only_registered_models_are_verification_models():
    from agencies import scoping

    assert {Verification, ItemVerdict} == scoping._VERIFICATION_MODELS
