"""The models of reporting, one module per part: figures, targets, disclosures, dashboards."""

from .dashboards import ProgrammeGoal
from .disclosures import (
    Disclosure,
    DisclosureEvent,
    DisclosureEventKind,
    DisclosureStatus,
    PublishedDisclosureError,
)
from .figures import MONTH_FIELDS, MonthlyFigure, PeriodLock, RollupVersion, StaleFigure, YearlyFigure
from .jobs import BackgroundJob, JobState
from .targets import Target

__all__ = [
    "MONTH_FIELDS",
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
    "RollupVersion",
    "StaleFigure",
    "Target",
    "YearlyFigure",
]
