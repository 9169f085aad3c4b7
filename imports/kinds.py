"""Import kinds that belong to no ledger app: the agency's yearly facts (AgencyYear).

Registered here rather than in ``agencies`` so that dependencies stay one-way
(imports → agencies); ledger apps register their own kinds in their ``AppConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import (
    ROW,
    Column,
    ImportContext,
    ImportKind,
    RowError,
    Validated,
    WriteSummary,
    register_import_kind,
)

AGENCY_YEAR_FIELDS = ("headcount", "building_area", "office_area")


@dataclass
class AgencyYearState:
    agency: object
    existing: dict  # year -> AgencyYear
    seen: dict = field(default_factory=dict)  # year -> row number, to refuse a year given twice


def _agency_years_prepare(context: ImportContext) -> AgencyYearState:
    from agencies.models import AgencyYear

    existing = {row.year: row for row in AgencyYear.objects.filter(agency=context.agency)}
    return AgencyYearState(agency=context.agency, existing=existing)


def _agency_years_validate(state: AgencyYearState, values: dict, row: int) -> Validated:
    from agencies.models import AgencyYear

    year = values["year"]
    if year in state.seen:
        raise RowError(
            {
                ROW: _("Year %(year)s is already given in row %(row)d.")
                % {"year": year, "row": state.seen[year]}
            }
        )
    state.seen[year] = row
    current = state.existing.get(year)
    candidate = AgencyYear(
        pk=current.pk if current else None,
        agency=state.agency,
        year=year,
        headcount=values["headcount"],
        building_area=values["building_area"],
        office_area=values["office_area"],
    )
    try:
        # The same rules as the form and agency_year_save: field validators and clean().
        candidate.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise RowError(
            {
                key if key in values else ROW: " ".join(messages)
                for key, messages in error.message_dict.items()
            }
        ) from None
    if current is None:
        status = "new"
    elif all(getattr(current, name) == getattr(candidate, name) for name in AGENCY_YEAR_FIELDS):
        status = "unchanged"
    else:
        status = "updated"
    return Validated(record=candidate, status=status)


def _agency_years_write(state: AgencyYearState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from agencies.models import AgencyYear

    new = [record for record in records if record.pk is None]
    changed = [record for record in records if record.pk is not None]
    if new:
        bulk_create_with_history(new, AgencyYear, batch_size=500)
    if changed:
        bulk_update_with_history(changed, AgencyYear, list(AGENCY_YEAR_FIELDS), batch_size=500)
    return WriteSummary(created=len(new), updated=len(changed))


AGENCY_YEARS = ImportKind(
    key="agency_years",
    label=gettext_lazy("Agency yearly facts"),
    description=gettext_lazy("Headcount (用能人数), building area and office area of each year."),
    columns=(
        Column("year", gettext_lazy("Year"), synonyms=("年度", "年份", "统计年度"), type="int"),
        Column(
            "headcount",
            gettext_lazy("Energy-using headcount"),
            synonyms=("用能人数", "人数", "编制人数", "headcount", "staff"),
            type="int",
        ),
        Column(
            "building_area",
            gettext_lazy("Building area"),
            synonyms=("建筑面积", "建筑面积(平方米)", "building area m2"),
            type="decimal",
        ),
        Column(
            "office_area",
            gettext_lazy("Office area"),
            synonyms=("办公面积", "办公用房面积", "office area m2"),
            type="decimal",
        ),
    ),
    prepare=_agency_years_prepare,
    validate=_agency_years_validate,
    write=_agency_years_write,
    template_rows=(
        {
            "year": 2019,
            "headcount": 46,
            "building_area": Decimal("1942.42"),
            "office_area": Decimal("1024.00"),
        },
        {
            "year": 2020,
            "headcount": 45,
            "building_area": Decimal("1942.42"),
            "office_area": Decimal("1024.00"),
        },
    ),
)


def register_builtin_kinds() -> None:
    register_import_kind(AGENCY_YEARS)
