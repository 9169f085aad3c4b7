"""The ledger's Excel import kinds (``meters`` and ``readings``) for the shared pipeline in ``imports``.

``prepare`` loads every meter and reading of the agency in two queries; ``validate`` checks a row
with the same ``rules.reading_check`` as the form and the round (microseconds, no queries), in
file order so that a file of monthly readings is checked against itself; ``write`` inserts new
readings with PostgreSQL COPY and updates changed ones in bulk, with their history.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.models import Role
from imports.registry import (
    ROW,
    Column,
    CopyRows,
    ImportContext,
    ImportKind,
    RowError,
    Validated,
    Wide,
    WriteSummary,
    register_import_kind,
)

from .indicators import LEDGER_KEYS, USAGE_KEYS
from .models import UNITS, Bill, Meter, MeterKind, Reading, ReadingSource
from .rules import (
    HISTORY,
    MeterFacts,
    RecentRates,
    appended_check,
    reading_check,
    recent_rates,
    usual_daily,
)
from .services import FIGURE_FIELDS, today, touched_months
from .usage import REPLACEMENT_INITIAL, Point, dial_step, months_between, order_key

KIND_CHOICES = {
    "电": "electricity",
    "电表": "electricity",
    "用电": "electricity",
    "electricity": "electricity",
    "水": "water",
    "水表": "water",
    "用水": "water",
    "water": "water",
    "天然气": "gas",
    "燃气": "gas",
    "气": "gas",
    "gas": "gas",
    "natural gas": "gas",
    "热": "heat",
    "热力": "heat",
    "供热": "heat",
    "heat": "heat",
}
ITEM_CHOICES = {
    "照明插座": "lighting_sockets",
    "照明和插座": "lighting_sockets",
    "lighting and sockets": "lighting_sockets",
    "lighting_sockets": "lighting_sockets",
    "空调": "air_conditioning",
    "air conditioning": "air_conditioning",
    "air_conditioning": "air_conditioning",
    "动力": "power",
    "power": "power",
    "特殊": "special",
    "特殊用电": "special",
    "special": "special",
    "生活": "domestic",
    "生活用水": "domestic",
    "domestic": "domestic",
    "domestic water": "domestic",
    "食堂": "canteen",
    "canteen": "canteen",
    "绿化": "greening",
    "greening": "greening",
    "其他": "other",
    "other": "other",
}
EVENT_CHOICES = {
    "正常": "normal",
    "normal": "normal",
    "翻转": "rollover",
    "表盘翻转": "rollover",
    "归零": "rollover",
    "rollover": "rollover",
    "换表旧表止码": "replacement_final",
    "旧表止码": "replacement_final",
    "replacement_final": "replacement_final",
    "换表新表起码": "replacement_initial",
    "新表起码": "replacement_initial",
    "replacement_initial": "replacement_initial",
}


# --- meters -------------------------------------------------------------------------------------


METER_COLUMNS = (
    Column(
        "code",
        pgettext_lazy("ledger import column", "Meter code"),
        ("计量表编号", "表号", "编号", "meter number", "code"),
        words=("编号", "表号", "编码"),
        not_words=("上级", "总表", "父表", "parent"),
        max_length=40,
    ),
    Column(
        "name",
        pgettext_lazy("ledger import column", "Meter name"),
        ("名称", "表名", "计量表名称", "name"),
        words=("名称", "表名"),
        not_words=("科室", "部门", "上级", "总表"),
        max_length=120,
    ),
    Column(
        "kind",
        pgettext_lazy("ledger import column", "Meter kind"),
        ("类型", "种类", "能源类型", "kind"),
        "choice",
        choices=KIND_CHOICES,
        words=("类型", "种类", "能源品种"),
        not_words=("分项",),
    ),
    Column(
        "location",
        pgettext_lazy("ledger import column", "Location / zone"),
        ("位置", "安装位置", "区域", "location"),
        required=False,
        words=("位置", "区域", "楼层"),
        max_length=120,
    ),
    Column(
        "department",
        pgettext_lazy("ledger import column", "Department"),
        ("科室", "部门", "使用科室", "department"),
        required=False,
        words=("科室", "部门", "处室"),
        max_length=100,
    ),
    Column(
        "item",
        pgettext_lazy("ledger import column", "Item category"),
        ("分项", "分项类别", "item"),
        "choice",
        False,
        ITEM_CHOICES,
        words=("分项",),
    ),
    Column(
        "parent",
        pgettext_lazy("ledger import column", "Parent meter code"),
        ("上级表", "上级表编号", "总表编号", "parent"),
        required=False,
        words=("上级", "总表", "父表"),
        not_words=("名称",),
        max_length=40,
    ),
    Column(
        "multiplier",
        pgettext_lazy("ledger import column", "Multiplier"),
        ("倍率", "CT倍率", "multiplier"),
        "decimal",
        required=False,
        words=("倍率",),
    ),
    Column(
        "share",
        pgettext_lazy("ledger import column", "Share"),
        ("分摊比例", "分摊系数", "share"),
        "decimal",
        required=False,
        words=("分摊", "比例"),
    ),
    Column(
        "dial_digits",
        pgettext_lazy("ledger import column", "Dial digits"),
        ("表盘位数", "位数", "dial digits"),
        "int",
        required=False,
        words=("位数",),
    ),
    Column(
        "installed_on",
        pgettext_lazy("ledger import column", "Installed on"),
        ("安装日期", "启用日期", "installed"),
        "date",
        required=False,
        words=("安装日", "启用"),
    ),
    Column(
        "retired_on",
        pgettext_lazy("ledger import column", "Retired on"),
        ("停用日期", "拆除日期", "retired"),
        "date",
        required=False,
        words=("停用", "拆除", "报废"),
    ),
    Column(
        "note",
        pgettext_lazy("ledger import column", "Note"),
        ("备注", "note"),
        required=False,
        words=("备注", "说明"),
        max_length=200,
    ),
)
METER_VALUE_FIELDS = (
    "name",
    "kind",
    "location",
    "item",
    "multiplier",
    "share",
    "dial_digits",
    "installed_on",
    "retired_on",
    "note",
    "department_id",
    "parent_id",
)


@dataclass
class MeterState:
    agency: object
    user: object
    existing: dict  # code -> Meter
    departments: dict  # name -> id
    spans: dict = field(default_factory=dict)  # meter id -> (first, last) date of its readings and bills
    seen: dict = field(default_factory=dict)  # code -> (row, Meter candidate)


def meters_prepare(context: ImportContext) -> MeterState:
    from agencies.models import Department

    existing = {m.code: m for m in Meter.objects.filter(agency=context.agency)}
    departments = dict(Department.objects.filter(agency=context.agency).values_list("name", "pk"))
    # The months a meter's figures cover: changing its multiplier, share, parent, item or
    # department re-computes (and, if published, is refused for) every one of them.
    spans: dict = {}
    readings = (
        Reading.objects.filter(meter__agency=context.agency)
        .values("meter_id")
        .annotate(first=Min("date"), last=Max("date"))
        .order_by()
    )
    bills = (
        Bill.objects.filter(meter__agency=context.agency)
        .values("meter_id")
        .annotate(first=Min("period_start"), last=Max("period_end"))
        .order_by()
    )
    for row in [*readings, *bills]:
        first, last = spans.get(row["meter_id"], (row["first"], row["last"]))
        spans[row["meter_id"]] = (min(first, row["first"]), max(last, row["last"]))
    return MeterState(context.agency, context.user, existing, departments, spans)


def meters_validate(state: MeterState, values: dict, row: int) -> Validated:
    code = str(values["code"]).strip()
    if code in state.seen:
        raise RowError(
            {
                "code": _("Meter %(code)s is already given in row %(row)d.")
                % {"code": code, "row": state.seen[code][0]}
            }
        )
    current = state.existing.get(code)
    errors = {}
    candidate = Meter(
        pk=current.pk if current else None,
        agency=state.agency,
        code=code,
        name=values["name"],
        kind=values["kind"],
        location=values.get("location") or "",
        item=values.get("item") or "",
        multiplier=values.get("multiplier") or Decimal(1),
        share=values.get("share") or Decimal(1),
        dial_digits=values.get("dial_digits") or 6,
        installed_on=values.get("installed_on"),
        retired_on=values.get("retired_on"),
        note=values.get("note") or "",
    )
    if values.get("department"):
        candidate.department_id = state.departments.get(str(values["department"]).strip())
        if candidate.department_id is None:
            errors["department"] = _("No department called “%(name)s” in this agency.") % {
                "name": values["department"]
            }
    parent_code = str(values.get("parent") or "").strip()
    if parent_code:
        parent = state.seen.get(parent_code, (0, None))[1] or state.existing.get(parent_code)
        if parent is None:
            errors["parent"] = _("No meter %(code)s above this row or in the registry.") % {
                "code": parent_code
            }
        elif parent.kind != candidate.kind:
            errors["parent"] = _("The parent meter must be of the same agency and kind.")
        else:
            candidate.parent = parent
            candidate.parent_code = parent_code
    try:
        candidate.clean_fields(exclude=["agency", "parent", "department"])
        candidate.clean()
    except Exception as error:  # ValidationError: the same rules as the form
        for key, messages in getattr(error, "message_dict", {ROW: error.messages}).items():
            errors.setdefault(key if key in values else ROW, " ".join(messages))
    if errors:
        raise RowError(errors)
    state.seen[code] = (row, candidate)
    if current is None:
        status = "new"
    elif all(getattr(current, f) == getattr(candidate, f) for f in METER_VALUE_FIELDS):
        status = "unchanged"
    else:
        status = "updated"
    months: tuple = ()
    figures_change = status == "updated" and any(
        getattr(current, f) != getattr(candidate, f) for f in FIGURE_FIELDS
    )
    if figures_change and current.pk in state.spans:
        months = tuple(months_between(*state.spans[current.pk]))
    return Validated(record=candidate, status=status, months=months)


def meters_write(state: MeterState, records: list) -> WriteSummary:
    # Meter files are short (tens to hundreds of rows) and a row may name a parent created a few
    # rows above, so meters are saved one by one, in file order, each with its history.
    summary, by_code = WriteSummary(), {}
    for meter in records:
        parent_code = getattr(meter, "parent_code", "")
        if parent_code in by_code:
            meter.parent = by_code[parent_code]
        created = meter.pk is None
        meter.save()
        by_code[meter.code] = meter
        if created:
            summary.created += 1
        else:
            summary.updated += 1
    return summary


# --- readings -----------------------------------------------------------------------------------

READING_COLUMNS = (
    Column(
        "meter",
        pgettext_lazy("ledger import column", "Meter code"),
        ("计量表编号", "表号", "编号", "meter number", "meter"),
        words=("表号", "编号", "表编码", "计量器具"),
        not_words=("上级", "总表", "名称"),
        max_length=40,
    ),
    Column(
        "date",
        pgettext_lazy("ledger import column", "Reading date"),
        ("抄表日期", "日期", "date", "reading date"),
        "date",
        words=("日期", "抄表日", "抄表时间"),
        not_words=("上期", "上次", "上月", "安装", "启用"),
    ),
    Column(
        "value",
        pgettext_lazy("ledger import column", "Reading"),
        ("读数", "本次读数", "表底数", "止码", "value", "reading"),
        "decimal",
        # the current reading: 本月读数, 本期表数, 表底, 止码 … but never 上期读数 or 起码
        words=("读数", "表数", "表底", "止码", "止数", "示数", "本期", "本月", "本次"),
        not_words=("上期", "上月", "上次", "前次", "起码", "起数", "用量", "差", "倍率", "金额"),
    ),
    Column(
        "previous",
        pgettext_lazy("ledger import column", "Previous reading"),
        ("上期读数", "上月读数", "上次读数", "起码", "previous reading"),
        "decimal",
        required=False,
        words=("上期", "上月", "上次", "前次", "起码", "起数"),
        not_words=("用量", "日期", "金额"),
        exported=False,  # read only to check the file against the ledger
    ),
    Column(
        "usage",
        pgettext_lazy("ledger import column", "Usage in the period"),
        ("本期用量", "用量", "usage"),
        "decimal",
        required=False,
        words=("用量", "用电量", "用水量", "用气量", "消耗量", "实用"),
        not_words=("上期", "上月", "金额", "单价", "累计"),
        exported=False,  # read only to check the file against the ledger
    ),
    Column(
        "event",
        pgettext_lazy("ledger import column", "Event"),
        ("事件", "类型", "event"),
        "choice",
        False,
        EVENT_CHOICES,
        words=("事件",),
    ),
    Column(
        "estimated",
        pgettext_lazy("ledger import column", "Estimated"),
        ("估读", "估算", "estimated"),
        "bool",
        required=False,
        words=("估读", "估算"),
    ),
    Column(
        "confirm_abnormal",
        pgettext_lazy("ledger import column", "Confirm unusual usage"),
        ("确认异常", "confirm"),
        "bool",
        required=False,
        words=("确认异常",),
    ),
    Column(
        "note",
        pgettext_lazy("ledger import column", "Note"),
        ("备注", "note"),
        required=False,
        words=("备注", "说明"),
        max_length=200,
    ),
)
READING_INSERT_FIELDS = (
    "meter",
    "date",
    "value",
    "kind",
    "event",
    "voucher",
    "note",
    "is_abnormal",
    "confirmed_by",
    "source",
    "import_job_id",
    "created_by",
    "created_at",
)


@dataclass
class ReadingState:
    user_id: int | None
    job_id: int | None
    today: date
    meters: dict  # code -> (meter id, MeterFacts)
    points: dict  # meter id -> [Point] in reading order (existing and accepted rows)
    keys: dict  # meter id -> [order key] parallel to points
    existing: dict  # (meter id, order key) -> (pk, value, event, kind, note)
    seen: dict = field(default_factory=dict)  # (meter id, order key) -> row
    rates: dict = field(default_factory=dict)  # meter id -> RecentRates ending at its last point
    months: dict = field(default_factory=dict)  # (previous, day, following dates) -> touched months
    clerk: bool = False  # meters limited to a clerk's departments


def _meters_in_scope(context: ImportContext):
    """The agency's meters, or for a clerk only those of their departments."""
    meters = Meter.objects.filter(agency=context.agency)
    if context.departments is not None:
        meters = meters.filter(department_id__in=context.departments)
    return meters


def readings_prepare(context: ImportContext) -> ReadingState:
    meters = {}
    for m in _meters_in_scope(context):
        facts = MeterFacts(
            m.dial_digits, m.multiplier, m.share, m.installed_on, m.retired_on, UNITS[MeterKind(m.kind)]
        )
        meters[m.code] = (m.pk, facts)
    points: dict[int, list[Point]] = {pk: [] for pk, _facts in meters.values()}
    existing = {}
    rows = Reading.objects.filter(meter__in=_meters_in_scope(context)).values_list(
        "pk", "meter_id", "date", "value", "event", "kind", "note"
    )
    for pk, meter_id, day, value, event, kind, note in rows:
        points[meter_id].append(Point(day, value, event))
        existing[(meter_id, order_key(day, event))] = (pk, value, event, kind, note)
    keys = {}
    for meter_id, meter_points in points.items():
        meter_points.sort(key=lambda p: p.key)
        keys[meter_id] = [p.key for p in meter_points]
    return ReadingState(
        user_id=getattr(context.user, "pk", None),
        job_id=context.job_id,
        today=today(),
        meters=meters,
        points=points,
        keys=keys,
        existing=existing,
        clerk=context.departments is not None,
    )


def readings_validate(state: ReadingState, values: dict, row: int) -> Validated:
    code = str(values["meter"]).strip()
    found = state.meters.get(code)
    if found is None:
        if state.clerk:
            message = _("No meter %(code)s among your departments' meters.")
        else:
            message = _("No meter %(code)s in this agency's registry.")
        raise RowError({"meter": message % {"code": code}})
    meter_id, facts = found
    day, value = values["date"], values["value"]
    event = values.get("event") or "normal"
    key = (day, 1 if event == REPLACEMENT_INITIAL else 0)  # usage.order_key, inlined (per row)
    meter_key = (meter_id, key)
    if meter_key in state.seen:
        raise RowError(
            {
                "date": _("This meter's reading for this date is already in row %(row)d.")
                % {"row": state.seen[meter_key]}
            }
        )
    keys, points = state.keys[meter_id], state.points[meter_id]
    # A file in reading order appends to each meter: skip the search when the key goes last.
    index = len(keys) if not keys or keys[-1] < key else bisect.bisect_left(keys, key)
    current = state.existing.get(meter_key)
    after = index + 1 if current is not None else index  # an existing reading on this date is replaced
    previous = points[index - 1] if index else None
    following = points[after] if after < len(points) else None
    kind = "estimated" if values.get("estimated") else "actual"
    note = values.get("note") or ""
    # A file of monthly readings appends to each meter: keep its recent rates rolling instead
    # of recomputing the median's history for every row.
    appending = current is None and index == len(points)
    if appending:
        rates = state.rates.get(meter_id)
        if rates is None:
            rates = state.rates[meter_id] = RecentRates(recent_rates(points, facts.dial_digits))
        usual = rates.usual()
    else:
        usual = usual_daily(points[max(0, index - HISTORY - 1) : index], facts.dial_digits)
    confirm_abnormal = bool(values.get("confirm_abnormal"))
    answer = None
    if appending and event == "normal" and previous is not None:
        # The commonest row: a normal reading after the meter's last one. ``appended_check``
        # answers it without building a Check when it has no error; otherwise ``reading_check``
        # decides and words the messages (tests/ledger/test_import_fast_path.py: same answers).
        answer = appended_check(day, value, facts, previous, state.today, usual, confirm_abnormal)
    if answer is not None:
        rate, abnormal = answer
    else:
        check = reading_check(
            day=day,
            value=value,
            event=event,
            facts=facts,
            previous=previous,
            following=following,
            today=state.today,
            usual=usual,
            confirm_abnormal=confirm_abnormal,
        )
        if check.errors:
            raise RowError(check.errors)
        rate, abnormal = check.rate, check.abnormal
    if previous is not None and (values.get("previous") is not None or values.get("usage") is not None):
        _cross_check(values, previous, value, event, facts)
    state.seen[meter_key] = row
    span = (previous and previous.date, day, following and following.date)
    months = state.months.get(span)
    if months is None:
        months = state.months[span] = tuple(touched_months(previous, day, following))
    if not appending:
        state.rates[meter_id] = None
    elif rate is not None:
        rates.add(rate)
    if current is not None:
        pk, old_value, old_event, old_kind, old_note = current
        points[index] = Point(day, value, event)
        status = (
            "unchanged"
            if (old_value, old_event, old_kind, old_note) == (value, event, kind, note)
            else "updated"
        )
        return Validated(record=(pk, value, event, kind, note, abnormal), status=status, months=months)
    points.insert(index, Point(day, value, event))
    keys.insert(index, key)
    record = (
        meter_id,
        day,
        value,
        kind,
        event,
        "",
        note,
        abnormal,
        state.user_id if abnormal else None,
    )
    return Validated(record=record, status="new", months=months)


def _cross_check(values: dict, previous: Point, value: Decimal, event: str, facts: MeterFacts) -> None:
    """A ledger that also writes the previous reading or the usage is checked against the ledger:
    the previous reading is the ledger's, the usage is the difference × multiplier × share."""
    errors = {}
    written = values.get("previous")
    if written is not None and written != previous.value:
        errors["previous"] = _(
            "The previous reading written here (%(written)s) is not the ledger's: %(value)s on %(date)s."
        ) % {"written": written, "value": previous.value, "date": previous.date.isoformat()}
    usage = values.get("usage")
    if usage is not None:
        expected = dial_step(previous.value, value, event, facts.dial_digits) * facts.multiplier * facts.share
        exponent = usage.as_tuple().exponent
        tolerance = (
            Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) and exponent < 0 else Decimal("0.5")
        )
        if abs(expected - usage) > tolerance:
            errors["usage"] = _(
                "The usage written here (%(written)s) is not (reading − previous reading %(previous)s) × "
                "multiplier %(multiplier)s × share %(share)s = %(expected)s."
            ) % {
                "written": usage,
                "previous": previous.value,
                "multiplier": f"{facts.multiplier.normalize():f}",
                "share": f"{facts.share.normalize():f}",
                "expected": f"{expected.normalize():f}",
            }
    if errors:
        raise RowError(errors)


def readings_references(records: list) -> dict:
    """What a batch of reading records points at: new rows their meters, changed rows themselves."""
    return {
        Meter: {r[0] for r in records if len(r) == 9},
        Reading: {r[0] for r in records if len(r) == 6},
    }


def readings_split(state: ReadingState, records: list) -> tuple[list, list]:
    """New readings as rows of ``READING_INSERT_FIELDS`` (for COPY), and the changed readings."""
    tail = (ReadingSource.IMPORT.value, state.job_id, state.user_id, timezone.now())
    new = [(*r, *tail) for r in records if len(r) == 9]
    changed = [r for r in records if len(r) == 6]
    return new, changed


def readings_write(state: ReadingState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_update_with_history

    from imports.writers import bulk_insert

    new, changed = readings_split(state, records)
    bulk_insert(Reading, READING_INSERT_FIELDS, new)
    if changed:
        by_pk = Reading.objects.in_bulk([r[0] for r in changed])
        for pk, value, event, kind, note, abnormal in changed:
            reading = by_pk[pk]
            reading.value, reading.event, reading.kind, reading.note = value, event, kind, note
            if abnormal:
                reading.is_abnormal, reading.confirmed_by_id, reading.reviewed_at = True, state.user_id, None
        bulk_update_with_history(
            list(by_pk.values()),
            Reading,
            ["value", "event", "kind", "note", "is_abnormal", "confirmed_by", "reviewed_at"],
            batch_size=1000,
        )
    return WriteSummary(created=len(new), updated=len(changed))


# --- exports (the round trip: each exports what imports back unchanged) ------------------------


def meters_export(context: ImportContext):
    meters = list(_meters_in_scope(context).select_related("department", "parent"))
    by_pk = {meter.pk: meter for meter in meters}

    def depth(meter) -> int:
        level = 0
        while meter.parent_id and meter.parent_id in by_pk and level < 20:
            meter, level = by_pk[meter.parent_id], level + 1
        return level

    for meter in sorted(meters, key=lambda m: (depth(m), m.code)):  # a parent before its sub-meters
        yield {
            "code": meter.code,
            "name": meter.name,
            "kind": meter.kind,
            "location": meter.location,
            "department": meter.department.name if meter.department else "",
            "item": meter.item,
            "parent": meter.parent.code if meter.parent else "",
            "multiplier": meter.multiplier,
            "share": meter.share,
            "dial_digits": meter.dial_digits,
            "installed_on": meter.installed_on,
            "retired_on": meter.retired_on,
            "note": meter.note,
        }


def readings_export(context: ImportContext):
    rows = (
        Reading.objects.filter(meter__in=_meters_in_scope(context))
        .order_by("meter__code", "date", "pk")
        .values_list("meter__code", "date", "value", "event", "kind", "is_abnormal", "note")
    )
    for code, day, value, event, kind, abnormal, note in rows.iterator(chunk_size=5000):
        yield {
            "meter": code,
            "date": day,
            "value": value,
            "event": event,
            "estimated": kind == "estimated",
            "confirm_abnormal": abnormal,
            "note": note,
        }


METERS_KIND = ImportKind(
    key="meters",
    label=gettext_lazy("Meters (meter registry)"),
    columns=METER_COLUMNS,
    prepare=meters_prepare,
    validate=meters_validate,
    write=meters_write,
    template_rows=(
        {
            "code": "E-001",
            "name": "7-8层总表",
            "kind": "电",
            "location": "7-8层东侧",
            "multiplier": 40,
            "share": 0.35,
            "dial_digits": 6,
        },
        {
            "code": "E-001-AC",
            "name": "空调分表",
            "kind": "电",
            "item": "空调",
            "parent": "E-001",
            "dial_digits": 6,
        },
        {"code": "W-001", "name": "水表", "kind": "水", "location": "7层", "dial_digits": 5},
    ),
    description=gettext_lazy(
        "The meter registry: one row per meter; a sub-meter names its parent meter's code."
    ),
    # a meter's department, parent, item, multiplier or share changes every ledger figure
    indicators=LEDGER_KEYS,
    roles=(Role.MANAGER,),
    export=meters_export,
)
READINGS_KIND = ImportKind(
    key="readings",
    label=gettext_lazy("Meter readings"),
    columns=READING_COLUMNS,
    prepare=readings_prepare,
    validate=readings_validate,
    write=readings_write,
    references=readings_references,
    serialised_by=_meters_in_scope,  # a round of the same meter waits, or is checked against the file
    copy=CopyRows(Reading, READING_INSERT_FIELDS, readings_split),  # written while the file is checked
    template_rows=(
        {"meter": "E-001", "date": date(2020, 1, 31), "value": 12345.6, "note": "月底抄表"},
        {"meter": "W-001", "date": date(2020, 1, 31), "value": 321},
    ),
    description=gettext_lazy(
        "Cumulative meter readings: meter code, reading date and value, one row per reading — or "
        "one row per meter and one column per month (1月 … 12月, the year in the title). A "
        "previous reading (上期读数) or usage (本期用量) in the file is checked against the ledger."
    ),
    # readings change usage (totals and item breakdowns), never the cost, which comes from bills
    indicators=USAGE_KEYS,
    roles=(Role.MANAGER, Role.CLERK),  # a clerk: the meters of their departments only
    export=readings_export,
    depends_on=("meters",),
    wide=Wide(month="date", value="value", day="last"),
)


def register() -> None:
    from .bill_import import BILLS_KIND

    register_import_kind(METERS_KIND)
    register_import_kind(READINGS_KIND)
    register_import_kind(BILLS_KIND)
