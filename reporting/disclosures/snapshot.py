"""The quarterly disclosure snapshot: every registered indicator of a set of agencies for a quarter.

``disclosure_snapshots`` reads the fact table in one GROUP BY, AgencyYear once and the targets'
evaluation (three queries): the same handful of queries for one agency or the whole city.
The snapshot is plain JSON (Decimals as strings) so that a published disclosure is frozen.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from agencies.models import Agency

from ..models import Target
from ..periods import Quarter
from ..registry import PER_AREA, PER_CAPITA, Indicator, indicators
from ..targets.evaluate import agency_facts, applicable_targets, evaluate_target, figure_sums

SNAPSHOT_VERSION = 1
PLACES = Decimal("0.01")


def _d(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(PLACES))


def _pct(new, old) -> str | None:
    if new is None or old is None or Decimal(old) == 0:
        return None
    return str(((Decimal(new) - Decimal(old)) / Decimal(old) * 100).quantize(PLACES))


def _div(value, by) -> Decimal | None:
    if value is None or not by:
        return None
    return Decimal(value) / Decimal(by)


def default_baseline_year() -> int:
    return getattr(settings, "REPORTING_BASELINE_YEAR", 2019)


_NAMES: dict[str, tuple[Indicator, dict[str, str]]] = {}


def _names(indicator: Indicator) -> dict[str, str]:
    """The indicator's name and unit frozen in Chinese (the notice's language) and in English.

    Kept per process for the registered object (the catalogues do not change while it runs)."""
    cached = _NAMES.get(indicator.key)
    if cached is not None and cached[0] is indicator:
        return cached[1]
    with translation.override("zh-hans"):
        zh, unit_zh = str(indicator.name), str(indicator.unit)
    with translation.override("en"):
        en, unit_en = str(indicator.name), str(indicator.unit)
    names = {"name": zh, "name_en": en, "unit": unit_zh, "unit_en": unit_en}
    _NAMES[indicator.key] = (indicator, names)
    return names


FIGURE_FIELDS = ("quarter", "ytd", "baseline_quarter", "baseline_ytd", "last_year_quarter", "last_year_ytd")


def has_data(item: dict) -> bool:
    """Whether a snapshot row has any figure for its periods (or a target to report on)."""
    return bool(item.get("target")) or any(item.get(field) is not None for field in FIGURE_FIELDS)


def notice_items(data: dict) -> list[dict]:
    """The rows a public notice shows: indicators with no figure at all for the period are left out."""
    return [item for item in data.get("indicators", []) if has_data(item)]


def disclosure_snapshots(
    *,
    agency_ids: Iterable[int],
    quarter: Quarter,
    agency_names: dict[int, str] | None = None,
    targets: dict[tuple[int, str], Target] | None = None,
    facts: dict[tuple[int, int], tuple[int, Decimal]] | None = None,
    sums: dict[tuple[int, str, int], dict] | None = None,
) -> dict[int, dict]:
    """agency id → the JSON snapshot of ``quarter`` for every registered indicator.

    Four queries whatever the number of agencies: the targets, one GROUP BY over MonthlyFigure,
    AgencyYear and the agencies' names; a caller that already read the names, the applicable
    targets (``applicable_targets``), the AgencyYear facts (``agency_facts``) or the figures'
    sums (``figure_sums`` with ``quarter_from``), for every year the snapshot needs, passes them
    and saves those queries.
    """
    agency_ids = sorted(set(agency_ids))
    registered = indicators()
    if not agency_ids:
        return {}
    if targets is None:
        targets = applicable_targets(agency_ids=agency_ids, year=quarter.year)
    baseline_default = default_baseline_year()
    years = {quarter.year, quarter.year - 1, baseline_default} | {t.baseline_year for t in targets.values()}
    last = quarter.last_month
    if sums is None:
        sums = figure_sums(
            agency_ids=agency_ids,
            keys=[i.key for i in registered],
            years=years,
            through=last,
            quarter_from=quarter.months[0].month,
        )
    if facts is None:
        facts = agency_facts(agency_ids=agency_ids, years=years)
    evaluations = {
        key: evaluate_target(
            agency_id=key[0], target=t, year=quarter.year, as_of=last, sums=sums, facts=facts
        )
        for key, t in targets.items()
    }
    if agency_names is None:
        agency_names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    names = {i.key: _names(i) for i in registered}
    now = timezone.now().isoformat()

    snapshots = {}
    for agency_id in agency_ids:
        head, area = facts.get((agency_id, quarter.year), (None, None))
        items = []
        for indicator in registered:
            target = targets.get((agency_id, indicator.key))
            base_year = target.baseline_year if target else baseline_default

            def pick(year, field, _key=indicator.key, _agency=agency_id):
                return (sums.get((_agency, _key, year)) or {}).get(field)

            q, ytd = pick(quarter.year, "q"), pick(quarter.year, "ytd")
            base_q, base_ytd = pick(base_year, "q"), pick(base_year, "ytd")
            last_q, last_ytd = pick(quarter.year - 1, "q"), pick(quarter.year - 1, "ytd")
            base_head = facts.get((agency_id, base_year), (None, None))[0]
            item = {
                "key": indicator.key,
                **names[indicator.key],
                "parent": indicator.parent,
                "baseline_year": base_year,
                "quarter": _d(q),
                "ytd": _d(ytd),
                "baseline_quarter": _d(base_q),
                "baseline_ytd": _d(base_ytd),
                "last_year_quarter": _d(last_q),
                "last_year_ytd": _d(last_ytd),
                "change_ytd_vs_baseline": _pct(ytd, base_ytd),
                "change_ytd_vs_last_year": _pct(ytd, last_ytd),
                "change_quarter_vs_last_year": _pct(q, last_q),
                "complete": (pick(quarter.year, "ytd_months") or 0) == last,
                "per_capita": None,
                "per_area": None,
                "target": None,
            }
            if PER_CAPITA in indicator.bases:
                pc, base_pc = _div(ytd, head), _div(base_ytd, base_head)
                item["per_capita"] = {
                    "unit": f"{names[indicator.key]['unit']}/人",
                    "quarter": _d(_div(q, head)),
                    "ytd": _d(pc),
                    "baseline_ytd": _d(base_pc),
                    "change": _pct(pc, base_pc),
                }
            if PER_AREA in indicator.bases:
                item["per_area"] = {
                    "unit": f"{names[indicator.key]['unit']}/m²",
                    "quarter": _d(_div(q, area)),
                    "ytd": _d(_div(ytd, area)),
                }
            result = evaluations.get((agency_id, indicator.key))
            if result is not None:
                item["target"] = {
                    "percent": str(result.target_percent),
                    "basis": result.basis,
                    "per_capita": result.basis == PER_CAPITA,
                    "baseline": _d(result.baseline),
                    "actual": _d(result.actual),
                    "change": _d(result.change_percent),
                    "projected": _d(result.projected),
                    "status": result.status,
                    "complete": result.complete,
                }
            items.append(item)
        snapshots[agency_id] = {
            "schema": SNAPSHOT_VERSION,
            "agency": agency_names.get(agency_id, ""),
            "quarter": str(quarter),
            "year": quarter.year,
            "number": quarter.number,
            "months": [m.isoformat() for m in quarter.months],
            "headcount": head,
            "building_area": _d(area),
            "computed_at": now,
            "indicators": items,
        }
    return snapshots


def snapshot_differences(old: dict, new: dict) -> list[dict]:
    """What changed between two snapshots' figures: the basis of a correction notice (更正)."""
    before = {i["key"]: i for i in old.get("indicators", [])}
    changes = []
    for item in new.get("indicators", []):
        previous = before.get(item["key"], {})
        for field in ("quarter", "ytd"):
            if previous.get(field) != item.get(field):
                changes.append(
                    {
                        "key": item["key"],
                        "name": item["name"],
                        "field": field,
                        "old": previous.get(field),
                        "new": item.get(field),
                    }
                )
    return changes
