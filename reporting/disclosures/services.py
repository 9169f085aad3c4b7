"""Writes of disclosures: compute a quarter's draft, publish it (locking it), reopen it.

Publishing and reopening take the caller's ``scope`` and check what they write (``Scope.check``);
the computation is called with ids by trusted code only (tasks, commands, the demo)."""

import json
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from agencies.models import Agency, AgencyYear, Role
from agencies.scoping import Scope

from ..figures.locks import lock_months, unlock_months
from ..models import (
    Disclosure,
    DisclosureEvent,
    DisclosureEventKind,
    DisclosureStatus,
    MonthlyFigure,
    PublishedDisclosureError,
    Target,
)
from ..periods import Quarter
from ..registry import indicators
from ..targets.evaluate import agency_facts, choose_targets, figure_sums
from .snapshot import default_baseline_year, disclosure_snapshots, snapshot_differences


def _event(*, disclosure: Disclosure, kind: str, by=None, note: str = "") -> DisclosureEvent:
    return DisclosureEvent.objects.create(
        agency_id=disclosure.agency_id,
        year=disclosure.year,
        quarter=disclosure.quarter,
        disclosure=disclosure,
        version=disclosure.version,
        kind=kind,
        by=by,
        note=note,
    )


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


_QUARTER_STATE_SQL = f"""
SELECT a.name,
  (SELECT coalesce(jsonb_agg(jsonb_build_object(
       'id', d.id, 'agency_id', d.agency_id, 'year', d.year, 'quarter', d.quarter, 'version', d.version,
       'status', d.status, 'computed_at', d.computed_at, 'published_at', d.published_at,
       'published_by_id', d.published_by_id, 'correction', d.correction,
       'data', CASE WHEN d.status = %(draft)s THEN NULL ELSE d.data END)
     ORDER BY d.version DESC), '[]'::jsonb)
     FROM {Disclosure._meta.db_table} d WHERE d.agency_id = a.id AND d.year = %(year)s AND d.quarter = %(q)s),
  (SELECT coalesce(jsonb_agg(jsonb_build_object(
       'id', t.id, 'agency_id', t.agency_id, 'indicator', t.indicator, 'year', t.year,
       'baseline_year', t.baseline_year, 'reduction_percent', t.reduction_percent::text, 'basis', t.basis,
       'note', t.note)), '[]'::jsonb)
     FROM {Target._meta.db_table} t WHERE t.year = %(year)s AND (t.agency_id = a.id OR t.agency_id IS NULL)),
  (SELECT coalesce(jsonb_agg(jsonb_build_array(y.year, y.headcount, y.building_area::text)), '[]'::jsonb)
     FROM {AgencyYear._meta.db_table} y WHERE y.agency_id = a.id),
  (SELECT coalesce(jsonb_agg(jsonb_build_array(f.k, f.y, f.ytd, f.ytd_n, f.full_sum, f.full_n, f.q, f.q_n)),
                   '[]'::jsonb) FROM (
     SELECT m.indicator AS k, EXTRACT(YEAR FROM m.month)::int AS y,
       (sum(m.value) FILTER (WHERE EXTRACT(MONTH FROM m.month) <= %(through)s))::text AS ytd,
       count(*) FILTER (WHERE EXTRACT(MONTH FROM m.month) <= %(through)s) AS ytd_n,
       sum(m.value)::text AS full_sum,
       count(*) AS full_n,
       (sum(m.value) FILTER (WHERE EXTRACT(MONTH FROM m.month) BETWEEN %(first)s AND %(through)s))::text AS q,
       count(*) FILTER (WHERE EXTRACT(MONTH FROM m.month) BETWEEN %(first)s AND %(through)s) AS q_n
     FROM {MonthlyFigure._meta.db_table} m
     WHERE m.agency_id = a.id AND m.department_id IS NULL AND m.indicator = ANY(%(keys)s)
       AND EXTRACT(YEAR FROM m.month)::int = ANY(%(years)s::int[] || ARRAY(
         SELECT t.baseline_year::int FROM {Target._meta.db_table} t
         WHERE t.year = %(year)s AND (t.agency_id = a.id OR t.agency_id IS NULL)))
     GROUP BY 1, 2) f)
FROM {Agency._meta.db_table} a WHERE a.id = %(agency)s FOR UPDATE OF a
"""
SUM_FIELDS = ("ytd", "ytd_months", "full", "full_months", "q", "q_months")  # as figure_sums names them


def _disclosure_from_json(row: dict) -> Disclosure:
    """A Disclosure of the state query; a draft's snapshot is not read (it is about to be replaced)."""
    for field in ("computed_at", "published_at"):
        row[field] = parse_datetime(row[field]) if row[field] else None
    return Disclosure(**row)


def _quarter_state(*, agency_id: int, quarter: Quarter):
    """One statement: lock the agency row and read its name, the quarter's versions (newest first),
    the targets of the year that may apply, its AgencyYear rows and the sums of its figures that
    the snapshot needs (``figure_sums`` for the quarter, the year, last year, the default baseline
    year and every target's baseline year) — sub-selects as JSON, numbers as text (exact Decimals)."""
    params = {
        "year": quarter.year,
        "q": quarter.number,
        "agency": agency_id,
        "through": quarter.last_month,
        "first": quarter.months[0].month,
        "keys": [i.key for i in indicators()],
        "years": [quarter.year, quarter.year - 1, default_baseline_year()],
    }
    params["draft"] = DisclosureStatus.DRAFT
    with connection.cursor() as cursor:
        cursor.execute(_QUARTER_STATE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise Agency.DoesNotExist(f"No agency has id {agency_id}.")
    name, versions, targets, facts, sums = row[0], *(_json(v) for v in row[1:])
    targets = [Target(**{**t, "reduction_percent": Decimal(t["reduction_percent"])}) for t in targets]
    facts = {
        (agency_id, year): (headcount, None if area is None else Decimal(area))
        for year, headcount, area in facts
    }
    sums = {
        (agency_id, key, year): {
            field: None if value is None else (Decimal(value) if isinstance(value, str) else value)
            for field, value in zip(SUM_FIELDS, values, strict=True)
        }
        for key, year, *values in sums
    }
    return name, [_disclosure_from_json(d) for d in versions], targets, facts, sums


_WRITE_SQL = {
    "replace": f"""
WITH d AS (
  UPDATE {Disclosure._meta.db_table} SET data = %(data)s, computed_at = %(at)s
  WHERE id = %(id)s AND status = %(draft)s RETURNING id, agency_id, year, quarter, version)
INSERT INTO {DisclosureEvent._meta.db_table}
  (agency_id, year, quarter, disclosure_id, version, kind, at, by_id, note)
SELECT agency_id, year, quarter, id, version, %(kind)s, %(at)s, %(by)s, '' FROM d RETURNING disclosure_id
""",
    "create": f"""
WITH d AS (
  INSERT INTO {Disclosure._meta.db_table}
    (agency_id, year, quarter, version, status, data, computed_at, correction)
  VALUES (%(agency)s, %(year)s, %(q)s, %(version)s, %(draft)s, %(data)s, %(at)s, '')
  RETURNING id, agency_id, year, quarter, version)
INSERT INTO {DisclosureEvent._meta.db_table}
  (agency_id, year, quarter, disclosure_id, version, kind, at, by_id, note)
SELECT agency_id, year, quarter, id, version, %(kind)s, %(at)s, %(by)s, '' FROM d RETURNING disclosure_id
""",
}


def disclosure_compute(*, agency: Agency | int, quarter: Quarter, by=None) -> Disclosure:
    """Compute the quarter's draft, replacing an existing draft; a published quarter is left alone.

    ``agency`` is an Agency or its id. Safe to run twice or concurrently (the agency row is locked
    for the duration): the draft is replaced, never duplicated. After a reopening the new draft is
    the next version and records what differs from the version it corrects. On PostgreSQL four
    statements whatever the data size: BEGIN; the agency lock with the quarter's versions, the
    targets, AgencyYear and the figures' sums (one statement); the draft written with its event
    (one statement); COMMIT. Other databases (SQLite in a local run) take the same steps through
    the ORM in a few more statements.
    """
    agency_id = agency if isinstance(agency, int) else agency.pk
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        read = _quarter_state if postgresql else _quarter_state_orm
        name, versions, targets, facts, sums = read(agency_id=agency_id, quarter=quarter)
        by_status = {d.status: d for d in versions}
        if DisclosureStatus.PUBLISHED in by_status:
            return by_status[DisclosureStatus.PUBLISHED]
        data = disclosure_snapshots(
            agency_ids=[agency_id],
            quarter=quarter,
            agency_names={agency_id: name},
            targets=choose_targets(targets, agency_ids=[agency_id]),
            facts=facts,
            sums=sums,
        )[agency_id]
        previous = next((d for d in versions if d.status != DisclosureStatus.DRAFT), None)
        if previous is not None:
            data["corrects_version"] = previous.version
            data["corrections"] = snapshot_differences(previous.data, data)
        now = timezone.now()
        draft = by_status.get(DisclosureStatus.DRAFT)
        if not postgresql:
            return _write_draft_orm(
                agency_id=agency_id, quarter=quarter, draft=draft, versions=versions, data=data, at=now, by=by
            )
        params = {
            "data": Jsonb(data),
            "at": now,
            "by": getattr(by, "pk", None),
            "draft": DisclosureStatus.DRAFT,
            "agency": agency_id,
            "year": quarter.year,
            "q": quarter.number,
        }
        if draft is not None:
            # A conditional UPDATE: a draft that got published meanwhile is never overwritten.
            params.update(id=draft.pk, kind=DisclosureEventKind.RECOMPUTED)
            with connection.cursor() as cursor:
                cursor.execute(_WRITE_SQL["replace"], params)
            draft.data, draft.computed_at = data, now
            return draft
        version = (versions[0].version if versions else 0) + 1
        params.update(version=version, kind=DisclosureEventKind.COMPUTED)
        with connection.cursor() as cursor:
            cursor.execute(_WRITE_SQL["create"], params)
            pk = cursor.fetchone()[0]
        return Disclosure(
            pk=pk,
            agency_id=agency_id,
            year=quarter.year,
            quarter=quarter.number,
            version=version,
            status=DisclosureStatus.DRAFT,
            data=data,
            computed_at=now,
        )


def _quarter_state_orm(*, agency_id: int, quarter: Quarter):
    """``_quarter_state`` through the ORM, for databases other than PostgreSQL."""
    name = Agency.objects.select_for_update().filter(pk=agency_id).values_list("name", flat=True).first()
    if name is None:
        raise Agency.DoesNotExist(f"No agency has id {agency_id}.")
    versions = list(
        Disclosure.objects.filter(agency_id=agency_id, year=quarter.year, quarter=quarter.number).order_by(
            "-version"
        )
    )
    targets = list(Target.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True), year=quarter.year))
    years = {quarter.year, quarter.year - 1, default_baseline_year()} | {t.baseline_year for t in targets}
    facts = agency_facts(agency_ids=[agency_id], years=years)
    sums = figure_sums(
        agency_ids=[agency_id],
        keys=[i.key for i in indicators()],
        years=years,
        through=quarter.last_month,
        quarter_from=quarter.months[0].month,
    )
    return name, versions, targets, facts, sums


def _write_draft_orm(*, agency_id, quarter, draft, versions, data, at, by) -> Disclosure:
    """The draft and its event through the ORM, for databases other than PostgreSQL."""
    if draft is not None:
        # A conditional UPDATE: a draft that got published meanwhile is never overwritten.
        Disclosure.objects.filter(pk=draft.pk, status=DisclosureStatus.DRAFT).update(
            data=data, computed_at=at
        )
        draft.data, draft.computed_at = data, at
        _event(disclosure=draft, kind=DisclosureEventKind.RECOMPUTED, by=by)
        return draft
    draft = Disclosure.objects.create(
        agency_id=agency_id,
        year=quarter.year,
        quarter=quarter.number,
        version=(versions[0].version if versions else 0) + 1,
        status=DisclosureStatus.DRAFT,
        data=data,
        computed_at=at,
    )
    _event(disclosure=draft, kind=DisclosureEventKind.COMPUTED, by=by)
    return draft


def _reopen_reason(disclosure: Disclosure) -> str:
    event = (
        DisclosureEvent.objects.filter(
            agency_id=disclosure.agency_id,
            year=disclosure.year,
            quarter=disclosure.quarter,
            kind=DisclosureEventKind.REOPENED,
        )
        .order_by("-at", "-pk")
        .first()
    )
    return event.note if event else ""


def disclosure_publish(
    *, scope: Scope, disclosure: Disclosure, correction: str = "", at: datetime | None = None
) -> Disclosure:
    """Publish a draft: freeze it, lock its months. A later version must say what it corrects.

    ``at`` is the publication time (default now; the demo backfills past quarters with it)."""
    scope.require(Role.MANAGER)
    scope.check(disclosure)
    by = scope.user
    correction = (correction or "").strip()
    if disclosure.version > 1 and not correction:
        correction = _reopen_reason(disclosure)
    with transaction.atomic():
        # The claim is a conditional UPDATE: only a draft becomes published, once.
        claimed = Disclosure.objects.filter(pk=disclosure.pk, status=DisclosureStatus.DRAFT).update(
            status=DisclosureStatus.PUBLISHED,
            published_at=at or timezone.now(),
            published_by=by,
            correction=correction,
        )
        if not claimed:
            raise PublishedDisclosureError(
                _("Only a draft can be published; this disclosure is already published or superseded."),
                code="not_draft",
            )
        disclosure.refresh_from_db()
        lock_months(
            agency_id=disclosure.agency_id,
            months=disclosure.period.months,
            by=by,
            note=_("Disclosure %(quarter)s v%(version)s published")
            % {"quarter": disclosure.period, "version": disclosure.version},
        )
        _event(disclosure=disclosure, kind=DisclosureEventKind.PUBLISHED, by=by, note=correction)
    return disclosure


def disclosure_reopen(*, scope: Scope, quarter: Quarter, reason: str) -> Disclosure:
    """Reopen a published quarter of the scope's agency for a correction: it is superseded and
    its months unlocked."""
    scope.require(Role.MANAGER)
    agency, by = scope.agency, scope.user
    scope.check(agency)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for reopening the quarter.")}, code="reason_required"
        )
    with transaction.atomic():
        published = (
            Disclosure.objects.select_for_update()
            .filter(
                agency=agency, year=quarter.year, quarter=quarter.number, status=DisclosureStatus.PUBLISHED
            )
            .first()
        )
        if published is None:
            raise ValidationError(
                _("%(quarter)s has no published disclosure to reopen.") % {"quarter": quarter}
            )
        Disclosure.objects.filter(pk=published.pk).update(status=DisclosureStatus.SUPERSEDED)
        published.refresh_from_db()
        unlock_months(agency_id=agency.pk, months=quarter.months)
        _event(disclosure=published, kind=DisclosureEventKind.REOPENED, by=by, note=reason)
    return published
