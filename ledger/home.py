"""What the ledger puts on the home page (工作台): this month's meter round, the meters last month
missed, readings waiting for the manager's review — for the user's own meters (a clerk's
departments, the manager's agency). Registered in ``LedgerConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.conventions import months_label
from agencies.models import Role
from agencies.workbench import Panel, Todo, TodoSource, register_panel, register_todo

from .models import Meter, Reading
from .queries import active_meters, round_rows
from .usage import month_end, previous_month


def _meters(scope):
    return scope.filter(Meter.objects, department_field="department")


def _unread(scope, month: date) -> tuple[int, int]:
    """(meters in service in ``month`` without a reading in it, meters in service) — one query."""
    read = Reading.objects.filter(meter=OuterRef("pk"), date__gte=month, date__lte=month_end(month))
    rows = active_meters(_meters(scope), month).annotate(read=Exists(read)).values_list("read", flat=True)
    flags = list(rows)
    return flags.count(False), len(flags)


def round_todos(scope, today: date) -> list[Todo]:
    """This month's round, and last month's meters that were never read."""
    month = today.replace(day=1)
    todos = []
    missing, total = _unread(scope, month)
    this_month = months_label(month.month, month.month, month.year)
    round_url = reverse("ledger:round")
    if total and missing:
        todos.append(
            Todo(
                ngettext(
                    "This month's round (%(month)s): %(missing)d of %(total)d meter still to read.",
                    "This month's round (%(month)s): %(missing)d of %(total)d meters still to read.",
                    total,
                )
                % {
                    "month": months_label(month.month, month.month, month.year),
                    "missing": missing,
                    "total": total,
                },
                round_url,
                "warning",
                missing,
            )
        )
    elif total:
        todos.append(
            Todo(
                _("This month's round (%(month)s) is done: every meter is read.") % {"month": this_month},
                round_url,
                "success",
            )
        )
    last = previous_month(month)
    missed, _total = _unread(scope, last)
    if missed:
        todos.append(
            Todo(
                ngettext(
                    "%(count)d meter has no reading for %(month)s: enter it with its date.",
                    "%(count)d meters have no reading for %(month)s: enter them with their date.",
                    missed,
                )
                % {"count": missed, "month": months_label(last.month, last.month, last.year)},
                f"{round_url}?date={month_end(last):%Y-%m-%d}",
                "danger",
                missed,
            )
        )
    return todos


def review_todos(scope, today: date) -> list[Todo]:
    """A clerk's unusual readings that the energy manager has not reviewed yet (one query)."""
    waiting = Reading.objects.filter(
        meter__in=_meters(scope), is_abnormal=True, reviewed_at__isnull=True, date__lte=today
    ).count()
    if not waiting:
        return []
    message = ngettext(
        "%(count)d reading you confirmed as unusual waits for the energy manager's review.",
        "%(count)d readings you confirmed as unusual wait for the energy manager's review.",
        waiting,
    ) % {"count": waiting}
    return [Todo(message, reverse("ledger:meter_list") + "?abnormal=1", "info", waiting)]


def round_panel(scope, today: date) -> dict | None:
    """The clerk's meters and whether each was read this month, with the round one tap away."""
    rows = round_rows(_meters(scope), today.replace(day=1))
    if not rows:
        return None
    return {
        "rows": rows,
        "month": today.replace(day=1),
        "missing": sum(1 for r in rows if not r.read_this_month),
    }


def register() -> None:
    writers = frozenset({Role.CLERK, Role.MANAGER})
    register_todo(
        TodoSource("ledger.round", writers, round_todos, order=10, covers=("ledger.missing_readings",))
    )
    register_todo(TodoSource("ledger.review", frozenset({Role.CLERK}), review_todos, order=20))
    register_panel(
        Panel("ledger.round", frozenset({Role.CLERK}), "ledger/home/_round.html", round_panel, order=10)
    )
