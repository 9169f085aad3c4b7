"""The models of reporting, one module per part: figures, targets, disclosures, dashboards."""

from .dashboards import ProgrammeGoal
from .disclosures import (
    Disclosure,
    DisclosureEvent,
    DisclosureEventKind,
    DisclosureStatus,
    PublishedDisclosureError,
)
from .figures import MonthlyFigure, PeriodLock, StaleFigure
from .targets import Target

__all__ = [
    "Disclosure",
    "DisclosureEvent",
    "DisclosureEventKind",
    "DisclosureStatus",
    "MonthlyFigure",
    "PeriodLock",
    "ProgrammeGoal",
    "PublishedDisclosureError",
    "StaleFigure",
    "Target",
]
