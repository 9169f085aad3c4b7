"""Writes of the creation workflow: the application (申报), the self-assessment (自评) and the
organisation (附件1). The energy manager writes them; each service checks what it writes against
the caller's scope (``scope.check``) and the rules of ``rules.py``.

A self-assessment is open while the creation is at the application stage; submitting it
(``self_assessment_submit``) fixes it for the city's verification, and the manager may take it
back (``self_assessment_reopen``) until the city has verified it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.scoping import Scope
from ledger.uploads import upload_prepare

from .evidence import evidence_for
from .models import (
    POSITIONS_OF,
    Creation,
    EvaluationItem,
    EvaluationScheme,
    ItemScore,
    ItemVerdict,
    ManagementOffice,
    OrganisationMember,
    Result,
    Stage,
    Verdict,
    Verification,
)
from .rules import Mark, application_errors, mark_errors, tally


@dataclass(frozen=True)
class ScoreEntry:
    """What the manager gives one item: points (or passed) and the evidence in words."""

    item: EvaluationItem
    points: Decimal | None = None
    passed: bool | None = None
    evidence: str = ""


def application_save(
    *,
    scope: Scope,
    year: int,
    plan_title: str,
    applied_on: date,
    today: date,
    plan_document=None,
) -> Creation:
    """Apply (申报) for ``year`` with the implementation plan, or correct the application."""
    scope.require(Role.MANAGER)
    creation = Creation.objects.filter(agency=scope.agency, year=year).first()
    creation = creation or Creation(agency=scope.agency, year=year, created_by=scope.user)
    scope.check(creation)
    errors = application_errors(year=year, applied_on=applied_on, today=today)
    if creation.stage != Stage.APPLIED:
        errors["year"] = _("The self-assessment of %(year)d is submitted: the application is fixed.") % {
            "year": year
        }
    scheme = creation.scheme if creation.pk else EvaluationScheme.for_year(year)
    if scheme is None:
        errors["year"] = _("No evaluation scheme applies to %(year)d.") % {"year": year}
    if not plan_title.strip():
        errors["plan_title"] = _("Name the implementation plan.")
    if errors:
        raise ValidationError(errors)
    prepared = upload_prepare(plan_document)
    creation.scheme, creation.plan_title, creation.applied_on = scheme, plan_title.strip(), applied_on
    if prepared is not None:
        creation.plan_document = prepared
    creation.save()
    return creation


def _open_for_scoring(creation: Creation) -> None:
    if creation.verification is not None:
        raise ValidationError(_("The creation is verified: its self-assessment is final."))
    if creation.stage != Stage.APPLIED:
        raise ValidationError(_("The self-assessment is submitted; take it back before changing it."))


def self_assessment_save(
    *, scope: Scope, creation: Creation, entries: Iterable[ScoreEntry], today: date
) -> list[ItemScore]:
    """Score items of the creation's scheme with their evidence; the portal's own evidence for
    each item is kept beside the score as it stood when saved."""
    scope.require(Role.MANAGER)
    scope.check(creation)
    _open_for_scoring(creation)
    entries = list(entries)
    errors = {}
    for entry in entries:
        if entry.item.scheme_id != creation.scheme_id:
            raise ValidationError(_("That item is not part of this creation's evaluation."))
        problems = mark_errors(Mark(entry.item.points, entry.points, entry.passed))
        if problems:
            errors[entry.item.code] = problems
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for entry in entries:
            found = evidence_for(creation, entry.item, today)
            score, _created = ItemScore.objects.update_or_create(
                creation=creation,
                item=entry.item,
                defaults={
                    "points": entry.points,
                    "passed": entry.passed,
                    "evidence": entry.evidence.strip(),
                    "portal_evidence": found.as_json() if found else {},
                    "updated_by": scope.user,
                },
            )
            saved.append(score)
    return saved


def creation_tally(creation: Creation):
    """The self-assessment's tally: points, items marked, whether it meets the requirements."""
    items = list(creation.scheme.items.all())
    scores = {s.item_id: s for s in creation.scores.all()}
    marks = [
        Mark(
            item.points,
            scores[item.pk].points if item.pk in scores else None,
            scores[item.pk].passed if item.pk in scores else None,
        )
        for item in items
    ]
    return tally(marks, pass_points=creation.scheme.pass_points)


def self_assessment_submit(*, scope: Scope, creation: Creation, today: date) -> Creation:
    """Submit the self-assessment for verification: every item must be marked."""
    scope.require(Role.MANAGER)
    scope.check(creation)
    _open_for_scoring(creation)
    if not creation_tally(creation).complete:
        raise ValidationError(_("Mark every item before submitting the self-assessment."))
    with transaction.atomic():
        for score in creation.scores.select_related("item"):
            found = evidence_for(creation, score.item, today)
            score.portal_evidence = found.as_json() if found else {}
            score.save(update_fields=["portal_evidence"])
        creation.stage, creation.assessed_on, creation.assessed_by = Stage.ASSESSED, today, scope.user
        creation.save(update_fields=["stage", "assessed_on", "assessed_by"])
    return creation


def self_assessment_reopen(*, scope: Scope, creation: Creation) -> Creation:
    """Take a submitted self-assessment back to change it (before the city verifies it)."""
    scope.require(Role.MANAGER)
    scope.check(creation)
    if creation.stage != Stage.ASSESSED or creation.verification is not None:
        raise ValidationError(_("Only a submitted, not yet verified self-assessment can be taken back."))
    creation.stage, creation.assessed_on, creation.assessed_by = Stage.APPLIED, None, None
    creation.save(update_fields=["stage", "assessed_on", "assessed_by"])
    return creation


# --- the verification (核查): the city's one write --------------------------------------------


@dataclass(frozen=True)
class VerdictEntry:
    """The verifier's verdict on one item: confirmed as self-assessed, or adjusted to a new mark."""

    item: EvaluationItem
    verdict: str = Verdict.CONFIRMED
    points: Decimal | None = None
    passed: bool | None = None
    comment: str = ""


def verified_mark(entry: VerdictEntry, score: ItemScore | None) -> Mark:
    """The mark the verification gives: the self-assessed one when confirmed, the new one when adjusted."""
    if entry.verdict == Verdict.CONFIRMED:
        return Mark(entry.item.points, score.points if score else None, score.passed if score else None)
    return Mark(entry.item.points, entry.points, entry.passed)


def verification_save(
    *,
    scope: Scope,
    creation: Creation,
    entries: Iterable[VerdictEntry],
    result: str,
    comment: str = "",
    today: date,
) -> Verification:
    """Verify a submitted self-assessment: a verdict on every item and the overall result.

    Only a city verifier working in the agency verifies (``scope.check_verification``: never their
    own agency); the result "meets" needs the verified marks to meet the requirements, and a
    "does not meet" against marks that would meet, or an adjusted item, needs a comment."""
    scope.require(Role.CITY)
    if creation.verification is not None:
        raise ValidationError(_("This creation is verified already."))
    if creation.stage != Stage.ASSESSED:
        raise ValidationError(_("Only a submitted self-assessment can be verified."))
    if result not in Result.values:
        raise ValidationError({"result": _("Choose the result.")})
    items = list(creation.scheme.items.all())
    by_item = {e.item.pk: e for e in entries}
    scores = {s.item_id: s for s in creation.scores.all()}
    errors: dict[str, list[str]] = {}
    marks = []
    for item in items:
        entry = by_item.get(item.pk)
        if entry is None or entry.verdict not in Verdict.values:
            errors[item.code] = [_("Give a verdict on this item.")]
            continue
        mark = verified_mark(entry, scores.get(item.pk))
        problems = mark_errors(mark) if entry.verdict == Verdict.ADJUSTED else []
        if entry.verdict == Verdict.ADJUSTED and not mark.decided:
            problems.append(_("Give the adjusted mark."))
        if entry.verdict == Verdict.ADJUSTED and not entry.comment.strip():
            problems.append(_("Say why the item is adjusted."))
        if problems:
            errors[item.code] = problems
        marks.append(mark)
    if errors:
        raise ValidationError(errors)
    verified = tally(marks, pass_points=creation.scheme.pass_points)
    if result == Result.MEETS and not verified.meets:
        raise ValidationError(
            {
                "result": _("The verified marks do not meet the requirements (%(points)s points).")
                % {"points": f"{verified.points:g}"}
            }
        )
    if result == Result.FAILS and verified.meets and not comment.strip():
        raise ValidationError(
            {"comment": _("The marks meet the requirements: say why the result is otherwise.")}
        )
    verification = Verification(
        creation=creation, result=result, comment=comment.strip(), verified_on=today, verified_by=scope.user
    )
    verdicts = [
        ItemVerdict(
            verification=verification,
            item=item,
            verdict=by_item[item.pk].verdict,
            points=mark.points if item.points is not None else None,
            passed=mark.passed if item.points is None else None,
            comment=by_item[item.pk].comment.strip(),
        )
        for item, mark in zip(items, marks, strict=True)
    ]
    scope.check_verification(verification, *verdicts)
    with transaction.atomic():
        verification.save()
        for verdict in verdicts:
            verdict.verification = verification
        ItemVerdict.objects.bulk_create(verdicts)
    creation.__dict__.pop("verification", None)
    return verification


# --- the organisation ----------------------------------------------------------------------------


def member_save(
    *,
    scope: Scope,
    year: int,
    body: str,
    position: str,
    name: str,
    post: str = "",
    order: int = 0,
    member: OrganisationMember | None = None,
) -> OrganisationMember:
    """Add (or correct) a member of the leadership group or the management office."""
    scope.require(Role.MANAGER)
    member = member or OrganisationMember(agency=scope.agency)
    scope.check(member)
    if position not in POSITIONS_OF.get(body, ()):
        raise ValidationError({"position": _("That position does not exist in that body.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the member's name.")})
    member.year, member.body, member.position = year, body, position
    member.name, member.post, member.order = name.strip(), post.strip(), order
    member.full_clean(exclude=["agency"])
    member.save()
    return member


def member_delete(*, scope: Scope, member: OrganisationMember) -> None:
    scope.require(Role.MANAGER)
    scope.check(member)
    member.delete()


def office_save(*, scope: Scope, year: int, duties: str) -> ManagementOffice:
    """Write the management office's duties for ``year``."""
    scope.require(Role.MANAGER)
    office = ManagementOffice.objects.filter(agency=scope.agency, year=year).first()
    office = office or ManagementOffice(agency=scope.agency, year=year)
    scope.check(office)
    if not duties.strip():
        raise ValidationError({"duties": _("Write the office's duties.")})
    office.duties = duties.strip()
    office.save()
    return office
