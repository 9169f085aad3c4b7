"""The shared bulk writers: COPY / UPDATE … FROM VALUES on PostgreSQL, bulk_create / bulk_update elsewhere."""

from decimal import Decimal

import pytest

from agencies.models import AgencyYear
from imports.writers import bulk_insert, bulk_update_rows

pytestmark = pytest.mark.django_db


def test_bulk_insert_writes_every_row_with_foreign_keys_by_id(agency):
    rows = [
        (agency.pk, year, 40 + year % 10, Decimal("1942.42"), Decimal("1024.00"))
        for year in range(2001, 2011)
    ]
    fields = ["agency", "year", "headcount", "building_area", "office_area"]
    assert bulk_insert(AgencyYear, fields, rows) == 10
    stored = dict(AgencyYear.objects.filter(agency=agency, year__lte=2010).values_list("year", "headcount"))
    assert stored == {year: 40 + year % 10 for year in range(2001, 2011)}
    assert bulk_insert(AgencyYear, fields, []) == 0


def test_bulk_update_rows_changes_only_the_given_rows_and_fields(agency, other_agency):
    mine = AgencyYear.objects.get(agency=agency, year=2020)
    theirs = AgencyYear.objects.get(agency=other_agency, year=2020)
    updated = bulk_update_rows(AgencyYear, ["headcount", "office_area"], [(mine.pk, 50, Decimal("1000.50"))])
    assert updated == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.headcount, mine.office_area, mine.building_area) == (
        50,
        Decimal("1000.50"),
        Decimal("1942.42"),
    )
    assert theirs.headcount == 38
