"""The national days as data: the fixture's rows are sourced and consistent; the year's calendar."""

from datetime import date

from campaigns.publicity.calendar import _data, announced_years, national_days, year_calendar
from tests.campaigns.factories import EventFactory


def test_every_row_of_the_fixture_states_its_source_and_fits_its_year():
    data = _data()
    assert data["about"]
    for row in data["fixed"]:
        assert row["source"] and row["days"] >= 1
    weeks = {}
    for row in data["announced"]:
        start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        assert row["source"] and start <= end and start.year == end.year
        assert row["kind"] in ("energy_week", "low_carbon_day")
        if row["kind"] == "energy_week":
            weeks[start.year] = (start, end)
    for row in data["announced"]:
        if row["kind"] == "low_carbon_day":
            start = date.fromisoformat(row["start"])
            first, last = weeks[start.year]
            assert first <= start <= last, "the low-carbon day falls within the energy-saving week"


def test_the_fixture_covers_every_year_from_the_baseline():
    assert set(range(2019, 2026)) <= set(announced_years())


def test_the_national_days_of_2020():
    days = {(d.kind, d.start, d.end) for d in national_days(2020)}
    assert ("world_water_day", date(2020, 3, 22), date(2020, 3, 22)) in days
    assert ("china_water_week", date(2020, 3, 22), date(2020, 3, 28)) in days
    assert ("energy_week", date(2020, 6, 29), date(2020, 7, 5)) in days
    assert ("low_carbon_day", date(2020, 7, 2), date(2020, 7, 2)) in days


def test_a_year_not_yet_announced_has_only_the_fixed_days():
    assert {d.kind for d in national_days(2100)} == {"world_water_day", "china_water_week"}


def test_the_calendar_marks_national_days_and_events(agency):
    event = EventFactory(agency=agency, date=date(2020, 6, 30), end_date=date(2020, 7, 1), kind="energy_week")
    months = year_calendar(2020, [event])
    assert len(months) == 12
    cells = {cell.day: cell for m in months for week in m.weeks for cell in week if cell.day}
    assert len(cells) == 366
    assert [n.kind for n in cells[date(2020, 3, 25)].national] == ["china_water_week"]
    assert cells[date(2020, 7, 1)].events == (event,) and cells[date(2020, 6, 29)].events == ()
    assert {n.kind for n in cells[date(2020, 7, 2)].national} == {"energy_week", "low_carbon_day"}
