"""The write walk's machinery: which routes take a POST, what their forms point at, what changed.

A POST endpoint is a route whose view refuses GET (405) or reads the request body when it is
posted to. Each one needs a *POST sample*: ``tests/<app>/post_samples.py`` defines

    POST_SAMPLES = {"ledger:bill_create": PostSample(lambda ctx: {"meter": _meter(ctx).pk, ...})}

``data(ctx)`` builds what the page's form would send, creating the objects it points at in
``ctx.agency`` (and ``ctx.department`` where the row has one). The walk calls it once for the
caller's own agency (a valid submission, which must change the database when ``writes``) and
again for another agency and another department; it then posts the foreign ids — one foreign key
of the bound form at a time, and the whole foreign submission — and expects a refusal with no
table changed. So apart from ids, ``data`` must not depend on ``ctx``. ``url(ctx)`` gives the URL's
arguments when the URL walk's sample (``tests/<app>/url_samples.py``) does not suit a POST (an
import job that is ready to confirm, say).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction

# Tables a POST may change without writing data: the session (login, agency switch, messages).
UNCHECKED_TABLES = {"django_session"}


@dataclass(frozen=True)
class PostSample:
    data: Callable[[object], dict]
    writes: bool = True  # False: the endpoint never writes rows (a preview, the agency switch)
    url: Callable[[object], dict] | None = None  # URL arguments; default: the URL walk's sample
    note: str = ""  # why the sample looks the way it does, for the next reader


def post_samples() -> dict[str, PostSample]:
    found: dict[str, PostSample] = {}
    for path in sorted(Path(__file__).parent.glob("*/post_samples.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.post_samples")
        found.update(module.POST_SAMPLES)
    return found


def table_state() -> dict[str, str]:
    """A digest of every row of every table (but UNCHECKED_TABLES): equal states, equal data.

    On PostgreSQL the server computes each table's digest (the md5 of its rows' text, sorted), once
    a transaction for the tables it has not written to (``_postgres_state``);
    elsewhere the rows are fetched and hashed here. The walk takes a state before and after every
    POST, hundreds of times."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - UNCHECKED_TABLES)
        if connection.vendor == "postgresql":
            return _postgres_state(cursor, tables)
        state = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest() + f" ({len(rows)} rows)"
        return state


# The digests of the tables this transaction has not written to, and the transaction they belong to.
_unwritten: dict = {"transaction": None, "digests": {}}


def _postgres_state(cursor, tables: list[str]) -> dict[str, str]:
    """PostgreSQL counts, per table, every row the transaction has inserted, updated or deleted so
    far — COPY and savepoints rolled back included (``pg_stat_xact_user_tables``). A table it has
    never written to holds what was committed, the same all through the transaction (no other
    connection writes to a test database): its digest is taken once per transaction. The tables it
    has written to are digested every time — a savepoint rolled back takes rows back without
    taking the count back. (TRUNCATE would reset a count; nothing in the product truncates. With
    ``track_counts`` off the server counts nothing, and every table is digested every time.)"""
    cursor.execute(
        "SELECT pg_backend_pid(), now()::text, relname, n_tup_ins + n_tup_upd + n_tup_del,"
        " current_setting('track_counts')::bool"
        " FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()"
    )
    rows = cursor.fetchall()
    transaction_now = rows[0][:2] if rows else None
    unwritten = {relname for _pid, _now, relname, count, counted in rows if count == 0 and counted}
    if _unwritten["transaction"] != transaction_now:
        _unwritten.update(transaction=transaction_now, digests={})
    known = _unwritten["digests"]
    state = {t: known[t] for t in tables if t in unwritten and t in known}
    stale = [t for t in tables if t not in state]
    if stale:
        quote = connection.ops.quote_name
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s, count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))"
                f" FROM {quote(table)} r"
                for table in stale
            ),
            stale,
        )
        state.update({table: f"{digest} ({count} rows)" for table, count, digest in cursor.fetchall()})
        known.update({t: state[t] for t in stale if t in unwritten})
    return dict(sorted(state.items()))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


@dataclass
class Probe:
    """What one POST did: its response, whether the view read the body, the forms it bound."""

    status: int
    read_body: bool
    forms: list
    changed: list[str] | None


@contextmanager
def _recording():
    seen = {"body": False, "forms": []}
    original_post, original_files = WSGIRequest.POST, WSGIRequest.FILES
    original_init = forms.BaseForm.__init__

    def post(request):
        seen["body"] = True
        return original_post.fget(request)

    def files(request):
        seen["body"] = True
        return original_files.fget(request)

    def init(form, *args, **kwargs):
        original_init(form, *args, **kwargs)
        if form.is_bound:
            seen["forms"].append(form)

    WSGIRequest.POST = property(post, original_post.fset)
    WSGIRequest.FILES = property(files)
    forms.BaseForm.__init__ = init
    try:
        yield seen
    finally:
        WSGIRequest.POST, WSGIRequest.FILES = original_post, original_files
        forms.BaseForm.__init__ = original_init


class _Rollback(Exception):
    pass


def probe(
    client, url: str, data: dict, *, keep: bool = False, changes: bool = True, before: dict | None = None
) -> Probe:
    """POST ``data`` to ``url`` and report what happened; undone afterwards unless ``keep``.

    ``before``: the state now, when the caller knows it (a walk that takes it once and rolls back
    every POST; it should check ``table_state() == before`` at the end): one digest less a POST.
    ``changes=False`` leaves out the tables' states before and after (``changed`` is then None):
    for a caller that wants only the forms the POST binds, two whole-database digests less."""
    if changes and before is None:
        before = table_state()
    result = None
    try:
        with transaction.atomic(), _recording() as seen:
            response = client.post(url, fresh(data))
            result = Probe(response.status_code, seen["body"], list(seen["forms"]), None)
            if changes:
                result.changed = changed_tables(before, table_state())
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    return result


def fresh(data: dict) -> dict:
    """The payload with new file objects (an uploaded file can be posted once)."""
    out = {}
    for key, value in data.items():
        if isinstance(value, UploadedFile):
            value.seek(0)
            value = SimpleUploadedFile(value.name, value.read(), content_type=value.content_type)
        out[key] = value
    return out


def foreign_key_fields(bound_forms) -> dict[str, type]:
    """The POST names of the bound forms' choice fields over agency-owned rows → their model."""
    from agencies.scoping import is_scoped

    found = {}
    for form in bound_forms:
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and is_scoped(field.queryset.model):
                found[form.add_prefix(name)] = field.queryset.model
    return found
