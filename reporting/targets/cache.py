"""The city overview's target evaluation, kept between requests per agency.

Evaluating a province's 12,000 targets (3,000 agencies × four) in Python was two fifths of a
city overview request, and the read of their sums from the yearly rollup most of the rest of its
queries' time. ``targets_evaluate_cached`` gives what ``targets_evaluate`` gives, but keeps each
agency's results in this process's memory under a key made of everything they are computed from:

* the agency's rollup version (``RollupVersion``): a new token each time ``rollup_rebuild``
  replaces any of the agency's yearly rows, written in the refresh's own transaction — the
  only writer of the rollup;
* the targets that apply to it (its own or the defaults: id, indicator, baseline year, reduction,
  base) — read on every request, as before (one small query);
* the divisors of their bases for the year and the baseline year (用能人数, building area, vehicles
  in use…) — read on every request, as before (one query per base in use), so a changed headcount
  or an app's divisor that depends on today's date is never cached;
* how each target's indicator aggregates (a sum, or a ratio of which parts), as registered;
* the year and the month the period runs to.

A request reads the tokens (one query of one row per agency) and the targets and divisors it read
before; each agency whose key is in memory is not evaluated again, the others are evaluated
together (their sums in one read of the rollup, for those agencies only) and kept. A refresh of
one agency changes one token: the next request evaluates that agency alone. Nothing is ever
invalidated by hand — an entry whose key no request builds any more ages out of the bounded store
(least recently used first).

The store is per process on purpose: every key is checked against the database on every request,
so several gunicorn processes each keep their own copy and none can serve another's stale entry;
a process evaluates the city once after it starts (or after every agency's figures changed) and
then only what changed. The results are immutable (frozen dataclasses), shared, never copied.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from datetime import date

from ..models import RollupVersion
from ..registry import TOTAL, get_indicator
from .bases import divisors
from .evaluate import TargetResult, _as_month_number, targets_evaluate, targets_of_year

# Agency-periods kept per process: a province's 3,000 agencies in a few periods (the year, its
# quarters, last year) — about 1 kB per agency-period with its four targets.
MAX_ENTRIES = 20_000

_store: OrderedDict[tuple, tuple[TargetResult, ...]] = OrderedDict()
_lock = threading.Lock()


def evaluation_cache_clear() -> None:
    """Forget every kept evaluation (tests; a process that starts has none)."""
    with _lock:
        _store.clear()


def evaluation_cache_size() -> int:
    return len(_store)


def rollup_versions(agency_ids: list[int]) -> dict[int, object]:
    """agency id → its rollup version token (none for an agency whose rollup was never built)."""
    return dict(RollupVersion.objects.filter(agency_id__any_of=agency_ids).values_list("agency_id", "token"))


def targets_evaluate_cached(
    *, agency_ids: Iterable[int], year: int, as_of_month: int | date = 12
) -> list[TargetResult]:
    """``targets_evaluate`` of these agencies — the same results in the same order — evaluating
    only the agencies whose inputs changed since this process last evaluated them (module
    docstring). Queries: the targets, one per target base in use, the versions, and one read of
    the rollup when any agency is not kept."""
    agency_ids = sorted(set(agency_ids))
    as_of = _as_month_number(as_of_month)
    if not agency_ids:
        return []
    rows = targets_of_year(agency_ids=agency_ids, year=year)
    if not rows:
        return []
    years = {year} | {t.baseline_year for t in rows}
    found = divisors(bases={t.basis for t in rows} - {TOTAL}, agency_ids=agency_ids, years=years)
    versions = rollup_versions(agency_ids)
    # What a target contributes to the key, built once per target row (a province has a few
    # defaults and some agencies' own), and each agency's targets: the defaults, its own winning
    # (``choose_targets``) — one shared list for every agency without targets of its own.
    aggregation = {key: get_indicator(key).aggregation for key in {t.indicator for t in rows}}
    signature = {
        t.pk: (
            t.pk,
            t.agency_id,
            t.indicator,
            aggregation[t.indicator],
            t.baseline_year,
            t.reduction_percent,
            t.basis,
        )
        for t in rows
    }
    defaults = {t.indicator: t for t in rows if t.agency_id is None}
    own: dict[int, dict] = defaultdict(dict)
    for t in rows:
        if t.agency_id is not None:
            own[t.agency_id][t.indicator] = t

    def applying(chosen: dict) -> tuple[list, tuple, list]:
        """The targets by indicator, their signatures and the (base, year) divisors they use."""
        targets = [chosen[key] for key in sorted(chosen)]
        used = [(t.basis, y) for t in targets if t.basis != TOTAL for y in (year, t.baseline_year)]
        return targets, tuple(signature[t.pk] for t in targets), used

    shared = applying(defaults)
    applies = {}
    keys = {}
    for agency_id in agency_ids:
        mine = own.get(agency_id)
        applies[agency_id] = entry = shared if mine is None else applying({**defaults, **mine})
        keys[agency_id] = (
            agency_id,
            year,
            as_of,
            versions.get(agency_id),
            entry[1],
            tuple(found.get((basis, agency_id, y)) for basis, y in entry[2]),
        )
    kept: dict[int, tuple[TargetResult, ...]] = {}
    with _lock:
        for agency_id, key in keys.items():
            hit = _store.get(key)
            if hit is not None:
                _store.move_to_end(key)
                kept[agency_id] = hit
    missing = [agency_id for agency_id in agency_ids if agency_id not in kept]
    if missing:
        fresh: dict[int, list[TargetResult]] = {agency_id: [] for agency_id in missing}
        for result in targets_evaluate(
            agency_ids=missing,
            year=year,
            as_of_month=as_of,
            targets={(a, t.indicator): t for a in missing for t in applies[a][0]},
            found=found,
        ):
            fresh[result.agency_id].append(result)
        with _lock:
            for agency_id, results in fresh.items():
                kept[agency_id] = _store[keys[agency_id]] = tuple(results)
            while len(_store) > MAX_ENTRIES:
                _store.popitem(last=False)
    return [result for agency_id in agency_ids for result in kept[agency_id]]
