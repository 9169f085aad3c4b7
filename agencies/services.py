"""Writes on agencies: yearly facts and departments, validated the same way from every entry point.

Like every write service, each takes the caller's ``scope`` and checks what it writes and points
at (``Scope.check``) before anything else.
"""

from decimal import Decimal

from django.db import transaction

from .models import Agency, AgencyYear, Department, Role
from .scoping import Scope


def agency_year_save(
    *, scope: Scope, year: int, headcount: int, building_area: Decimal, office_area: Decimal
) -> AgencyYear:
    """Create or update the agency's facts for ``year`` (用能人数, building and office area)."""
    scope.require(Role.MANAGER)
    agency = scope.agency
    scope.check(agency)
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


def department_create(*, scope: Scope, name: str, parent: Department | None = None) -> Department:
    scope.require(Role.MANAGER)
    department = Department(agency=scope.agency, name=name.strip(), parent=parent)
    scope.check(department)
    department.full_clean()
    department.save()
    return department


def agency_notice_save(
    *,
    scope: Scope,
    plan_title: str,
    plan_number: str,
    notice_contact: str,
    notice_phone: str,
    notice_days: int,
) -> Agency:
    """Save what the agency's notices name: the creation plan (the basis), whom to tell of an
    objection and how long a notice is posted (公示期)."""
    scope.require(Role.MANAGER)
    agency = scope.agency
    scope.check(agency)
    agency.plan_title = plan_title.strip().strip("《》")
    agency.plan_number = plan_number.strip()
    agency.notice_contact = notice_contact.strip()
    agency.notice_phone = notice_phone.strip()
    agency.notice_days = notice_days
    agency.full_clean()
    agency.save(update_fields=["plan_title", "plan_number", "notice_contact", "notice_phone", "notice_days"])
    return agency
