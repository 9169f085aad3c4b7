"""The one place that decides who may see what: the request's agency, role and departments.

Every view states its roles with ``@scope_required(...)`` (or ``ScopedViewMixin``) and reads
data only through ``request.scope`` — ``scope.filter(Meter.objects).get(pk=pk)`` — so an id
from another agency is simply not found (404) and a missing role is 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Agency, Department, Membership, Role

SESSION_KEY = "agencies.current_agency"
ALL_ROLES = frozenset(Role.values)
WRITE_ROLES = frozenset({Role.CLERK, Role.MANAGER})
READ_ROLES = ALL_ROLES


@dataclass(frozen=True)
class Scope:
    """What one signed-in user may touch in the agency they are working in."""

    user: object
    agency: Agency
    role: str
    department_ids: frozenset[int] | None  # None: every department of the agency
    memberships: tuple[Membership, ...] = field(default=(), repr=False)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_city(self) -> bool:
        return any(m.role == Role.CITY for m in self.memberships)

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def require(self, *roles: str) -> None:
        if not self.has_role(*roles):
            raise PermissionDenied(_("Your role may not do this."))

    def agencies(self) -> QuerySet[Agency]:
        """Agencies this user may switch to: every agency for a city verifier, else their own."""
        if self.is_city:
            return Agency.objects.filter(is_active=True)
        return Agency.objects.filter(pk__in=[m.agency_id for m in self.memberships])

    def departments(self) -> QuerySet[Department]:
        qs = Department.objects.filter(agency=self.agency)
        if self.department_ids is not None:
            qs = qs.filter(pk__in=self.department_ids)
        return qs

    def filter(
        self,
        queryset: QuerySet,
        *,
        agency_field: str = "agency",
        department_field: str | None = None,
    ) -> QuerySet:
        """Restrict a queryset to this agency and, for clerks, to their departments.

        ``department_field`` names the row's department; rows without one (agency-wide rows)
        stay visible to clerks for reading but never pass ``department_allowed`` for writing.
        """
        queryset = queryset.filter(**{agency_field: self.agency})
        if department_field and self.department_ids is not None:
            queryset = queryset.filter(**{f"{department_field}__in": self.department_ids})
        return queryset

    def department_allowed(self, department_id: int | None) -> bool:
        if self.department_ids is None:
            return True
        return department_id in self.department_ids

    def with_agency(self, agency: Agency) -> Scope:
        return _scope_for(self.user, agency, self.memberships)


def _descendant_ids(department: Department) -> frozenset[int]:
    ids = {department.pk}
    frontier = [department.pk]
    while frontier:
        frontier = list(Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return frozenset(ids)


def _scope_for(user, agency: Agency, memberships: Iterable[Membership]) -> Scope | None:
    memberships = tuple(memberships)
    own = next((m for m in memberships if m.agency_id == agency.pk), None)
    if own is not None and own.role != Role.CITY:
        departments = _descendant_ids(own.department) if own.role == Role.CLERK else None
        return Scope(user, agency, own.role, departments, memberships)
    if any(m.role == Role.CITY for m in memberships):
        # A city verifier reads every agency, never writes.
        return Scope(user, agency, Role.CITY, None, memberships)
    return None


def scope_for(user, agency: Agency) -> Scope | None:
    """The scope of ``user`` in ``agency`` outside a request (an import run by a worker)."""
    memberships = Membership.objects.filter(user=user, agency__is_active=True).select_related(
        "agency", "department"
    )
    return _scope_for(user, agency, memberships)


def get_scope(request: HttpRequest) -> Scope | None:
    """The scope of the request's user, cached on the request; None if they have no agency."""
    if hasattr(request, "_scope_cache"):
        return request._scope_cache
    scope = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        memberships = tuple(
            Membership.objects.filter(user=user, agency__is_active=True)
            .select_related("agency", "department")
            .order_by("agency__code")
        )
        if memberships:
            code = request.session.get(SESSION_KEY)
            agency = None
            if code:
                agency = next((m.agency for m in memberships if m.agency.code == code), None)
                if agency is None and any(m.role == Role.CITY for m in memberships):
                    agency = Agency.objects.filter(code=code, is_active=True).first()
            if agency is None:
                agency = memberships[0].agency
            scope = _scope_for(user, agency, memberships)
    request._scope_cache = scope
    return scope


def switch_agency(request: HttpRequest, code: str) -> Scope:
    """Make ``code`` the request's agency if the user may work there; 404-like refusal otherwise."""
    scope = get_scope(request)
    if scope is None:
        raise PermissionDenied(_("Your account is not assigned to any agency."))
    agency = scope.agencies().filter(code=code).first()
    if agency is None:
        raise PermissionDenied(_("You may not work in that agency."))
    request.session[SESSION_KEY] = agency.code
    new_scope = scope.with_agency(agency)
    request._scope_cache = new_scope
    return new_scope


def scope_required(*roles: str) -> Callable:
    """View decorator: sets ``request.scope`` and refuses (403) roles not listed (none = all)."""
    allowed = frozenset(roles) or ALL_ROLES

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            scope = get_scope(request)
            if scope is None:
                raise PermissionDenied(_("Your account is not assigned to any agency."))
            if scope.role not in allowed:
                raise PermissionDenied(_("Your role may not open this page."))
            request.scope = scope
            return view(request, *args, **kwargs)

        wrapper.scope_roles = allowed
        return wrapper

    return decorator


class ScopedViewMixin:
    """Class-based views: ``scope_roles = {Role.MANAGER}``; sets ``self.scope``."""

    scope_roles: frozenset[str] = ALL_ROLES

    def dispatch(self, request, *args, **kwargs):
        scope = get_scope(request)
        if scope is None:
            raise PermissionDenied(_("Your account is not assigned to any agency."))
        if scope.role not in self.scope_roles:
            raise PermissionDenied(_("Your role may not open this page."))
        request.scope = self.scope = scope
        return super().dispatch(request, *args, **kwargs)


def public_view(view: Callable) -> Callable:
    """Marks a page anyone may open without signing in (public disclosure pages)."""
    view = login_not_required(view)
    view.is_public = True
    return view
