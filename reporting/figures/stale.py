"""The stale record: what a write made stale, refreshed after its commit."""

from collections.abc import Iterable, Sequence
from datetime import date

from ..registry import summed_keys
from .locks import assert_indicators_open
from .refresh import figures_refresh_on_commit


def stale_mark(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    months = sorted({m.replace(day=1) for m in months})
    assert_indicators_open(agency_id=agency_id, months=months, indicators=indicators)
    if months:
        figures_refresh_on_commit(
            agency_ids=[agency_id], months=months, indicator_keys=summed_keys(indicators)
        )
