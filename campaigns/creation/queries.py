"""Reads of the creation workflow: a creation's items with their marks and evidence, the
organisation of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Sum

from reporting.models import ProgrammeGoal

from .evidence import Evidence, Link, evidence_for
from .models import (
    Body,
    Creation,
    EvaluationItem,
    ItemScore,
    ItemVerdict,
    ManagementOffice,
    OrganisationMember,
    Result,
    Stage,
    Verification,
)


@dataclass(frozen=True)
class ItemLine:
    item: EvaluationItem
    score: ItemScore | None
    evidence: Evidence | None  # live while the assessment is open, as kept once it is submitted
    verdict: object | None = None


def creations_of(scope):
    return scope.filter(Creation.objects).select_related("scheme").prefetch_related("verifications")


def _kept(score: ItemScore | None) -> Evidence | None:
    if score is None or not score.portal_evidence:
        return None
    data = score.portal_evidence
    return Evidence(data["found"], data["summary"], [Link(**link) for link in data.get("links", [])])


def item_lines(creation: Creation, *, today: date, live: bool | None = None) -> list[ItemLine]:
    """Every item of the creation's scheme with its mark and the portal's evidence: computed now
    while the self-assessment is open (or ``live``), as kept at submission afterwards."""
    live = creation.state == Stage.APPLIED if live is None else live
    scores = {s.item_id: s for s in creation.scores.all()}
    verdicts = {}
    verification = creation.verification
    if verification is not None:
        verdicts = {v.item_id: v for v in verification.verdicts.all()}
    lines = []
    for item in creation.scheme.items.all():
        score = scores.get(item.pk)
        evidence = evidence_for(creation, item, today) if live else _kept(score)
        lines.append(ItemLine(item, score, evidence, verdicts.get(item.pk)))
    return lines


@dataclass(frozen=True)
class Organisation:
    year: int
    group: list[OrganisationMember]
    office: list[OrganisationMember]
    duties: str


def organisation_of(agency, year: int) -> Organisation:
    members = list(
        OrganisationMember.objects.filter(agency=agency, year=year).order_by("body", "order", "pk")
    )
    office = ManagementOffice.objects.filter(agency=agency, year=year).first()
    rank = {"leader": 0, "deputy": 1, "head": 0, "member": 2}
    members.sort(key=lambda m: (rank[m.position], m.order, m.pk))
    return Organisation(
        year,
        [m for m in members if m.body == Body.GROUP],
        [m for m in members if m.body == Body.OFFICE],
        office.duties if office else "",
    )


# --- the city's view -------------------------------------------------------------------------


@dataclass(frozen=True)
class CityRow:
    agency: object
    creation: Creation | None
    state: str  # Stage
    self_points: Decimal | None
    verified_points: Decimal | None
    result: str  # Result, or "" before verification
    meets_by_then: bool  # verified as meeting the requirements in this year or before


@dataclass(frozen=True)
class GoalProgress:
    goal: ProgrammeGoal
    share: Decimal  # the share meeting the requirements by the year shown
    reached: bool
    pending: bool  # the goal's year is not over yet


@dataclass(frozen=True)
class CityOverview:
    year: int
    rows: list[CityRow]
    meeting: int
    share: Decimal  # %, of the agencies in the programme
    goals: list[GoalProgress]
    by_state: dict[str, int]


def latest_creation_year(agencies: list) -> int | None:
    """The latest year any of ``agencies`` applied for (a creation's year)."""
    return Creation.objects.filter(agency__in=agencies).aggregate(latest=Max("year"))["latest"]


def city_overview(agencies: list, *, year: int) -> CityOverview:
    """Every agency's stage and result for ``year`` and the share that meets the requirements by
    then (verified "meets" in that year or an earlier one) against the programme's goals (reporting's
    ``ProgrammeGoal`` rows, the city overview's too).
    Four queries whatever the number of agencies."""
    ids = [a.pk for a in agencies]
    creations = {
        c.agency_id: c
        for c in Creation.objects.filter(agency_id__in=ids, year=year)
        .annotate(self_points=Sum("scores__points"))
        .prefetch_related("verifications")
    }
    verified = dict(
        ItemVerdict.objects.filter(
            verification__creation__agency_id__in=ids, verification__creation__year=year
        )
        .values_list("verification__creation_id")
        .annotate(points=Sum("points"))
        .order_by()
    )
    meeting_ids = set(
        Verification.objects.filter(
            creation__agency_id__in=ids, creation__year__lte=year, result=Result.MEETS
        ).values_list("creation__agency_id", flat=True)
    )
    rows = []
    for agency in agencies:
        creation = creations.get(agency.pk)
        verification = creation.verification if creation else None
        rows.append(
            CityRow(
                agency=agency,
                creation=creation,
                state=creation.state if creation else Stage.NONE,
                self_points=creation.self_points if creation else None,
                verified_points=verified.get(creation.pk) if creation else None,
                result=verification.result if verification else "",
                meets_by_then=agency.pk in meeting_ids,
            )
        )
    share = (
        (Decimal(len(meeting_ids)) * 100 / len(agencies)).quantize(Decimal("0.1")) if agencies else Decimal(0)
    )
    goals = [
        GoalProgress(goal, share, share >= goal.share_percent, year < goal.year)
        for goal in ProgrammeGoal.objects.all()
    ]
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    return CityOverview(year, rows, len(meeting_ids), share, goals, by_state)
