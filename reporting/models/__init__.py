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
from .jobs import BackgroundJob, JobState
from .targets import Target

__all__ = [
    "BackgroundJob",
    "Disclosure",
    "DisclosureEvent",
    "DisclosureEventKind",
    "DisclosureStatus",
    "JobState",
    "MonthlyFigure",
    "PeriodLock",
    "ProgrammeGoal",
    "PublishedDisclosureError",
    "StaleFigure",
    "Target",
]
