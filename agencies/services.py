"""Writes on agencies: yearly facts and departments, validated the same way from every entry point."""

from decimal import Decimal

from django.db import transaction

from .models import Agency, AgencyYear, Department


def agency_year_save(
    *, agency: Agency, year: int, headcount: int, building_area: Decimal, office_area: Decimal
) -> AgencyYear:
    """Create or update the agency's facts for ``year`` (用能人数, building and office area)."""
    with transaction.atomic():
        row = AgencyYear.objects.select_for_update().filter(agency=agency, year=year).first()
        if row is None:
            row = AgencyYear(agency=agency, year=year)
        row.headcount = headcount
        row.building_area = building_area
        row.office_area = office_area
        row.full_clean()
        row.save()
    return row


def department_create(*, agency: Agency, name: str, parent: Department | None = None) -> Department:
    department = Department(agency=agency, name=name.strip(), parent=parent)
    department.full_clean()
    department.save()
    return department
