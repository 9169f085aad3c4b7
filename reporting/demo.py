"""Demo data of reporting: the seed's 2020 targets and the bureau's quarterly disclosures."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from agencies.demo import DemoContext, register_demo

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
FIRST, LAST, LAST_PUBLISHED = Quarter(2019, 1), Quarter(2021, 4), Quarter(2021, 3)


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
    set_targets = []
    for key, basis, note in SEED_TARGETS:
        if _registered(key):
            target_save(
                agency=None,
                indicator=key,
                year=2020,
                baseline_year=2019,
                reduction_percent=Decimal("3.00"),
                basis=basis,
                note=note,
            )
            set_targets.append(key)
    ctx.notes.append(
        f"Targets 2020 (−3 % vs 2019): {', '.join(set_targets) or 'none — no indicator registered'}"
    )
    if not indicators(top_level_only=True):
        ctx.notes.append("Disclosures: skipped — no indicator is registered yet.")
        return
    quarter, computed, published = FIRST, 0, 0
    while quarter <= LAST:
        existing = Disclosure.objects.filter(agency=bureau, year=quarter.year, quarter=quarter.number)
        if not existing.exists():
            disclosure_compute(agency=bureau, quarter=quarter, by=manager)
            computed += 1
        draft = existing.filter(status=DisclosureStatus.DRAFT).first()
        if draft is not None and quarter <= LAST_PUBLISHED:
            disclosure_publish(disclosure=draft, by=manager, at=_published_at(quarter))
            published += 1
        quarter = quarter.next()
    ctx.notes.append(
        f"Disclosures of {bureau.code}: {computed} computed, {published} published (to {LAST_PUBLISHED})."
    )
