"""A tiny workbook whose cells sit far apart must not make the reader build the empty grid (#10.2).

A 2 KB .xlsx with one cell in A1 and one in XFD1048576 made calamine allocate 16,384 × 1,048,576
cells (512 GB): the process aborted — no exception to catch, the whole worker gone. The reader
now measures every sheet from the cells that exist (and from the extent the file declares)
before any parser builds anything, and refuses a sheet above ``IMPORT_MAX_CELLS``.
"""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from imports.reader import ImportFileError, read_workbook

from .files import csv_file, sparse_xls, sparse_xlsx, xlsx

ROOT = Path(settings.BASE_DIR)
MEMORY_CAP = 2 * 1024**3  # the child may use 2 GB of address space: far above a real ledger's need

_CHILD = """
import json, sys
import django
django.setup()
from django.utils import translation
from imports.reader import ImportFileError, read_workbook
try:
    with translation.override("en"):
        sheets = read_workbook(sys.argv[1])
    print(json.dumps({"read": [len(s.rows) for s in sheets]}))
except ImportFileError as error:
    with translation.override("en"):
        print(json.dumps({"refused": error.message}))
"""


def _read_in_a_capped_child(path: Path) -> dict:
    """Read ``path`` in a child process with 2 GB of address space, so that the old behaviour
    (abort on a failed allocation) fails this test instead of killing the test runner."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "RUST_BACKTRACE": "0"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=ROOT,
        env=env,
        preexec_fn=cap,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the reader died (exit {done.returncode}): {done.stderr[-600:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_two_kilobyte_xlsx_with_cells_far_apart_is_refused_without_building_the_grid(tmp_path):
    path = sparse_xlsx(tmp_path / "far.xlsx", {"A1": "表号", "XFD1048576": 1})
    assert path.stat().st_size < 2048
    answer = _read_in_a_capped_child(path)
    assert "refused" in answer, answer
    assert "1,048,576 rows × 16,384 columns" in answer["refused"]
    assert "limit" in answer["refused"]


def test_cells_without_position_attributes_are_measured_by_their_order(tmp_path):
    # No r="…" on rows or cells (some generators write none): positions come from the order.
    cells = {"A1": "表号", "B1": "读数", "C1": "备注", "A2": "M1", "B2": 1}
    path = sparse_xlsx(tmp_path / "norefs.xlsx", cells, refs=False)
    with override_settings(IMPORT_MAX_CELLS=2 * 3 - 1), pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("en"):
        assert "2 rows × 3 columns" in error.value.message
    with override_settings(IMPORT_MAX_CELLS=2 * 3):
        assert read_workbook(path)[0].rows == [["表号", "读数", "备注"], ["M1", 1.0, ""]]


def test_a_declared_extent_above_the_limit_is_refused_even_when_the_cells_are_near(tmp_path):
    path = sparse_xlsx(tmp_path / "liar.xlsx", {"A1": "表号", "B2": 1}, dimension="A1:XFD1048576")
    with pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("en"):
        assert "declares" in error.value.message
    with translation.override("zh-hans"):
        assert "行" in error.value.message and "列" in error.value.message


def test_an_xls_with_cells_at_its_far_corner_is_refused_before_calamine_builds_it(tmp_path):
    # BIFF8 stops at 65,536 × 256, but that grid alone took 1.2 GB and 5.7 s to build from 5 KB.
    path = sparse_xls(tmp_path / "far.xls", {(0, 0): "表号", (65535, 255): 1})
    assert path.stat().st_size < 8 * 1024
    answer = _read_in_a_capped_child(path)
    assert "refused" in answer, answer
    assert "65,536 rows × 256 columns" in answer["refused"]


def test_a_csv_with_more_cells_than_the_limit_is_refused(tmp_path):
    path = csv_file(tmp_path / "wide.csv", [["表号", *[""] * 5000], ["M1", "1"]])
    with override_settings(IMPORT_MAX_CELLS=4000), pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("en"):
        assert "limit" in error.value.message


def test_a_ledger_within_the_limit_reads_as_before(tmp_path):
    rows = [["表号", "读数"], *[[f"M{n}", n] for n in range(200)]]
    path = xlsx(tmp_path / "ok.xlsx", rows, title="2020年抄表台账", merge_title_over=2)
    with override_settings(IMPORT_MAX_CELLS=(200 + 3) * 2):
        (sheet,) = read_workbook(path)
    assert sheet.rows[-1] == ["M199", 199.0]
    with override_settings(IMPORT_MAX_CELLS=(200 + 3) * 2 - 1), pytest.raises(ImportFileError):
        read_workbook(path)


@pytest.mark.parametrize(
    "row, cell",
    [
        ('<row r="{r}">', '<c r="{ref}" t="n">'),  # Excel, WPS, openpyxl: the quick scan
        ('<x:row r="{r}">', '<x:c r="{ref}" t="n">'),  # a namespace prefix
        ('<row spans="1:3" r="{r}">', '<c t="n" r="{ref}">'),  # the position not first
        ('<row\nr="{r}">', '<c\tr="{ref}">'),  # other white space
        ('<row r="{r}">', '<c r="{lower}">'),  # a lower-case reference
    ],
)
@pytest.mark.parametrize("far", ["XFD1048576", "C7", "AA70000"])
def test_every_way_of_writing_a_position_finds_the_farthest_cell(row, cell, far):
    """The quick scan of the usual form and the general scan agree, whatever form a file uses —
    and one odd tag among usual ones sends its whole chunk to the general scan."""
    from imports.reader import SheetExtent, column_number

    letters = far.rstrip("0123456789")
    rows = [(1, "A1"), (2, "B2"), (int(far[len(letters) :]), far), (3, "C3")]
    xml = "".join(
        row.format(r=r) + cell.format(ref=ref, lower=ref.lower()) + "<v>1</v></c></row>" for r, ref in rows
    )
    usual = '<row r="9"><c r="A9"><v>1</v></c></row>'  # a usual tag in the same chunk
    extent = SheetExtent("xl/worksheets/sheet1.xml")
    extent.feed(f"<worksheet><sheetData>{usual}{xml}</sheetData></worksheet>".encode())
    extent.close()
    assert (extent.rows, extent.columns) == (max(int(far[len(letters) :]), 9), max(column_number(letters), 3))
