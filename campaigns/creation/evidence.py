"""What the portal already holds for each evaluation item (自评佐证): a summary and links.

``EVIDENCE[source](creation, today)`` reads the agency's own ledgers for the creation's year and
says whether they show what the item asks (``found``), in words, with links to the pages that hold
it. An item names its source in the fixture (``EvaluationItem.evidence``). A source reads a few
queries at most; the self-assessment page calls each once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.conventions import join_list

from .models import Body, Creation, EvidenceSource, ManagementOffice, OrganisationMember, Position


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Evidence:
    found: bool  # the portal shows what the item asks
    summary: str
    links: list[Link] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def months_due(year: int, today: date) -> list[int]:
    """The months of ``year`` that are over by ``today`` (a past year: all twelve)."""
    if year < today.year:
        return list(range(1, 13))
    if year > today.year:
        return []
    return list(range(1, today.month))


def _url(name: str, **query) -> str:
    url = reverse(name)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def organisation(creation: Creation, today: date) -> Evidence:
    members = list(
        OrganisationMember.objects.filter(agency=creation.agency, year=creation.year)
        .values("body", "position")
        .annotate(n=Count("pk"))
        .order_by()
    )
    count = {(m["body"], m["position"]): m["n"] for m in members}
    duties = ManagementOffice.objects.filter(agency=creation.agency, year=creation.year).exclude(duties="")
    group = {p: count.get((Body.GROUP, p), 0) for p in (Position.LEADER, Position.DEPUTY, Position.MEMBER)}
    office = {p: count.get((Body.OFFICE, p), 0) for p in (Position.HEAD, Position.MEMBER)}
    has_duties = duties.exists()
    summary = _(
        "Leadership group: %(leaders)d leader, %(deputies)d deputies, %(members)d members. "
        "Management office: %(heads)d head, %(office)d members, duties %(duties)s."
    ) % {
        "leaders": group[Position.LEADER],
        "deputies": group[Position.DEPUTY],
        "members": group[Position.MEMBER],
        "heads": office[Position.HEAD],
        "office": office[Position.MEMBER],
        "duties": _("written") if has_duties else _("not written"),
    }
    found = bool(group[Position.LEADER] and group[Position.MEMBER] and office[Position.HEAD] and has_duties)
    link = Link(_("Organisation"), _url("campaigns:organisation", year=creation.year))
    return Evidence(found, summary, [link])


def plan(creation: Creation, today: date) -> Evidence:
    on_time = not creation.applied_late
    summary = _("%(plan)s, applied on %(day)s (deadline %(deadline)s)%(late)s; plan document %(doc)s.") % {
        "plan": creation.plan_title,
        "day": creation.applied_on.isoformat(),
        "deadline": creation.deadline.isoformat(),
        "late": "" if on_time else _(", late"),
        "doc": _("attached") if creation.plan_document else _("not attached"),
    }
    links = [Link(_("Application"), reverse("campaigns:creation_detail", kwargs={"pk": creation.pk}))]
    if creation.plan_document:
        links.append(Link(_("Plan document"), reverse("campaigns:creation_plan", kwargs={"pk": creation.pk})))
    return Evidence(on_time and bool(creation.plan_document), summary, links)


def meters(creation: Creation, today: date) -> Evidence:
    from ledger.models import Meter, MeterKind

    start, end = date(creation.year, 1, 1), date(creation.year, 12, 31)
    active = Meter.objects.filter(agency=creation.agency).filter(
        Q(installed_on__isnull=True) | Q(installed_on__lte=end),
        Q(retired_on__isnull=True) | Q(retired_on__gte=start),
    )
    rows = list(
        active.values("kind")
        .annotate(
            top=Count("pk", filter=Q(parent__isnull=True)),
            sub=Count("pk", filter=Q(parent__isnull=False)),
        )
        .order_by()
    )
    # Meters with a reading in the year (the others are counted as unread).
    read = set(active.filter(readings__date__range=(start, end)).values_list("pk", flat=True).distinct())
    total = active.count()
    by_kind = {r["kind"]: r for r in rows}
    top = {kind: by_kind.get(kind, {}).get("top", 0) for kind in (MeterKind.ELECTRICITY, MeterKind.WATER)}
    subs = sum(r["sub"] for r in rows)
    unread = total - len(read)
    summary = _(
        "%(total)d meters in the registry (electricity %(e)d, water %(w)d main meters; %(subs)d sub-meters); "
        "%(unread)d without a reading in %(year)d."
    ) % {
        "total": total,
        "e": top[MeterKind.ELECTRICITY],
        "w": top[MeterKind.WATER],
        "subs": subs,
        "unread": unread,
        "year": creation.year,
    }
    found = bool(top[MeterKind.ELECTRICITY] and top[MeterKind.WATER] and unread == 0)
    return Evidence(found, summary, [Link(_("Meter registry"), reverse("ledger:meter_list"))])


def disclosures(creation: Creation, today: date) -> Evidence:
    from reporting.models import Disclosure, DisclosureStatus

    published = sorted(
        set(
            Disclosure.objects.filter(
                agency=creation.agency, year=creation.year, status=DisclosureStatus.PUBLISHED
            ).values_list("quarter", flat=True)
        )
    )
    summary = _("%(n)d of 4 quarterly disclosures of %(year)d published%(which)s.") % {
        "n": len(published),
        "year": creation.year,
        "which": (" (" + join_list(f"Q{q}" for q in published) + ")") if published else "",
    }
    link = Link(_("Disclosures"), reverse("reporting:disclosure_list"))
    return Evidence(len(published) == 4, summary, [link])


def targets(creation: Creation, today: date) -> Evidence:
    from reporting.registry import get_indicator
    from reporting.targets.evaluate import TargetStatus, targets_evaluate

    results = targets_evaluate(agency_ids=[creation.agency_id], year=creation.year)
    parts = []
    for result in results:
        change = "–" if result.change_percent is None else f"{result.change_percent:+.2f}%"
        parts.append(f"{get_indicator(result.indicator).name} {change} {result.status_label}")
    met = sum(1 for r in results if r.status == TargetStatus.MET)
    summary = _("%(met)d of %(n)d targets met") % {"met": met, "n": len(results)}
    if parts:
        summary += _(": ") + "；".join(str(p) for p in parts)
    summary += "."
    link = Link(_("Targets"), _url("reporting:targets", year=creation.year))
    return Evidence(bool(results) and met == len(results), summary, [link])


def _events(creation: Creation) -> dict[str, int]:
    from campaigns.publicity.models import Event

    return dict(
        Event.objects.filter(agency=creation.agency, date__year=creation.year)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )


def events(creation: Creation, today: date) -> Evidence:
    from campaigns.publicity.models import EventKind

    counts = _events(creation)
    national = {
        EventKind.ENERGY_WEEK: counts.get(EventKind.ENERGY_WEEK, 0),
        EventKind.LOW_CARBON_DAY: counts.get(EventKind.LOW_CARBON_DAY, 0),
        EventKind.WORLD_WATER_DAY: counts.get(EventKind.WORLD_WATER_DAY, 0)
        + counts.get(EventKind.CHINA_WATER_WEEK, 0),
    }
    lectures = counts.get(EventKind.LECTURE, 0) + counts.get(EventKind.TRAINING, 0)
    summary = _(
        "%(total)d events in %(year)d: energy week %(week)d, low-carbon day %(day)d, water day and week "
        "%(water)d, lectures and training %(lectures)d."
    ) % {
        "total": sum(counts.values()),
        "year": creation.year,
        "week": national[EventKind.ENERGY_WEEK],
        "day": national[EventKind.LOW_CARBON_DAY],
        "water": national[EventKind.WORLD_WATER_DAY],
        "lectures": lectures,
    }
    link = Link(_("Publicity and training"), _url("campaigns:event_list", year=creation.year))
    return Evidence(all(national.values()) and lectures > 0, summary, [link])


def clean_plate(creation: Creation, today: date) -> Evidence:
    from campaigns.publicity.models import EventKind

    n = _events(creation).get(EventKind.CLEAN_PLATE, 0)
    summary = _("Clean Plate events in %(year)d: %(n)d.") % {"n": n, "year": creation.year}
    link = Link(_("Publicity and training"), _url("campaigns:event_list", year=creation.year))
    return Evidence(n > 0, summary, [link])


def waste(creation: Creation, today: date) -> Evidence:
    from waste.models import WasteCollection

    months = set(
        WasteCollection.objects.filter(agency=creation.agency, date__year=creation.year)
        .annotate(m=ExtractMonth("date"))
        .values_list("m", flat=True)
        .distinct()
    )
    due = months_due(creation.year, today)
    kept = [m for m in due if m in months]
    summary = _("Collections recorded in %(kept)d of the %(due)d months of %(year)d so far.") % {
        "kept": len(kept),
        "due": len(due),
        "year": creation.year,
    }
    links = [Link(_("Waste-sorting ledger"), reverse("waste:collection_list"))]
    return Evidence(bool(due) and len(kept) == len(due), summary, links)


def spot_checks(creation: Creation, today: date) -> Evidence:
    from campaigns.inspections.models import SpotCheck

    checks = SpotCheck.objects.filter(agency=creation.agency, date__year=creation.year)
    stats = checks.aggregate(
        n=Count("pk", distinct=True),
        with_findings=Count("pk", filter=Q(findings__isnull=False), distinct=True),
        open=Count("pk", filter=Q(findings__isnull=False, rectified_on__isnull=True), distinct=True),
    )
    quarters = {(m - 1) // 3 + 1 for m in checks.annotate(m=ExtractMonth("date")).values_list("m", flat=True)}
    quarters_due = {(m - 1) // 3 + 1 for m in months_due(creation.year, today)}
    summary = _(
        "%(n)d spot checks in %(year)d, in %(q)d of %(qdue)d quarters; %(f)d found something, "
        "%(open)d not yet rectified."
    ) % {
        "n": stats["n"],
        "year": creation.year,
        "q": len(quarters & quarters_due),
        "qdue": len(quarters_due),
        "f": stats["with_findings"],
        "open": stats["open"],
    }
    links = [
        Link(_("Spot checks"), reverse("campaigns:spot_check_list")),
        Link(_("Bulletin"), reverse("campaigns:bulletin")),
    ]
    return Evidence(bool(quarters_due) and quarters_due <= quarters and stats["open"] == 0, summary, links)


def paper(creation: Creation, today: date) -> Evidence:
    from ledger.consumables.models import PaperUse

    totals = PaperUse.objects.filter(department__agency=creation.agency, date__year=creation.year).aggregate(
        n=Count("pk"), sheets=Sum("sheets"), duplex=Sum("duplex_sheets")
    )
    sheets, duplex = totals["sheets"] or 0, totals["duplex"] or 0
    share = f"{duplex * 100 / sheets:.0f}%" if sheets else "–"
    summary = ngettext(
        "%(n)d paper registration in %(year)d: %(sheets)d sheets, %(share)s duplex.",
        "%(n)d paper registrations in %(year)d: %(sheets)d sheets, %(share)s duplex.",
        totals["n"],
    ) % {
        "n": totals["n"],
        "year": creation.year,
        "sheets": sheets,
        "share": share,
    }
    return Evidence(
        totals["n"] > 0, summary, [Link(_("Paper register"), reverse("ledger:consumables_paper"))]
    )


FUEL_INDICATOR = "vehicles.fuel"  # registered by the vehicles ledger (issue: vehicles)


def vehicles(creation: Creation, today: date) -> Evidence:
    from reporting.models import MonthlyFigure
    from reporting.registry import get_indicator

    try:
        indicator = get_indicator(FUEL_INDICATOR)
    except LookupError:
        return Evidence(False, _("The portal does not keep a vehicle fuel ledger yet."), [])
    litres = MonthlyFigure.objects.filter(
        agency=creation.agency, indicator=FUEL_INDICATOR, department__isnull=True, month__year=creation.year
    ).aggregate(total=Sum("value"))["total"]
    if litres is None:
        return Evidence(False, _("No fuel recorded in %(year)d.") % {"year": creation.year}, [])
    summary = _("%(name)s in %(year)d: %(value)s %(unit)s.") % {
        "name": indicator.name,
        "year": creation.year,
        "value": f"{litres:,.0f}",
        "unit": indicator.unit,
    }
    return Evidence(True, summary, [])


EVIDENCE: dict[str, Callable[[Creation, date], Evidence]] = {
    EvidenceSource.ORGANISATION: organisation,
    EvidenceSource.PLAN: plan,
    EvidenceSource.METERS: meters,
    EvidenceSource.DISCLOSURES: disclosures,
    EvidenceSource.TARGETS: targets,
    EvidenceSource.EVENTS: events,
    EvidenceSource.CLEAN_PLATE: clean_plate,
    EvidenceSource.WASTE: waste,
    EvidenceSource.SPOT_CHECKS: spot_checks,
    EvidenceSource.PAPER: paper,
    EvidenceSource.VEHICLES: vehicles,
}


def evidence_for(creation: Creation, item, today: date) -> Evidence | None:
    """The portal's evidence for ``item`` (None: the item names no source)."""
    source = EVIDENCE.get(item.evidence)
    return source(creation, today) if source else None
