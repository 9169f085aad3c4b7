"""Scopes for calling the consumables services directly, as the scope helper builds them for a request."""

from agencies.models import Membership, Role
from agencies.scoping import Scope


def scope_of(user, agency, department=None) -> Scope:
    memberships = tuple(Membership.objects.filter(user=user))
    role = next(m.role for m in memberships if m.agency_id == agency.pk)
    departments = frozenset({department.pk}) if role == Role.CLERK else None
    return Scope(user, agency, role, departments, memberships)
