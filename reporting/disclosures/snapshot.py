"""The quarterly disclosure snapshot: every registered indicator of a set of agencies for a quarter.

``disclosure_snapshots`` reads the targets, the fact table in one GROUP BY (a ratio indicator as
its two summed parts, ``figures.read.figure_sums``), the divisors of the target bases in use
(one query each) and the agencies' names: the same handful of queries for one agency or the
whole city. The snapshot is plain JSON (Decimals as strings) so that a published disclosure is
frozen. Schema 2 keeps each indicator's figures in every target base it declares (``bases``:
per capita, per m², per vehicle …) and whether it is for the public notice; ``snapshot_items``
reads schema 1 snapshots (published before) in the same shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from agencies.conventions import unit_label
from agencies.models import Agency

from ..figures.numbers import percent_change
from ..figures.read import figure_sums
from ..models import Target
from ..periods import Quarter
from ..registry import PER_AREA, PER_CAPITA, TOTAL, Indicator, get_target_base, indicators
from ..targets.bases import Divisors, divisors, in_base
from ..targets.evaluate import applicable_targets, evaluate_target

SNAPSHOT_VERSION = 2
PLACES = Decimal("0.01")


def _d(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(PLACES))


def _pct(new, old) -> str | None:
    return _d(percent_change(None if new is None else Decimal(new), None if old is None else Decimal(old)))


def default_baseline_year() -> int:
    return getattr(settings, "REPORTING_BASELINE_YEAR", 2019)


_NAMES: dict[tuple[str, str], tuple[object, dict[str, str]]] = {}


def _frozen(kind: str, obj, name, unit) -> dict[str, str]:
    """A name and unit frozen in Chinese (the notice's language) and in English, kept per process
    for the registered object (the catalogues do not change while it runs). The Chinese unit is in
    words (元, 千瓦时); the English keeps the unit's code (yuan, kWh), which the pages and the notice
    put into words in the reader's language."""
    cached = _NAMES.get((kind, obj.key))
    if cached is not None and cached[0] is obj:
        return cached[1]
    with translation.override("zh-hans"):
        zh, unit_zh = str(name), unit_label(unit)
    with translation.override("en"):
        en, unit_en = str(name), str(unit)
    names = {"name": zh, "name_en": en, "unit": unit_zh, "unit_en": unit_en}
    _NAMES[(kind, obj.key)] = (obj, names)
    return names


def _names(indicator: Indicator) -> dict[str, str]:
    return _frozen("indicator", indicator, indicator.name, indicator.unit)


def _base_names(indicator: Indicator, base_key: str) -> dict[str, str]:
    base = get_target_base(base_key)
    names = _frozen("base", base, base.name, base.per)
    unit = _names(indicator)
    return {
        "name": names["name"],
        "name_en": names["name_en"],
        "unit": f"{unit['unit']}{names['unit']}",
        "unit_en": f"{unit['unit_en']}{names['unit_en']}",
    }


FIGURE_FIELDS = ("quarter", "ytd", "baseline_quarter", "baseline_ytd", "last_year_quarter", "last_year_ytd")


def has_data(item: dict) -> bool:
    """Whether a snapshot row has any figure for its periods (or a target to report on)."""
    return bool(item.get("target")) or any(item.get(field) is not None for field in FIGURE_FIELDS)


def snapshot_items(data: dict) -> list[dict]:
    """The snapshot's rows in schema 2's shape (a schema 1 snapshot's per_capita/per_area become
    ``bases``; its target's ``per_capita`` flag becomes the base's name)."""
    items = data.get("indicators", [])
    if data.get("schema", 1) >= 2:
        return items
    labels = {PER_CAPITA: ("人均", "per capita"), PER_AREA: ("单位建筑面积", "per m² of building area")}
    converted = []
    for item in items:
        bases = []
        for key in (PER_CAPITA, PER_AREA):
            if item.get(key):
                name, name_en = labels[key]
                bases.append({"key": key, "name": name, "name_en": name_en, "unit_en": "", **item[key]})
        target = item.get("target")
        if target:
            name, name_en = labels.get(target.get("basis"), ("", ""))
            target = {**target, "basis_name": name, "basis_name_en": name_en}
        converted.append({**item, "bases": bases, "public": True, "target": target})
    return converted


def notice_items(data: dict) -> list[dict]:
    """The rows a public notice shows: indicators marked for the public notice that have a figure
    for the period (an indicator with no figure at all is left out)."""
    return [item for item in snapshot_items(data) if item.get("public", True) and has_data(item)]


def snapshot_years(quarter: Quarter, targets: Iterable[Target]) -> set[int]:
    """The years a snapshot reads: the quarter's, last year, the default and the targets' baselines."""
    return {quarter.year, quarter.year - 1, default_baseline_year()} | {t.baseline_year for t in targets}


def disclosure_snapshots(
    *,
    agency_ids: Iterable[int],
    quarter: Quarter,
    agency_names: dict[int, str] | None = None,
    targets: dict[tuple[int, str], Target] | None = None,
    sums: dict[tuple[int, str, int], dict] | None = None,
    found: Divisors | None = None,
) -> dict[int, dict]:
    """agency id → the JSON snapshot of ``quarter`` for every registered indicator.

    A caller that already read the names, the applicable targets (``applicable_targets``), the
    figures' sums (``figure_sums`` with ``quarter_from``) or the divisors (``bases.divisors``)
    for every year the snapshot needs passes them and saves those queries.
    """
    agency_ids = sorted(set(agency_ids))
    registered = indicators()
    if not agency_ids:
        return {}
    if targets is None:
        targets = applicable_targets(agency_ids=agency_ids, year=quarter.year)
    baseline_default = default_baseline_year()
    years = snapshot_years(quarter, targets.values())
    last = quarter.last_month
    if sums is None:
        sums = figure_sums(
            agency_ids=agency_ids,
            keys=[i.key for i in registered],
            years=years,
            through=last,
            quarter_from=quarter.months[0].month,
        )
    if found is None:
        used = {b for i in registered for b in i.bases} | {t.basis for t in targets.values()} | {PER_CAPITA}
        found = divisors(bases=used - {TOTAL}, agency_ids=agency_ids, years=years)
    evaluations = {
        key: evaluate_target(
            agency_id=key[0], target=t, year=quarter.year, as_of=last, sums=sums, divisors=found
        )
        for key, t in targets.items()
    }
    if agency_names is None:
        agency_names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    now = timezone.now().isoformat()

    snapshots = {}
    for agency_id in agency_ids:
        items = []
        for indicator in registered:
            target = targets.get((agency_id, indicator.key))
            base_year = target.baseline_year if target else baseline_default

            def pick(year, field, _key=indicator.key, _agency=agency_id):
                return (sums.get((_agency, _key, year)) or {}).get(field)

            q, ytd = pick(quarter.year, "q"), pick(quarter.year, "ytd")
            base_q, base_ytd = pick(base_year, "q"), pick(base_year, "ytd")
            last_q, last_ytd = pick(quarter.year - 1, "q"), pick(quarter.year - 1, "ytd")
            item = {
                "key": indicator.key,
                **_names(indicator),
                "parent": indicator.parent,
                "aggregation": "ratio" if indicator.is_ratio else "sum",
                "public": indicator.public,
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
                "bases": [],
                "target": None,
            }
            for base_key in indicator.bases:
                now_divisor = found.get((base_key, agency_id, quarter.year))
                base_divisor = found.get((base_key, agency_id, base_year))
                in_now, in_before = in_base(ytd, now_divisor), in_base(base_ytd, base_divisor)
                item["bases"].append(
                    {
                        "key": base_key,
                        **_base_names(indicator, base_key),
                        "quarter": _d(in_base(q, now_divisor)),
                        "ytd": _d(in_now),
                        "baseline_ytd": _d(in_before),
                        "change": _pct(in_now, in_before),
                    }
                )
            result = evaluations.get((agency_id, indicator.key))
            if result is not None:
                base_names = _base_names(indicator, result.basis)
                item["target"] = {
                    "percent": str(result.target_percent),
                    "basis": result.basis,
                    "basis_name": base_names["name"] if result.basis != TOTAL else "",
                    "basis_name_en": base_names["name_en"] if result.basis != TOTAL else "",
                    "unit": base_names["unit"],
                    "baseline": _d(result.baseline),
                    "actual": _d(result.actual),
                    "change": _d(result.change_percent),
                    "projected": _d(result.projected),
                    "status": result.status,
                    "complete": result.complete,
                }
            items.append(item)
        headcount = found.get((PER_CAPITA, agency_id, quarter.year))
        area = found.get((PER_AREA, agency_id, quarter.year))
        snapshots[agency_id] = {
            "schema": SNAPSHOT_VERSION,
            "agency": agency_names.get(agency_id, ""),
            "quarter": str(quarter),
            "year": quarter.year,
            "number": quarter.number,
            "months": [m.isoformat() for m in quarter.months],
            "headcount": None if headcount is None else int(headcount),
            "building_area": _d(area),
            "computed_at": now,
            "indicators": items,
        }
    return snapshots


def same_figures(old: dict, new: dict) -> bool:
    """Whether two snapshots of a quarter say the same (their computation time aside)."""
    return old.get("indicators") == new.get("indicators") and all(
        old.get(k) == new.get(k) for k in ("headcount", "building_area")
    )


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
