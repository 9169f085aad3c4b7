"""#10.7: a quarter that has not ended is neither computed nor published; what one agency saves
never changes what another agency's pages show by default."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.models import Disclosure, DisclosureStatus, PeriodLock
from reporting.periods import Quarter
from reporting.targets.queries import default_target_year
from tests.factories import scope_of
from tests.reporting.factories import DisclosureFactory, TargetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]


def _under_way() -> Quarter:
    return Quarter.containing(timezone.localdate())


def test_a_quarter_ends_on_its_last_day():
    assert Quarter(2020, 4).end == date(2020, 12, 31) and Quarter(2020, 1).end == date(2020, 3, 31)
    Quarter(2020, 4).check_ended(date(2021, 1, 1))
    with pytest.raises(ValidationError) as info:
        Quarter(2020, 4).check_ended(date(2020, 12, 31))
    assert info.value.code == "quarter_not_ended"


def test_the_refusal_names_the_day_the_quarter_can_be_published():
    # the day after its last day, in the words the manager reads
    with translation.override("en"), pytest.raises(ValidationError) as info:
        Quarter(2020, 1).check_ended(date(2020, 3, 31))
    assert info.value.messages == [
        "2020Q1 has not ended yet: it can be computed and published from 2020-04-01."
    ]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        Quarter(2020, 4).check_ended(date(2020, 10, 1))
    assert "2021-01-01" in info.value.messages[0] and "2020-12-31" not in info.value.messages[0]


def test_the_quarter_under_way_cannot_be_computed(agency):
    with pytest.raises(ValidationError) as info:
        disclosure_compute(agency=agency, quarter=_under_way())
    assert info.value.code == "quarter_not_ended"
    assert not Disclosure.objects.exists()


def test_a_draft_of_the_quarter_under_way_cannot_be_published(agency, manager):
    quarter = _under_way()
    draft = DisclosureFactory(agency=agency, year=quarter.year, quarter=quarter.number)
    with pytest.raises(ValidationError) as info:
        disclosure_publish(scope=scope_of(manager), disclosure=draft)
    assert info.value.code == "quarter_not_ended"
    draft.refresh_from_db()
    assert draft.status == DisclosureStatus.DRAFT and not PeriodLock.objects.exists()


def test_the_page_says_from_when_the_quarter_can_be_computed_and_computes_nothing(manager, login):
    quarter = _under_way()
    response = login(manager).post(
        "/reporting/disclosures/compute/", {"quarter": str(quarter)}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert f"{quarter} has not ended yet" in page
    assert not Disclosure.objects.exists()


def test_the_message_is_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as info:
            _under_way().check_ended()
        assert "尚未结束" in info.value.messages[0]


def test_the_command_refuses_the_quarter_under_way(agency):
    with pytest.raises(CommandError):
        call_command("compute_disclosures", "--quarter", str(_under_way()))
    assert not Disclosure.objects.exists()


def test_a_far_target_of_another_agency_does_not_move_this_agencys_default_year(
    agency, other_agency, manager, login
):
    TargetFactory(agency=agency, year=2020)
    TargetFactory(agency=other_agency, year=2099, baseline_year=2098)
    response = login(manager).get("/reporting/targets/")
    assert response.context["year"] == 2020
    assert 2099 not in response.context["years"] and "2099" not in response.content.decode()
    assert default_target_year(agency=other_agency) == timezone.localdate().year  # its own is to come


def test_a_target_saved_for_a_year_to_come_does_not_move_the_default_either(agency):
    TargetFactory(agency=agency, year=2020)
    TargetFactory(agency=agency, year=2099, baseline_year=2098)
    assert default_target_year(agency=agency) == 2020
