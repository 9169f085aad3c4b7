"""Writes of disclosures: compute a quarter's draft, publish it (locking it), reopen it.

Publishing and reopening take the caller's ``scope`` and check what they write (``Scope.check``);
the computation is called with ids by trusted code only (tasks, commands, the demo)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Role
from agencies.params import refuse_control_characters
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


def _quarter_states(*, agency_ids: list[int], quarter: Quarter, lock_for_publication: bool = False):
    """Lock the agencies' rows (in id order), then read their names, the quarter's versions of
    each (newest first) and the year's targets that may apply — 3 queries for one agency or a
    hundred. A computation locks ``FOR NO KEY UPDATE`` (computations and refreshes of an agency
    run one after the other; writes are not blocked); a publication ``FOR UPDATE`` (writes of the
    agency wait, so none slips between its check and its locks)."""
    agencies = Agency.objects.filter(pk__in=agency_ids).order_by("pk")
    locked = agencies.select_for_update() if lock_for_publication else agencies.select_for_update(no_key=True)
    names = dict(locked.values_list("pk", "name"))
    missing = sorted(set(agency_ids) - set(names))
    if missing:
        raise Agency.DoesNotExist(f"No agency has id {', '.join(map(str, missing))}.")
    versions: dict[int, list[Disclosure]] = defaultdict(list)
    for disclosure in (
        Disclosure.objects.filter(agency_id__in=agency_ids, year=quarter.year, quarter=quarter.number)
        .defer("data")
        .order_by("agency_id", "-version")
    ):
        versions[disclosure.agency_id].append(disclosure)
    targets = list(
        Target.objects.filter(Q(agency_id__in=agency_ids) | Q(agency__isnull=True), year=quarter.year)
    )
    return names, versions, targets


def _fresh_snapshots(*, agency_ids: list[int], names: dict, quarter: Quarter, targets: list[Target]) -> dict:
    """Bring the agencies' stale figures of the years the snapshots read up to date, then build
    them — so a draft is never computed (nor a quarter published) from stale figures."""
    figures_refresh_stale(agency_ids=agency_ids, years=snapshot_years(quarter, targets))
    return disclosure_snapshots(
        agency_ids=agency_ids,
        quarter=quarter,
        agency_names=names,
        targets=choose_targets(targets, agency_ids=agency_ids),
    )


def _corrections(data: dict, versions: list[Disclosure], previous_data: dict[int, dict]) -> dict:
    """After a reopening, the new draft records the version it corrects and what differs."""
    previous = next((d for d in versions if d.status != DisclosureStatus.DRAFT), None)
    if previous is not None:
        data["corrects_version"] = previous.version
        data["corrections"] = snapshot_differences(previous_data[previous.pk], data)
    return data


def _previous_data(versions: dict[int, list[Disclosure]], agency_ids: list[int]) -> dict[int, dict]:
    """pk → data of each agency's newest version that is not a draft (one query, none if none)."""
    pks = [
        d.pk
        for a in agency_ids
        if (d := next((v for v in versions.get(a, []) if v.status != DisclosureStatus.DRAFT), None))
    ]
    return dict(Disclosure.objects.filter(pk__in=pks).values_list("pk", "data")) if pks else {}


def _event(*, disclosure: Disclosure, kind: str, by=None, note: str = "") -> DisclosureEvent:
    return DisclosureEvent(
        agency_id=disclosure.agency_id,
        year=disclosure.year,
        quarter=disclosure.quarter,
        disclosure=disclosure,
        version=disclosure.version,
        kind=kind,
        by=by,
        note=note,
    )


def _write_drafts(*, quarter, snapshots, versions, previous_data, at, by) -> dict[int, Disclosure]:
    """Replace each agency's draft with its snapshot, or create the next version's draft: one
    UPDATE for the replaced drafts (conditional: a draft published meanwhile is never
    overwritten), one INSERT for the new ones, one for their events."""
    replaced, created = [], []
    for agency_id, data in snapshots.items():
        mine = versions.get(agency_id, [])
        data = _corrections(data, mine, previous_data)
        draft = next((d for d in mine if d.status == DisclosureStatus.DRAFT), None)
        if draft is not None:
            draft.data, draft.computed_at = data, at
            replaced.append(draft)
            continue
        created.append(
            Disclosure(
                agency_id=agency_id,
                year=quarter.year,
                quarter=quarter.number,
                version=(mine[0].version if mine else 0) + 1,
                status=DisclosureStatus.DRAFT,
                data=data,
                computed_at=at,
            )
        )
    if replaced:
        Disclosure.objects.filter(status=DisclosureStatus.DRAFT).bulk_update(
            replaced, ["data", "computed_at"]
        )
    if created:
        Disclosure.objects.bulk_create(created)
    DisclosureEvent.objects.bulk_create(
        [_event(disclosure=d, kind=DisclosureEventKind.RECOMPUTED, by=by) for d in replaced]
        + [_event(disclosure=d, kind=DisclosureEventKind.COMPUTED, by=by) for d in created]
    )
    return {d.agency_id: d for d in [*replaced, *created]}


def disclosures_compute(*, agency_ids: Iterable[int], quarter: Quarter, by=None) -> dict[int, Disclosure]:
    """Compute the quarter's drafts of these agencies, replacing existing drafts; a published
    quarter is left alone (its disclosure is returned as it is). agency id → disclosure.

    The one computation of a disclosure, for one agency or many: the same dozen statements for
    any number of agencies (the rows locked, versions, targets, stale records — brought up to date
    first —, one GROUP BY of the fact table with ratios read as their parts, the target bases'
    divisors from the registry, then one write of the drafts and one of their events). Safe to run
    twice or concurrently (the agencies' rows are locked for the duration): a draft is replaced,
    never duplicated. After a reopening the new draft is the next version and records what differs
    from the version it corrects.
    """
    quarter.check_ended()
    agency_ids = sorted(set(agency_ids))
    if not agency_ids:
        return {}
    with transaction.atomic():
        names, versions, targets = _quarter_states(agency_ids=agency_ids, quarter=quarter)
        published = {
            agency_id: d.pk
            for agency_id in agency_ids
            for d in versions.get(agency_id, [])
            if d.status == DisclosureStatus.PUBLISHED
        }
        results = {}
        if published:
            stored = Disclosure.objects.in_bulk(list(published.values()))
            results = {agency_id: stored[pk] for agency_id, pk in published.items()}
        todo = [agency_id for agency_id in agency_ids if agency_id not in published]
        if todo:
            snapshots = _fresh_snapshots(agency_ids=todo, names=names, quarter=quarter, targets=targets)
            results |= _write_drafts(
                quarter=quarter,
                snapshots=snapshots,
                versions=versions,
                previous_data=_previous_data(versions, todo),
                at=timezone.now(),
                by=by,
            )
    return results


def disclosure_compute(*, agency: Agency | int, quarter: Quarter, by=None) -> Disclosure:
    """One agency's draft of the quarter (``disclosures_compute`` for that agency); ``agency`` is
    an Agency or its id."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return disclosures_compute(agency_ids=[agency_id], quarter=quarter, by=by)[agency_id]


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
    *, scope: Scope, disclosure: Disclosure, correction: str = "", at: datetime | None = None
) -> Disclosure:
    """Publish a draft: freeze it and lock the indicators it published, for its months. A later
    version must say what it corrects.

    Under the agency row lock (``FOR UPDATE``: the agency's writes wait) the stale figures are
    brought up to date and the snapshot is computed again: when it differs from the draft (a
    write came after the draft), the draft is replaced by the new figures and ``StaleDraftError``
    asks the manager to check it and publish again — a quarter is never frozen from stale figures.
    ``at`` is the publication time (default now; the demo backfills past quarters with it)."""
    scope.require(Role.MANAGER)
    scope.check(disclosure)
    by = scope.user
    correction = (correction or "").strip()
    if disclosure.version > 1 and not correction:
        correction = _reopen_reason(disclosure)
    quarter = disclosure.period
    quarter.check_ended()
    agency_id = disclosure.agency_id
    with transaction.atomic():
        names, by_agency, targets = _quarter_states(
            agency_ids=[agency_id], quarter=quarter, lock_for_publication=True
        )
        versions = by_agency.get(agency_id, [])
        draft = next(
            (d for d in versions if d.pk == disclosure.pk and d.status == DisclosureStatus.DRAFT), None
        )
        if draft is None:
            raise PublishedDisclosureError(
                _("Only a draft can be published; this disclosure is already published or superseded."),
                code="not_draft",
            )
        draft.refresh_from_db(fields=["data"])
        fresh = _fresh_snapshots(agency_ids=[agency_id], names=names, quarter=quarter, targets=targets)
        stale = not same_figures(draft.data, fresh[agency_id])
        if stale:
            _write_drafts(
                quarter=quarter,
                snapshots=fresh,
                versions=by_agency,
                previous_data=_previous_data(by_agency, [agency_id]),
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
            _event(disclosure=disclosure, kind=DisclosureEventKind.PUBLISHED, by=by, note=correction).save()
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
    refuse_control_characters(reason)  # typed by hand in the page, stored in the history
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
        _event(disclosure=published, kind=DisclosureEventKind.REOPENED, by=by, note=reason).save()
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
