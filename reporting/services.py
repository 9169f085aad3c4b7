"""Writes on the fact table: the one refresh entry point that data apps call after their writes."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency

from .disclosures import disclosure_snapshots, snapshot_differences
from .locks import lock_months, unlock_months
from .models import (
    Disclosure,
    DisclosureEvent,
    DisclosureEventKind,
    DisclosureStatus,
    MonthlyFigure,
    PublishedDisclosureError,
    Target,
    TargetBasis,
)
from .periods import Quarter
from .registry import get_indicator, indicators


def _months(months: Iterable[date]) -> list[date]:
    return sorted({m.replace(day=1) for m in months})


def figures_refresh(
    *,
    agency_ids: Iterable[int],
    months: Iterable[date],
    indicator_keys: Sequence[str] | None = None,
) -> int:
    """Recompute MonthlyFigure for these agencies and months, replacing what was there.

    One ``compute`` call per indicator (or one ``compute_batch`` call per group of indicators
    that share it) covers every agency and month, so the query count does not grow with the
    number of agencies. Returns the number of rows written.
    """
    agency_ids = sorted(set(agency_ids))
    months = _months(months)
    if not agency_ids or not months:
        return 0
    selected = [get_indicator(k) for k in indicator_keys] if indicator_keys else indicators()
    agency_set, month_set = set(agency_ids), set(months)
    batches: dict = {}  # indicators sharing a compute_batch are computed in one call
    for indicator in selected:
        if indicator.compute_batch is not None:
            batches.setdefault(indicator.compute_batch, []).append(indicator.key)
    computed: dict = {}
    for batch, keys in batches.items():
        computed.update(batch(agency_ids, months, keys))
    rows = []
    for indicator in selected:
        figures = (
            computed[indicator.key] if indicator.key in computed else indicator.compute(agency_ids, months)
        )
        for figure in figures:
            if figure.agency_id in agency_set and figure.month in month_set:
                rows.append(
                    MonthlyFigure(
                        agency_id=figure.agency_id,
                        department_id=figure.department_id,
                        indicator=indicator.key,
                        month=figure.month,
                        value=figure.value,
                    )
                )
    with transaction.atomic():
        MonthlyFigure.objects.filter(
            indicator__in=[i.key for i in selected], agency_id__in=agency_ids, month__in=months
        ).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def figures_refresh_on_commit(
    *, agency_ids: Iterable[int], months: Iterable[date], indicator_keys: Sequence[str] | None = None
) -> None:
    """Queue a refresh to run after the current transaction commits (in-process when eager)."""
    from .tasks import refresh_figures

    refresh_figures.delay_on_commit(
        agency_ids=sorted(set(agency_ids)),
        months=[m.isoformat() for m in _months(months)],
        indicator_keys=list(indicator_keys) if indicator_keys else None,
    )


def target_save(
    *,
    agency: Agency | None,
    indicator: str,
    year: int,
    baseline_year: int,
    reduction_percent: Decimal,
    basis: str = TargetBasis.TOTAL,
    note: str = "",
) -> Target:
    """Create or replace the target of ``indicator`` for ``year`` (``agency=None``: the default)."""
    target = Target.objects.filter(agency=agency, indicator=indicator, year=year).first() or Target(
        agency=agency, indicator=indicator, year=year
    )
    target.baseline_year = baseline_year
    target.reduction_percent = Decimal(reduction_percent)
    target.basis = basis
    target.note = note
    target.full_clean(validate_constraints=False)
    target.save()
    return target


def target_delete(*, target: Target) -> None:
    target.delete()


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


def disclosure_compute(*, agency: Agency, quarter: Quarter, by=None) -> Disclosure:
    """Compute the quarter's draft, replacing an existing draft; a published quarter is left alone.

    Safe to run twice or concurrently (the agency row is locked for the duration): the draft is
    replaced, never duplicated. After a reopening the new draft is the next version and records
    what differs from the version it corrects. A handful of queries, whatever the data size.
    """
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk", flat=True).first()
        versions = list(
            Disclosure.objects.filter(agency=agency, year=quarter.year, quarter=quarter.number).order_by(
                "-version"
            )
        )
        by_status = {d.status: d for d in versions}
        if DisclosureStatus.PUBLISHED in by_status:
            return by_status[DisclosureStatus.PUBLISHED]
        snapshots = disclosure_snapshots(
            agency_ids=[agency.pk], quarter=quarter, agency_names={agency.pk: agency.name}
        )
        data = snapshots[agency.pk]
        previous = next((d for d in versions if d.status != DisclosureStatus.DRAFT), None)
        if previous is not None:
            data["corrects_version"] = previous.version
            data["corrections"] = snapshot_differences(previous.data, data)
        now = timezone.now()
        draft = by_status.get(DisclosureStatus.DRAFT)
        if draft is not None:
            # A conditional UPDATE: a draft that got published meanwhile is never overwritten.
            Disclosure.objects.filter(pk=draft.pk, status=DisclosureStatus.DRAFT).update(
                data=data, computed_at=now
            )
            draft.data, draft.computed_at = data, now
            _event(disclosure=draft, kind=DisclosureEventKind.RECOMPUTED, by=by)
            return draft
        draft = Disclosure.objects.create(
            agency=agency,
            year=quarter.year,
            quarter=quarter.number,
            version=(versions[0].version if versions else 0) + 1,
            status=DisclosureStatus.DRAFT,
            data=data,
            computed_at=now,
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


def disclosure_publish(*, disclosure: Disclosure, by, correction: str = "") -> Disclosure:
    """Publish a draft: freeze it, lock its months. A later version must say what it corrects."""
    correction = (correction or "").strip()
    if disclosure.version > 1 and not correction:
        correction = _reopen_reason(disclosure)
    with transaction.atomic():
        # The claim is a conditional UPDATE: only a draft becomes published, once.
        claimed = Disclosure.objects.filter(pk=disclosure.pk, status=DisclosureStatus.DRAFT).update(
            status=DisclosureStatus.PUBLISHED,
            published_at=timezone.now(),
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


def disclosure_reopen(*, agency: Agency, quarter: Quarter, by, reason: str) -> Disclosure:
    """Reopen a published quarter for a correction: it is superseded and its months unlocked."""
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
