"""The hostile walk's machinery: which parameters a view reads, hostile values, invalid rows.

A view's parameters are found once per route and role, by a request with no query string: every
key the view asks ``request.GET`` for (``RecordingMiddleware`` swaps in a ``QueryDict`` that notes
each key read — django-filter and django-tables2 read theirs the same way) and every field of a
form bound during the request (a form bound to defaults when the query string is empty). A POST
endpoint's fields are its POST sample's (tests/writewalk.py) and its bound forms' fields. Each
parameter then receives each of ``HOSTILE`` in turn, one parameter at a time — not the cross
product — and each request runs in a savepoint rolled back afterwards, so one sample serves all.
"""

from __future__ import annotations

import math
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.http import QueryDict

# One value of each kind the issue names (#10.6): negative, zero, huge, not a number, NaN and
# Infinity, dates out of range, 10,000 characters, NUL and control characters, the characters an
# Excel sheet title cannot hold. A parameter read by hand (``request.GET.get``, a POST parsed
# without a form) gets every one; a form field gets those aimed at its type — a number field the
# numbers, a text field the texts — since its form refuses the rest before any view code runs.
NUMBERS = ("-1", "0", "99999999999999999999999", "1e400", "NaN", "-Infinity")
DATES = ("-1", "0001-01-01", "9999-12-31", "2020-02-30")
TEXTS = ("x" * 10_000, "a\x00\x01\x1b\x7fb", "[]:*?/\\")
CHOICES = ("-1", "99999999999999999999999", "a\x00b")
HOSTILE: tuple[str, ...] = (*NUMBERS, *DATES[1:3], "2020Q9", *TEXTS)


def hostile_values(field: forms.Field | None) -> tuple[str, ...]:
    """The values to send a parameter: every one if it is read by hand (``field`` None)."""
    if field is None:
        return HOSTILE
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return ("abc",)
    if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
        return CHOICES
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return DATES
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return NUMBERS
    if isinstance(field, forms.CharField):
        return TEXTS
    return HOSTILE


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SANE_YEARS = range(1900, 2101)

_seen = threading.local()


class RecordingQueryDict(QueryDict):
    """A query string that notes every key a view asks it for."""

    def _note(self, key):
        keys = getattr(_seen, "keys", None)
        if keys is not None and isinstance(key, str):
            keys.setdefault(key, None)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


class RecordingMiddleware:
    """Test-only (added by the walk's fixture): the request's GET notes the keys read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        return self.get_response(request)


@contextmanager
def recording():
    """Yield the parameters read during the block: {name: form field, or None for a GET key read
    by hand}."""
    names: dict[str, forms.Field | None] = {}
    original_init = forms.BaseForm.__init__

    def init(form, *args, **kwargs):
        original_init(form, *args, **kwargs)
        if form.is_bound:
            for name, f in form.fields.items():
                if not isinstance(f, forms.FileField):
                    names[form.add_prefix(name)] = f

    _seen.keys = names
    forms.BaseForm.__init__ = init
    try:
        yield names
    finally:
        forms.BaseForm.__init__ = original_init
        _seen.keys = None


@contextmanager
def written_tables():
    """Yield {table: its row versions just before the block first wrote to it} for every table
    the block's SQL inserted into or updated. On PostgreSQL a row version is (primary key, xmin):
    an inserted or updated row has a new xmin, so the rows the block wrote are the versions that
    were not there before (``changed_rows``). Elsewhere the versions are None: every row counts."""
    tables: dict[str, set | None] = {}
    pattern = re.compile(r'^\s*(?:INSERT INTO|UPDATE)\s+"([^"]+)"', re.IGNORECASE)

    def watch(execute, sql, params, many, context):
        match = pattern.match(sql)
        if match and match.group(1) not in tables:
            tables[match.group(1)] = _versions(match.group(1))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield tables


def _versions(table: str) -> set | None:
    model = _models_by_table().get(table)
    if connection.vendor != "postgresql" or model is None:
        return None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # a SELECT: the wrapper lets it through
        cursor.execute(f"SELECT {quote(model._meta.pk.column)}, xmin::text FROM {quote(table)}")
        return set(cursor.fetchall())


def changed_rows(table: str, before: set | None):
    """The primary keys of the rows written since ``before`` was taken (None: every row)."""
    if before is None:
        return None
    return {pk for pk, version in (_versions(table) or set()) - before}


@dataclass
class Outcome:
    status: int | None
    error: str = ""  # the exception a 500 would have been
    invalid: list[str] = field(default_factory=list)  # rows stored that are not valid


class _Rollback(Exception):
    pass


class Sender:
    """Sends requests in savepoints rolled back afterwards; reports a 500 and invalid rows stored.

    The rows already invalid before (a factory's) are not the request's: each table's are noted,
    outside any request, the first time a request writes to it."""

    def __init__(self):
        self.before: dict[str, set[str]] = {}
        self.count = 0

    def __call__(self, client, method: str, url: str, data: dict | None = None) -> Outcome:
        self.count += 1
        outcome = Outcome(None)
        try:
            with transaction.atomic(), written_tables() as tables:
                try:
                    with transaction.atomic():
                        response = getattr(client, method)(url, data) if data is not None else client.get(url)
                    outcome.status = response.status_code
                    if response.status_code >= 500:
                        outcome.error = f"answered {response.status_code}"
                except Exception as error:  # what the server would have answered 500 to
                    outcome.status, outcome.error = 500, f"{type(error).__name__}: {str(error)[:200]}"
                if outcome.status is not None and outcome.status < 500:
                    outcome.invalid = invalid_rows(
                        tables, only={table: changed_rows(table, before) for table, before in tables.items()}
                    )
                    outcome.invalid += dangling_foreign_keys()
                raise _Rollback
        except _Rollback:
            pass
        for table in tables.keys() - self.before.keys():
            self.before[table] = set(invalid_rows([table]))
        outcome.invalid = [row for row in outcome.invalid if row not in set().union(*self.before.values())]
        return outcome


def dangling_foreign_keys() -> list[str]:
    """The foreign keys written so far that point at no row, as the database finds them.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED: the database checks them at the
    commit, which never comes here (every request is rolled back). On PostgreSQL ``SET CONSTRAINTS
    ALL IMMEDIATE`` checks every pending one now, in the server, instead of a query per foreign key
    per row from ``full_clean`` (``_problems`` leaves those fields to this). It is the last
    statement of the request's savepoint: the rollback that follows restores the deferred mode
    (PostgreSQL keeps the mode per savepoint) and, when a key dangles, the aborted savepoint."""
    if connection.vendor != "postgresql":
        return []  # full_clean checks the foreign keys itself (_problems)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except IntegrityError as error:
        return [f"a foreign key points at no row: {' '.join(str(error).split())[:300]}"]
    return []


@cache
def _checked_by_the_database(model: type[models.Model]) -> list[str]:
    """The fields ``dangling_foreign_keys`` checks for ``model``: its foreign keys with a database
    constraint (the project sets no ``limit_choices_to``, so the row existing is all that
    ``ForeignKey.validate`` asks)."""
    if connection.vendor != "postgresql":
        return []
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.db_constraint and not f.remote_field.limit_choices_to
    ]


def accepts(field: forms.Field, value: str) -> bool:
    """Whether the form field alone would take ``value`` (its form may still refuse the row)."""
    try:
        with transaction.atomic():  # a choice field looks the value up
            field.clean(value)
    except (ValidationError, ValueError, TypeError, ArithmeticError, DatabaseError):
        return False
    return True


def _models_by_table() -> dict[str, type[models.Model]]:
    return {
        model._meta.db_table: model
        for model in apps.get_models()
        if not model.__name__.startswith("Historical") and model._meta.managed
    }


def invalid_rows(tables, only: dict[str, set | None] | None = None) -> list[str]:
    """The rows of these tables that their model would not accept: ``full_clean`` (fields, without
    the database's own uniqueness and constraints, which the database enforces), a NaN or infinite
    number, a control character in text, a date outside 1900–2100. ``only`` narrows a table to
    the primary keys a request wrote (``changed_rows``; None there: the whole table)."""
    found = []
    by_table = _models_by_table()
    for table in sorted(tables):
        model = by_table.get(table)
        if model is None or model._meta.app_label in {"sessions", "axes", "admin", "contenttypes"}:
            continue
        rows = model._default_manager.all()
        if only is not None and only.get(table) is not None:
            rows = rows.filter(pk__in=only[table])
        for row in rows:
            problems = _problems(row)
            if problems:
                found.append(f"{model.__name__} {row.pk}: {problems}")
    return found


def _problems(row) -> str:
    for f in row._meta.concrete_fields:
        value = getattr(row, f.attname)
        if isinstance(value, str) and CONTROL.search(value):
            return f"{f.name} holds a control character"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{f.name} = {value}"
        if hasattr(value, "is_finite") and not value.is_finite():
            return f"{f.name} = {value}"
        if isinstance(value, date) and value.year not in SANE_YEARS:
            return f"{f.name} = {value}"
    try:
        row.full_clean(
            exclude=_checked_by_the_database(type(row)), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return "; ".join(f"{k}: {v[0]}" for k, v in error.message_dict.items())
    return ""
