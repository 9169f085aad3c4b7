"""The ``events`` import kind (宣传培训活动台账): one row per publicity or training event.

An event is identified by its date, kind and title: the same again is the same event (updated or
unchanged). Channels are written in one cell, separated as offices write them (网站、微信公众号).
The rules are the form's (``rules.event_errors``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.models import Department, Role
from imports.registry import (
    ROW,
    Column,
    ImportContext,
    ImportKind,
    RowError,
    Validated,
    WriteSummary,
    register_import_kind,
)
from waste.importers import spellings

from .models import Channel, Event, EventKind
from .rules import event_errors

KIND_CHOICES = {
    **spellings(EventKind.choices),
    "节能宣传周": "energy_week",
    "低碳日": "low_carbon_day",
    "讲座": "lecture",
    "培训": "training",
    "光盘": "clean_plate",
    "其它": "other",
}
CHANNEL_WORDS = {
    **spellings(Channel.choices),
    "网站": "website",
    "门户网站": "website",
    "公众号": "wechat",
    "微信": "wechat",
    "微信公众号": "wechat",
    "宣传栏": "notice_board",
    "公示栏": "notice_board",
    "宣传栏、公示栏": "notice_board",
    "会议": "meeting",
}
SEPARATORS = re.compile(r"\s*[、，,；;/\n]\s*")  # not spaces: "WeChat official account"

COLUMNS = (
    Column(
        "date",
        pgettext_lazy("events import column", "Date"),
        ("活动日期", "日期", "date"),
        "date",
        words=("日期", "时间"),
        not_words=("结束", "截止"),
    ),
    Column(
        "end_date",
        pgettext_lazy("events import column", "Until"),
        ("结束日期", "截止日期", "until"),
        "date",
        required=False,
        words=("结束", "截止"),
    ),
    Column(
        "kind",
        pgettext_lazy("events import column", "Kind"),
        ("活动类型", "类型", "kind"),
        "choice",
        choices=KIND_CHOICES,
        words=("类型", "类别"),
    ),
    Column(
        "title",
        pgettext_lazy("events import column", "Title"),
        ("活动名称", "名称", "主题", "title"),
        words=("名称", "主题", "标题"),
        max_length=120,
    ),
    Column(
        "channels",
        pgettext_lazy("events import column", "Channels"),
        ("宣传渠道", "渠道", "channels"),
        required=False,
        words=("渠道", "形式"),
        max_length=200,
    ),
    Column(
        "participants",
        pgettext_lazy("events import column", "Participants"),
        ("参加人数", "参与人数", "人数", "participants"),
        "int",
        required=False,
        words=("人数", "人次"),
    ),
    Column(
        "department",
        pgettext_lazy("events import column", "Organised by"),
        ("组织科室", "科室", "部门", "department"),
        required=False,
        words=("科室", "部门"),
        max_length=100,
    ),
    Column(
        "summary",
        pgettext_lazy("events import column", "Summary"),
        ("活动情况", "情况", "内容", "summary"),
        required=False,
        words=("情况", "内容", "简介"),
        max_length=4000,
    ),
)
FIELDS = ("end_date", "channels", "participants", "department_id", "summary")


def channels_of(text: str) -> tuple[list[str], list[str]]:
    """'网站、微信公众号' → (["website", "wechat"], unknown parts)."""
    found, unknown = [], []
    for part in SEPARATORS.split(text or ""):
        if not part:
            continue
        value = CHANNEL_WORDS.get(part.lower())
        if value is None:
            unknown.append(part)
        elif value not in found:
            found.append(value)
    return [c for c in Channel.values if c in found], unknown


@dataclass
class EventState:
    agency: object
    user: object
    today: date
    departments: dict
    clerk: bool
    existing: dict  # (date, kind, title) -> Event
    seen: dict = field(default_factory=dict)


def _events(context: ImportContext):
    events = Event.objects.filter(agency=context.agency)
    if context.departments is not None:
        events = events.filter(department_id__in=context.departments)
    return events


def events_prepare(context: ImportContext) -> EventState:
    departments = Department.objects.filter(agency=context.agency)
    if context.departments is not None:
        departments = departments.filter(pk__in=context.departments)
    return EventState(
        agency=context.agency,
        user=context.user,
        today=timezone.localdate(),
        departments=dict(departments.values_list("name", "pk")),
        clerk=context.departments is not None,
        existing={(e.date, e.kind, e.title): e for e in _events(context)},
    )


def events_validate(state: EventState, values: dict, row: int) -> Validated:
    title = (values.get("title") or "").strip()
    channels, unknown = channels_of(values.get("channels") or "")
    participants = values.get("participants") or 0
    errors = event_errors(
        kind=values["kind"],
        day=values["date"],
        end=values.get("end_date"),
        title=title,
        channels=channels + unknown,
        participants=participants,
        today=state.today,
    )
    department_id = None
    name = (values.get("department") or "").strip()
    if name:
        department_id = state.departments.get(name)
        if department_id is None:
            errors["department"] = (
                _("“%(name)s” is not one of your departments.")
                if state.clerk
                else _("No department called “%(name)s” in this agency.")
            ) % {"name": name}
    elif state.clerk:
        errors["department"] = _("Give your department.")
    if errors:
        raise RowError(errors)
    key = (values["date"], values["kind"], title)
    if key in state.seen:
        raise RowError({ROW: _("This event is already in row %(row)d.") % {"row": state.seen[key]}})
    state.seen[key] = row
    fields = {
        "end_date": values.get("end_date"),
        "channels": channels,
        "participants": participants,
        "department_id": department_id,
        "summary": values.get("summary") or "",
    }
    current = state.existing.get(key)
    if current is None:
        event = Event(
            agency=state.agency, date=key[0], kind=key[1], title=title, created_by=state.user, **fields
        )
        return Validated(record=event, status="new")
    same = {name: getattr(current, name) == value for name, value in fields.items()}
    same["channels"] = set(current.channels or []) == set(channels)  # the order is not data
    if all(same.values()):
        return Validated(record=current, status="unchanged")
    for name, value in fields.items():
        setattr(current, name, value)
    return Validated(record=current, status="updated")


def events_write(state: EventState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    new = [e for e in records if e.pk is None]
    changed = [e for e in records if e.pk is not None]
    if new:
        bulk_create_with_history(new, Event, batch_size=500)
    if changed:
        bulk_update_with_history(changed, Event, list(FIELDS), batch_size=500)
    return WriteSummary(created=len(new), updated=len(changed))


def events_export(context: ImportContext):
    for event in _events(context).select_related("department").order_by("date", "kind", "pk"):
        yield {
            "date": event.date,
            "end_date": event.end_date,
            "kind": event.kind,
            "title": event.title,
            "channels": "、".join(event.channel_labels),
            "participants": event.participants,
            "department": event.department.name if event.department else "",
            "summary": event.summary,
        }


EVENTS_KIND = ImportKind(
    key="events",
    label=gettext_lazy("Publicity and training events"),
    description=gettext_lazy(
        "Publicity and training events: date, kind, title, channels (网站、微信公众号、宣传栏、会议), "
        "participants; the same date, kind and title again updates that event."
    ),
    columns=COLUMNS,
    prepare=events_prepare,
    validate=events_validate,
    write=events_write,
    export=events_export,
    roles=(Role.MANAGER, Role.CLERK),
    indicators=(),
    template_rows=(
        {
            "date": date(2020, 6, 29),
            "end_date": date(2020, 7, 5),
            "kind": "全国节能宣传周",
            "title": "2020年全国节能宣传周主题活动",
            "channels": "网站、微信公众号、宣传栏",
            "participants": 45,
        },
        {
            "date": date(2020, 9, 17),
            "kind": "知识讲座",
            "title": "垃圾分类知识讲座",
            "channels": "会议",
            "participants": 40,
        },
    ),
)


def register() -> None:
    register_import_kind(EVENTS_KIND)
