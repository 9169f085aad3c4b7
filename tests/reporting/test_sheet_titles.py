"""Sheet titles made from what clerks type (department names) are titles Excel accepts (#10.6)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reporting.reports.ledger_workbook import consumption_ledger_workbook
from reporting.spreadsheets import sheet_title
from tests.factories import DepartmentFactory
from tests.reporting.helpers import write_year

FORBIDDEN = "[]:*?/\\"


def test_a_sheet_title_drops_what_excel_forbids_and_is_at_most_31_characters():
    title = sheet_title(f"科室{FORBIDDEN}\x00" + "长" * 40)
    assert not set(FORBIDDEN + "\x00") & set(title) and len(title) == 31 and title.startswith("科室")
    assert sheet_title("   ") == "_"


def test_a_sheet_title_differs_from_the_titles_taken_as_excel_compares_them():
    assert sheet_title("A/B", ["a_b"]) == "A_B (2)"
    assert sheet_title("x" * 40, ["x" * 31]) == "x" * 27 + " (2)"


@pytest.mark.django_db
@pytest.mark.usefixtures("indicators_registered")
def test_the_ledger_workbook_holds_departments_whose_names_a_sheet_title_cannot(agency):
    for name in (f"办公室{FORBIDDEN}", "办公室/[]:*?\\"):
        write_year(
            agency, "electricity", 2020, [1] * 12, department=DepartmentFactory(agency=agency, name=name)
        )
    workbook = load_workbook(BytesIO(consumption_ledger_workbook(agency=agency, year=2020)))
    assert len(workbook.sheetnames) == 3 and len(set(workbook.sheetnames)) == 3
    assert all(not set(FORBIDDEN) & set(title) for title in workbook.sheetnames)
