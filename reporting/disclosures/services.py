"""Writes of disclosures: compute a quarter's draft, publish it (locking it), reopen it.

Publishing and reopening take the caller's ``scope`` and check what they write (``Scope.check``);
the computation is called with ids by trusted code only (tasks, commands, the demo)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Role
from agencies.scoping import Scope

from ..figures.locks import lock_indicators, snapshot_lock_keys, unlock_months
from ..figures.refresh import figures_refresh_stale
from ..models import (
    Disclosure,
    DisclosureEvent,
    DisclosureEventKind,
    DisclosureStatus,
    PublishedDisclosureError,
    Target,
)
from ..periods import Quarter
from ..targets.evaluate import choose_targets
from .notice import notice_render
from .snapshot import disclosure_snapshots, same_figures, snapshot_differences, snapshot_years


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


def _quarter_state(*, agency_id: int, quarter: Quarter, lock_for_publication: bool = False):
    """Lock the agency row, then read its name, the quarter's versions (newest first) and the
    year's targets that may apply. A computation locks ``FOR NO KEY UPDATE`` (computations and
    refreshes of one agency run one after the other; writes are not blocked); a publication
    ``FOR UPDATE`` (writes of the agency wait, so none slips between its check and its locks)."""
    agencies = Agency.objects.filter(pk=agency_id)
    locked = agencies.select_for_update() if lock_for_publication else agencies.select_for_update(no_key=True)
    name = locked.values_list("name", flat=True).first()
    if name is None:
        raise Agency.DoesNotExist(f"No agency has id {agency_id}.")
    versions = list(
        Disclosure.objects.filter(agency_id=agency_id, year=quarter.year, quarter=quarter.number)
        .defer("data")
        .order_by("-version")
    )
    targets = list(Target.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True), year=quarter.year))
    return name, versions, targets


def _fresh_snapshot(*, agency_id: int, name: str, quarter: Quarter, targets: list[Target]) -> dict:
    """Bring the agency's stale figures of the years the snapshot reads up to date, then build it
    — so a draft is never computed (nor a quarter published) from stale figures."""
    figures_refresh_stale(agency_ids=[agency_id], years=snapshot_years(quarter, targets))
    return disclosure_snapshots(
        agency_ids=[agency_id],
        quarter=quarter,
        agency_names={agency_id: name},
        targets=choose_targets(targets, agency_ids=[agency_id]),
    )[agency_id]


def _previous_published(versions: list[Disclosure]) -> Disclosure | None:
    previous = next((d for d in versions if d.status != DisclosureStatus.DRAFT), None)
    if previous is not None:
        previous.refresh_from_db(fields=["data"])
    return previous


def _write_draft(*, agency_id, quarter, draft, versions, data, at, by) -> Disclosure:
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


def disclosure_compute(*, agency: Agency | int, quarter: Quarter, by=None) -> Disclosure:
    """Compute the quarter's draft, replacing an existing draft; a published quarter is left alone.

    ``agency`` is an Agency or its id. Safe to run twice or concurrently (the agency row is locked
    for the duration): the draft is replaced, never duplicated. Stale figures of the years the
    snapshot reads are brought up to date first. After a reopening the new draft is the next
    version and records what differs from the version it corrects.
    """
    agency_id = agency if isinstance(agency, int) else agency.pk
    with transaction.atomic():
        name, versions, targets = _quarter_state(agency_id=agency_id, quarter=quarter)
        by_status = {d.status: d for d in versions}
        if DisclosureStatus.PUBLISHED in by_status:
            published = by_status[DisclosureStatus.PUBLISHED]
            published.refresh_from_db(fields=["data"])
            return published
        data = _fresh_snapshot(agency_id=agency_id, name=name, quarter=quarter, targets=targets)
        previous = _previous_published(versions)
        if previous is not None:
            data["corrects_version"] = previous.version
            data["corrections"] = snapshot_differences(previous.data, data)
        return _write_draft(
            agency_id=agency_id,
            quarter=quarter,
            draft=by_status.get(DisclosureStatus.DRAFT),
            versions=versions,
            data=data,
            at=timezone.now(),
            by=by,
        )


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


class StaleDraftError(PublishedDisclosureError):
    """The figures changed after the draft was computed: it was recomputed, not published."""


def disclosure_publish(
    *,
    scope: Scope,
    disclosure: Disclosure,
    correction: str = "",
    document_number: str = "",
    at: datetime | None = None,
) -> Disclosure:
    """Publish a draft: freeze it and lock the indicators it published, for its months. A later
    version must say what it corrects.

    Under the agency row lock (``FOR UPDATE``: the agency's writes wait) the stale figures are
    brought up to date and the snapshot is computed again: when it differs from the draft (a
    write came after the draft), the draft is replaced by the new figures and ``StaleDraftError``
    asks the manager to check it and publish again — a quarter is never frozen from stale figures.
    ``at`` is the publication time (default now; the demo backfills past quarters with it);
    ``document_number`` the notice's optional 发文字号."""
    scope.require(Role.MANAGER)
    scope.check(disclosure)
    by = scope.user
    correction = (correction or "").strip()
    if disclosure.version > 1 and not correction:
        correction = _reopen_reason(disclosure)
    quarter = disclosure.period
    with transaction.atomic():
        name, versions, targets = _quarter_state(
            agency_id=disclosure.agency_id, quarter=quarter, lock_for_publication=True
        )
        draft = next(
            (d for d in versions if d.pk == disclosure.pk and d.status == DisclosureStatus.DRAFT), None
        )
        if draft is None:
            raise PublishedDisclosureError(
                _("Only a draft can be published; this disclosure is already published or superseded."),
                code="not_draft",
            )
        draft.refresh_from_db(fields=["data"])
        fresh = _fresh_snapshot(agency_id=draft.agency_id, name=name, quarter=quarter, targets=targets)
        stale = not same_figures(draft.data, fresh)
        if stale:
            previous = _previous_published(versions)
            if previous is not None:
                fresh["corrects_version"] = previous.version
                fresh["corrections"] = snapshot_differences(previous.data, fresh)
            _write_draft(
                agency_id=draft.agency_id,
                quarter=quarter,
                draft=draft,
                versions=versions,
                data=fresh,
                at=timezone.now(),
                by=by,
            )
        else:
            # The claim is a conditional UPDATE: only a draft becomes published, once.
            Disclosure.objects.filter(pk=draft.pk, status=DisclosureStatus.DRAFT).update(
                status=DisclosureStatus.PUBLISHED,
                published_at=at or timezone.now(),
                published_by=by,
                correction=correction,
                document_number=(document_number or "").strip(),
            )
            disclosure.refresh_from_db()
            # rendered once, now, and stored: the public page serves this file, never a new render
            stored = Disclosure.objects.filter(pk=disclosure.pk)
            stored.update(notice_pdf=notice_render(disclosure=disclosure))
            lock_indicators(
                agency_id=disclosure.agency_id,
                months=quarter.months,
                indicators=snapshot_lock_keys(disclosure.data),
                by=by,
                note=_("Disclosure %(quarter)s v%(version)s published")
                % {"quarter": quarter, "version": disclosure.version},
            )
            _event(disclosure=disclosure, kind=DisclosureEventKind.PUBLISHED, by=by, note=correction)
    if stale:
        disclosure.refresh_from_db()
        raise StaleDraftError(
            _(
                "The figures of %(quarter)s changed after this draft was computed; the draft now shows "
                "the current figures. Check them and publish again."
            )
            % {"quarter": quarter.label},
            code="stale_draft",
        )
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


def disclosure_notice_pdf(*, disclosure: Disclosure) -> bytes:
    """The notice PDF: a published disclosure's file stored at publication (one published before
    files were stored is rendered and stored on its first request); a draft's, rendered now."""
    if disclosure.status == DisclosureStatus.DRAFT:
        return notice_render(disclosure=disclosure)
    if disclosure.notice_pdf:
        return bytes(disclosure.notice_pdf)
    pdf = notice_render(disclosure=disclosure)
    Disclosure.objects.filter(pk=disclosure.pk).exclude(status=DisclosureStatus.DRAFT).update(notice_pdf=pdf)
    return pdf
