"""The one place that decides who may see what: the request's agency, role and departments.

Every view states its roles with ``@scope_required(...)`` (or ``ScopedViewMixin``) and reads
data only through ``request.scope`` — ``scope.filter(Meter.objects).get(pk=pk)`` — so an id
from another agency is simply not found (404) and a missing role is 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Agency, Department, Membership, Role

SESSION_KEY = "agencies.current_agency"
ALL_ROLES = frozenset(Role.values)
WRITE_ROLES = frozenset({Role.CLERK, Role.MANAGER})
READ_ROLES = ALL_ROLES


class ScopeViolation(PermissionDenied):
    """A write service was handed an object outside the caller's scope (views answer 403)."""


@dataclass(frozen=True)
class Scope:
    """What one signed-in user may touch in the agency they are working in."""

    user: object
    agency: Agency
    role: str
    department_ids: frozenset[int] | None  # None: every department of the agency
    memberships: tuple[Membership, ...] = field(default=(), repr=False)
    is_system: bool = False  # see Scope.system()

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

    # --- the city verifier's one write: the verification (核查) of the creation workflow ---------

    @property
    def may_verify(self) -> bool:
        """A city verifier working in an agency that is not one of their own: an agency never
        verifies itself, and no other role verifies at all."""
        return (
            self.role == Role.CITY
            and not self.is_system
            and all(m.agency_id != self.agency.pk for m in self.memberships)
        )

    def check_verification(self, *objects: models.Model | None) -> None:
        """The one write a city verifier may make: rows of the models registered with
        ``register_verification_models`` (and nothing else), in the agency they are verifying,
        pointing only inside it — the same checks as ``check`` for any other write."""
        if not self.may_verify:
            raise ScopeViolation(_("Only a city verifier verifies, and never their own agency."))
        for obj in objects:
            if obj is not None and type(obj) not in _VERIFICATION_MODELS:
                raise ScopeViolation(_("A city verifier writes only verifications."))
        replace(self, role=Role.MANAGER, department_ids=None).check(*objects)

    # --- the second line of defence: write services check what they write and point at ---------

    @classmethod
    def system(cls, agency: Agency | None) -> Scope:
        """The scope of trusted callers without a signed-in user: the command line, the demo
        seeders, Celery tasks that carry only ids, benchmarks. Agency-wide, may write; with
        ``agency=None`` (city-wide defaults, e.g. default targets) every agency is in scope."""
        return cls(user=None, agency=agency, role=Role.MANAGER, department_ids=None, is_system=True)

    def check(self, *objects: models.Model | None) -> None:
        """Assert that every object lies in this scope; raise ``ScopeViolation`` otherwise.

        Every write service calls it for each object it writes *and* each object it points at,
        whatever the form or view did before. An object lies in the scope when:
        - its agency (found through ``scope_path``) is the scope's agency, and every foreign key it
          holds to an agency-owned model points inside the scope too (a bill's meter, a meter's
          parent and department);
        - for a clerk: its department is one of the clerk's departments (rows without a
          department — agency-wide rows — are not a clerk's to write);
        - a saved object is also checked as stored, so a row of another agency that was loaded
          and then re-pointed in memory is still refused.
        The caller must be allowed to write at all (clerk, manager or a system scope).
        ``None`` entries are skipped (an optional foreign key left empty).
        """
        if not (self.can_write or self.is_system):
            raise ScopeViolation(_("Your role may not change data."))
        if self.is_system and self.agency is None:
            return
        stored: dict[tuple[type, bool], set] = {}
        checked: set[tuple[int, bool]] = set()  # related objects already checked (bulk writes share them)
        for obj in objects:
            if obj is None:
                continue
            model = type(obj)
            agency_path, department_path = scope_path(model)
            if "__" not in agency_path:  # its own agency (and department) are fields of its own
                self._check_location(obj)
            if model is Agency:
                continue
            # The row it belongs through (a reading's meter) must be in the clerk's departments too;
            # other pointers (a meter's parent meter) must stay in the agency.
            owners = {agency_path.split("__")[0], (department_path or "").split("__")[0]}
            for fk in _scoped_foreign_keys(model):
                departments = fk.name in owners and fk.related_model is not Agency
                target = fk.get_cached_value(obj, None)
                if target is not None:
                    if (id(target), departments) not in checked:
                        checked.add((id(target), departments))
                        self._check_location(target, departments=departments)
                    continue
                target_id = getattr(obj, fk.attname)
                if target_id is None:
                    continue
                if fk.related_model is Agency:
                    if target_id != self.agency.pk:
                        raise ScopeViolation(_("This record does not belong to your agency."))
                else:
                    stored.setdefault((fk.related_model, departments), set()).add(target_id)
            if obj.pk is not None:
                stored.setdefault((model, True), set()).add(obj.pk)
        for (related, departments), ids in stored.items():
            self.check_ids(related, ids, departments=departments)

    def check_ids(self, model: type[models.Model], ids: Iterable[int], *, departments: bool = True) -> None:
        """Assert that every row of ``model`` with these ids lies in this scope (one query);
        ``departments=False`` checks the agency only, not a clerk's departments."""
        if not (self.can_write or self.is_system):
            raise ScopeViolation(_("Your role may not change data."))
        ids = {i for i in ids if i is not None}
        if not ids or (self.is_system and self.agency is None):
            return
        agency_path, department_path = scope_path(model)
        inside = model._default_manager.filter(pk__in=ids, **{agency_path: self.agency.pk})
        if departments and self.department_ids is not None:
            if department_path is None:
                raise ScopeViolation(_("Only an energy manager may change agency-wide records."))
            inside = inside.filter(**{f"{department_path}__in": self.department_ids})
        if inside.count() != len(ids):
            raise ScopeViolation(_("This record does not belong to your agency or department."))

    def _check_location(self, obj: models.Model, *, departments: bool = True) -> None:
        # Only ``check`` calls it, after letting a city-wide system scope through.
        agency_path, department_path = scope_path(type(obj))
        agency_id = _follow(obj, agency_path)
        if agency_id != self.agency.pk:
            raise ScopeViolation(_("This record does not belong to your agency."))
        if departments and self.department_ids is not None and not isinstance(obj, Agency):
            department_id = _follow(obj, department_path) if department_path else None
            if department_id not in self.department_ids:
                raise ScopeViolation(_("This record does not belong to your department."))


_VERIFICATION_MODELS: set[type[models.Model]] = set()


def register_verification_models(*models_: type[models.Model]) -> None:
    """The models of the creation workflow's verification (核查): the only rows a city verifier
    may write (``Scope.check_verification``). The app that owns them registers them in ``ready()``."""
    _VERIFICATION_MODELS.update(models_)


def scope_path(model: type[models.Model]) -> tuple[str, str | None]:
    """How rows of ``model`` reach their agency and department, as lookups: ("meter__agency",
    "meter__department"). Declared on the model as ``scope_path = (agency, department)`` or found
    from a foreign key to Agency (and one to Department), or through the one foreign key to an
    agency-owned model. Raises ImproperlyConfigured when a model cannot say where it belongs."""
    return _scope_paths().get(model) or _undeclared(model)


def is_scoped(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` belong to an agency (so a write must check them)."""
    return model in _scope_paths()


def _undeclared(model):
    raise ImproperlyConfigured(
        f"{model._meta.label} does not say which agency its rows belong to: give it a foreign key "
        "to Agency, or declare scope_path = ('<lookup to the agency>', '<lookup to the department>"
        " or None') on the model (docs/architecture.md, 'Writes check scope')."
    )


_PATHS: dict[type, tuple[str, str | None]] | None = None


def _scope_paths() -> dict[type, tuple[str, str | None]]:
    global _PATHS
    if _PATHS is None:
        from django.apps import apps

        paths: dict[type, tuple[str, str | None]] = {Agency: ("pk", None), Department: ("agency", "pk")}
        pending = [m for m in apps.get_models() if m not in paths]
        for model in pending:
            declared = getattr(model, "scope_path", None)
            if declared:
                paths[model] = tuple(declared)
                continue
            fks = [f for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
            agency = [f for f in fks if f.related_model is Agency]
            department = [f for f in fks if f.related_model is Department]
            if len(agency) == 1 or any(f.name == "agency" for f in agency):
                field = next(f for f in agency if len(agency) == 1 or f.name == "agency")
                dep = department[0].name if len(department) == 1 else None
                paths[model] = (field.name, dep)
        # Rows that reach their agency through one agency-owned row (a reading through its meter).
        changed = True
        while changed:
            changed = False
            for model in pending:
                if model in paths or getattr(model, "scope_path", None):
                    continue
                fks = [
                    f
                    for f in model._meta.concrete_fields
                    if f.is_relation
                    and f.many_to_one
                    and f.related_model in paths
                    and f.related_model is not model
                ]
                if len(fks) == 1:
                    agency_path, department_path = paths[fks[0].related_model]
                    hop = fks[0].name
                    paths[model] = (
                        hop if agency_path == "pk" else f"{hop}__{agency_path}",
                        None
                        if department_path is None
                        else (hop if department_path == "pk" else f"{hop}__{department_path}"),
                    )
                    changed = True
        _PATHS = paths
    return _PATHS


_FOREIGN_KEYS: dict[type, list] = {}


def _scoped_foreign_keys(model: type[models.Model]) -> list:
    """The model's foreign keys to agency-owned models (not to users, say)."""
    if model not in _FOREIGN_KEYS:
        paths = _scope_paths()
        _FOREIGN_KEYS[model] = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.many_to_one and f.related_model in paths
        ]
    return _FOREIGN_KEYS[model]


def _follow(obj: models.Model, path: str):
    """The id at the end of ``path`` (``meter__agency`` → obj.meter.agency_id); every path ends
    in a foreign key or is ``pk`` (``_scope_paths``)."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(last).attname)


def _descendant_ids(department_id: int) -> frozenset[int]:
    """The department and every section below it (a query a level, the last finding none)."""
    ids = {department_id}
    frontier = [department_id]
    while frontier:
        frontier = list(Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return frozenset(ids)


def _scope_for(user, agency: Agency, memberships: Iterable[Membership]) -> Scope | None:
    memberships = tuple(memberships)
    own = next((m for m in memberships if m.agency_id == agency.pk), None)
    if own is not None and own.role != Role.CITY:
        # a clerk always has a department (the constraint membership_clerk_has_department)
        departments = _descendant_ids(own.department_id) if own.role == Role.CLERK else None
        return Scope(user, agency, own.role, departments, memberships)
    if any(m.role == Role.CITY for m in memberships):
        # A city verifier reads every agency and writes only verifications (check_verification).
        return Scope(user, agency, Role.CITY, None, memberships)
    return None


def user_scope(user, agency: Agency) -> Scope | None:
    """The scope ``user`` has in ``agency`` now (None: none) — for work that carries only ids,
    such as a Celery task committing an import for the user who confirmed it. One query for the
    memberships (a scope reads their ids only), and a clerk's sections below their own."""
    memberships = Membership.objects.filter(user=user, agency__is_active=True)
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
            .select_related("agency")  # the agencies chosen between by code
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
