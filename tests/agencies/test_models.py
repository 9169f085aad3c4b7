"""Validation of the tenancy models: positive facts, one year per agency, clerks need a department."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from agencies.models import AgencyYear, Membership, Role
from agencies.scoping import Scope
from agencies.services import agency_year_save
from tests.factories import AgencyFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_agency_year_refuses_zero_headcount_and_areas():
    agency = AgencyFactory()
    row = AgencyYear(
        agency=agency, year=2020, headcount=0, building_area=Decimal("0"), office_area=Decimal("-1")
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert {"headcount", "building_area", "office_area"} <= set(error.value.message_dict)


def test_the_database_refuses_a_non_positive_headcount_even_without_full_clean():
    agency = AgencyFactory()
    with pytest.raises(IntegrityError):
        AgencyYear.objects.create(
            agency=agency, year=2020, headcount=0, building_area=Decimal(1), office_area=Decimal(1)
        )


def test_office_area_cannot_exceed_building_area():
    agency = AgencyFactory()
    with pytest.raises(ValidationError) as error:
        agency_year_save(
            scope=Scope.system(agency),
            year=2020,
            headcount=45,
            building_area=Decimal("100"),
            office_area=Decimal("200"),
        )
    assert "office_area" in error.value.message_dict


def test_saving_a_year_twice_updates_the_one_row():
    agency = AgencyFactory()
    agency_year_save(
        scope=Scope.system(agency),
        year=2020,
        headcount=45,
        building_area=Decimal("1942.42"),
        office_area=Decimal(1024),
    )
    agency_year_save(
        scope=Scope.system(agency),
        year=2020,
        headcount=44,
        building_area=Decimal("1942.42"),
        office_area=Decimal(1024),
    )
    assert AgencyYear.objects.get(agency=agency, year=2020).headcount == 44
    assert AgencyYear.objects.filter(agency=agency).count() == 1


def test_a_clerk_membership_needs_a_department():
    membership = Membership(user=UserFactory(), agency=AgencyFactory(), role=Role.CLERK)
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError):
        membership.save()


def test_a_department_of_another_agency_cannot_be_a_members_department():
    membership = Membership(
        user=UserFactory(), agency=AgencyFactory(), role=Role.CLERK, department=DepartmentFactory()
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "department" in error.value.message_dict


def test_history_keeps_who_changed_an_agency_year():
    agency = AgencyFactory()
    row = agency_year_save(
        scope=Scope.system(agency), year=2021, headcount=45, building_area=Decimal(10), office_area=Decimal(5)
    )
    agency_year_save(
        scope=Scope.system(agency), year=2021, headcount=40, building_area=Decimal(10), office_area=Decimal(5)
    )
    assert [h.headcount for h in row.history.order_by("history_date")] == [45, 40]
