"""The home page of each role (工作台): what there is to do now, from what the apps register.

The home page knows no app by name. In ``AppConfig.ready()`` an app registers

* **to-dos** (待办) — ``TodoSource(key, roles, compute)``: ``compute(scope, today)`` returns
  ``Todo`` lines for the signed-in user's scope (a clerk's departments, the agency), each linking
  to the page where it is done: this month's meter round, readings to review, a quarter to publish,
  a failed import, a refused requisition …;
* **panels** — ``Panel(key, roles, template, context)``: a block of the home page for some roles
  (the leader's target summary, the city overview); ``context(scope, today)`` returns the
  template's context, or ``None`` when there is nothing to show.

A to-do source may name the alerts (``reporting`` alert keys) it ``covers``: the home page shows
registered alerts too, but not those a to-do already says in actionable form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

LEVELS = ("danger", "warning", "info", "success")  # worst first


@dataclass(frozen=True)
class Todo:
    message: str
    url: str = ""
    level: str = "warning"  # one of LEVELS
    count: int | None = None  # shown as a badge when given
    key: str = ""  # the source's key, filled in by todos_for


@dataclass(frozen=True)
class TodoSource:
    key: str
    roles: frozenset[str]
    compute: Callable[[Any, date], Iterable[Todo]]
    order: int = 100
    covers: tuple[str, ...] = ()  # alert keys this source says in actionable form


@dataclass(frozen=True)
class Panel:
    key: str
    roles: frozenset[str]
    template: str
    context: Callable[[Any, date], dict | None]
    order: int = 100


_TODOS: dict[str, TodoSource] = {}
_PANELS: dict[str, Panel] = {}


def register_todo(source: TodoSource) -> TodoSource:
    if source.key in _TODOS and _TODOS[source.key] is not source:
        raise ValueError(f"To-do source {source.key!r} is already registered")
    _TODOS[source.key] = source
    return source


def register_panel(panel: Panel) -> Panel:
    if panel.key in _PANELS and _PANELS[panel.key] is not panel:
        raise ValueError(f"Home panel {panel.key!r} is already registered")
    _PANELS[panel.key] = panel
    return panel


def unregister(key: str) -> None:
    """For tests that register a temporary source or panel."""
    _TODOS.pop(key, None)
    _PANELS.pop(key, None)


def todo_sources() -> list[TodoSource]:
    return sorted(_TODOS.values(), key=lambda s: (s.order, s.key))


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def todos_for(scope, today: date) -> list[Todo]:
    """Every registered source's to-dos for this scope's role, worst first (then in source order)."""
    found = []
    for position, source in enumerate(todo_sources()):
        if scope.role not in source.roles:
            continue
        for todo in source.compute(scope, today):
            found.append(
                (LEVELS.index(todo.level) if todo.level in LEVELS else 1, position, todo, source.key)
            )
    found.sort(key=lambda item: item[:2])
    return [
        Todo(todo.message, todo.url, todo.level, todo.count, key) for _level, _position, todo, key in found
    ]


def covered_alerts(scope) -> set[str]:
    """Alert keys the to-dos of this role already say (the home page leaves them out)."""
    return {key for source in todo_sources() if scope.role in source.roles for key in source.covers}


def panels_for(scope, today: date) -> list[tuple[Panel, dict]]:
    """The panels of this scope's role that have something to show, with their context."""
    shown = []
    for panel in panels():
        if scope.role not in panel.roles:
            continue
        context = panel.context(scope, today)
        if context is not None:
            shown.append((panel, context))
    return shown
