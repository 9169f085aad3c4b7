"""Demo data of reporting: the seed's 2020 targets, a yearly target for each later year, and the
bureau's quarterly disclosures up to the demo's last complete quarter (left as a draft for the
manager to publish; the quarters before it published)."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from agencies.demo import DemoContext, register_demo
from agencies.scoping import Scope, user_scope

from .disclosures.services import disclosure_compute, disclosure_publish
from .models import Disclosure, DisclosureStatus
from .periods import Quarter
from .registry import PER_CAPITA, TOTAL, get_indicator, indicators
from .targets.services import target_save

# 临医保字〔2020〕30号: by the end of 2020, at least 3 % below the 2019 year-end statistics.
# Vehicle fuel and consumables get their targets as data once their indicators are registered.
SEED_TARGETS = [
    ("electricity", TOTAL, "全局年耗电量"),
    ("water", PER_CAPITA, "人均年耗水量"),
]
SEED_YEAR, SEED_REDUCTION = 2020, Decimal("3.00")
# Each later year the city sets 1 % below the year before (比上年下降1%).
LATER_REDUCTION = Decimal("1.00")
FIRST = Quarter(2019, 1)


def _published_at(quarter: Quarter) -> datetime:
    """A past quarter's notice is dated as an office would have posted it: the 8th of the next month."""
    first = quarter.next().months[0]
    return timezone.make_aware(datetime(first.year, first.month, 8, 10))


def _registered(key: str) -> bool:
    try:
        get_indicator(key)
    except LookupError:
        return False
    return True


@register_demo(order=80)
def seed_reporting(ctx: DemoContext) -> None:
    bureau, manager = ctx.agencies["LYYB"], ctx.users.get("manager")
    set_targets = [key for key, _basis, _note in SEED_TARGETS if _registered(key)]
    for key, basis, note in SEED_TARGETS:
        if key not in set_targets:
            continue
        target_save(
            scope=Scope.system(None),
            indicator=key,
            year=SEED_YEAR,
            baseline_year=SEED_YEAR - 1,
            reduction_percent=SEED_REDUCTION,
            basis=basis,
            note=note,
        )
        for year in range(SEED_YEAR + 1, ctx.period.today.year + 1):
            target_save(
                scope=Scope.system(None),
                indicator=key,
                year=year,
                baseline_year=year - 1,
                reduction_percent=LATER_REDUCTION,
                basis=basis,
                note=f"{note}比上年下降1%",
            )
    ctx.notes.append(
        f"Targets 2020 (−3 % vs 2019) and 2021–{ctx.period.today.year} (−1 % vs the year before): "
        f"{', '.join(set_targets) or 'none — no indicator registered'}"
    )
    if not indicators(top_level_only=True):
        ctx.notes.append("Disclosures: skipped — no indicator is registered yet.")
        return
    writer = (user_scope(manager, bureau) if manager else None) or Scope.system(bureau)
    last = Quarter(*ctx.period.last_complete_quarter)
    last_published = last.previous()
    statuses: dict[Quarter, set[str]] = {}
    for year, number, status in Disclosure.objects.filter(agency=bureau).values_list(
        "year", "quarter", "status"
    ):
        statuses.setdefault(Quarter(year, number), set()).add(status)
    quarter, computed, published = FIRST, 0, 0
    while quarter <= last:
        have = statuses.get(quarter, set())
        to_publish = quarter <= last_published and DisclosureStatus.PUBLISHED not in have
        if not have or (to_publish and DisclosureStatus.DRAFT in have):
            # A draft left by an earlier run is computed again before it is published: a ledger
            # added to the demo since then must be in it.
            draft = disclosure_compute(agency=bureau, quarter=quarter, by=manager)
            computed += 1
            if to_publish:
                at = _published_at(quarter)
                # a made-up 发文字号 in the office's series: 临医保字〔2021〕1号 for 2020Q4 …
                number = f"临医保字〔{at.year}〕{quarter.number}号"
                disclosure_publish(scope=writer, disclosure=draft, at=at, document_number=number)
                published += 1
        quarter = quarter.next()
    ctx.notes.append(
        f"Disclosures of {bureau.code}: {computed} computed, {published} published "
        f"(to {last_published}; {last} is a draft for the manager to publish)."
    )
