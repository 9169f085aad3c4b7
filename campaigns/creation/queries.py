"""Reads of the creation workflow: a creation's items with their marks and evidence, the
organisation of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .evidence import Evidence, Link, evidence_for
from .models import Body, Creation, EvaluationItem, ItemScore, ManagementOffice, OrganisationMember, Stage


@dataclass(frozen=True)
class ItemLine:
    item: EvaluationItem
    score: ItemScore | None
    evidence: Evidence | None  # live while the assessment is open, as kept once it is submitted
    verdict: object | None = None


def creations_of(scope):
    return scope.filter(Creation.objects).select_related("scheme")


def _kept(score: ItemScore | None) -> Evidence | None:
    if score is None or not score.portal_evidence:
        return None
    data = score.portal_evidence
    return Evidence(data["found"], data["summary"], [Link(**link) for link in data.get("links", [])])


def item_lines(creation: Creation, *, today: date, live: bool | None = None) -> list[ItemLine]:
    """Every item of the creation's scheme with its mark and the portal's evidence: computed now
    while the self-assessment is open (or ``live``), as kept at submission afterwards."""
    live = creation.stage == Stage.APPLIED if live is None else live
    scores = {s.item_id: s for s in creation.scores.all()}
    verdicts = {}
    verification = getattr(creation, "verification", None) if creation.stage == Stage.VERIFIED else None
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
