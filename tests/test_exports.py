"""Every Excel and CSV export writes clerk-typed text as text, never as a formula (#10.3).

The exports are not listed by hand: the walk requests every URL of the URLconf as a manager of a
demo agency whose every typed text starts like a formula, follows each page's links once (that
is how ``?kind=…`` and ``?format=xlsx`` are reached), and checks every spreadsheet it is given;
the import registry's templates and ledger exports are checked kind by kind; and no product
module may build or save a workbook, or write a CSV, except through ``reporting.spreadsheets``.
"""

import ast
import csv
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Concat, Left
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from agencies.models import Role
from imports.exports import kind_workbook, template_workbook
from imports.reader import read_csv
from imports.registry import ImportContext, import_kinds
from reporting.spreadsheets import (
    FORMULA_STARTS,
    CellStyle,
    Table,
    csv_cell,
    csv_cell_read,
    new_workbook,
    table_workbook_bytes,
    workbook_bytes,
)
from tests.factories import MembershipFactory, UserFactory
from tests.urlwalk import routes, samples

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["agencies", "ledger", "vehicles", "waste", "campaigns", "reporting", "imports", "linyi_ecoagency"]
SPREADSHEET_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv")
RISKY = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://x","y")']


def _formula_cells(content: bytes) -> tuple[list[str], list[str], int]:
    """(cells that are formulas, text cells that start like one without the quote prefix,
    text cells that start like one)."""
    formulas, unprefixed, risky = [], [], 0
    if not content.startswith(b"PK"):  # a CSV: no cell may start like a formula at all
        text = content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        formulas = [repr(cell) for cell in cells if cell.startswith(FORMULA_STARTS)]
        return formulas, [], sum(1 for cell in cells if cell.startswith("'"))
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    risky += 1
                    if not cell.quotePrefix:
                        unprefixed.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return formulas, unprefixed, risky


# --- the helper -----------------------------------------------------------------------------------


def test_text_that_starts_like_a_formula_is_written_as_text_and_numbers_stay_numbers():
    workbook = new_workbook()
    workbook.active.append([*RISKY, "电表", 12, Decimal("-3.5"), dt.date(2020, 3, 31)])
    loaded = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    cells = list(loaded[1])
    # the text itself is unchanged (XML reads a carriage return back as a line feed)
    assert [cell.value for cell in cells[: len(RISKY)]] == [text.replace("\r", "\n") for text in RISKY]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells[: len(RISKY)])
    name, count, decimal, day = cells[len(RISKY) :]
    assert name.data_type == "s" and not name.quotePrefix
    assert (count.value, count.data_type) == (12, "n")
    assert (decimal.value, decimal.data_type) == (-3.5, "n")
    assert day.is_date and day.value == dt.datetime(2020, 3, 31)


def test_a_table_workbook_holds_text_as_text_numbers_as_numbers_and_its_styles():
    heading, header = CellStyle(bold=True, size=14), CellStyle(bold=True, wrap=True)
    tables = [
        Table(
            "合计 & <总表>",
            [["标题"], ["指标", *RISKY], ["　电", "kWh", 12, Decimal("-3.5"), 0.25, None, True, ""]],
            row_styles={0: heading, 1: header},
            widths=[22, 8],
        ),
        Table("科室", [["=1+2", "text"]]),
    ]
    content = table_workbook_bytes(tables)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["合计 & <总表>", "科室"]
    first, second = workbook.worksheets
    assert (first["A1"].value, first["A1"].font.b, first["A1"].font.sz) == ("标题", True, 14)
    header_cells = list(first[2])
    assert [c.value for c in header_cells] == ["指标", *[text.replace("\r", "\n") for text in RISKY]]
    assert all(c.font.b and c.alignment.wrap_text and c.data_type == "s" for c in header_cells)
    assert all(c.quotePrefix for c in header_cells[1:]) and not header_cells[0].quotePrefix
    values = [c.value for c in first[3]]
    assert values[:6] == ["　电", "kWh", 12, -3.5, 0.25, None]  # the leading full-width space kept
    assert values[6] is True and not any(c.font.b for c in first[3])
    assert first.column_dimensions["A"].width == 22 and first.column_dimensions["B"].width == 8
    assert second["A1"].data_type == "s" and second["A1"].quotePrefix and second["A1"].value == "=1+2"
    assert _formula_cells(content)[:2] == ([], [])
    with pytest.raises(TypeError):
        table_workbook_bytes([Table("x", [[dt.date(2020, 1, 1)]])])


@given(st.text(max_size=30))
def test_a_csv_cell_reads_back_as_it_was_and_never_starts_like_a_formula(text):
    written = csv_cell(text)
    assert not written.startswith(FORMULA_STARTS)
    assert csv_cell_read(written) == text


def test_the_import_reads_a_protected_csv_back_unchanged(tmp_path):
    rows = [["表号", "备注"], ["M1", "=1+2"], ["M2", "'quoted"], ["M3", "-5"], ["M4", "普通"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[csv_cell(cell) for cell in row] for row in rows])
    assert "'=1+2" in buffer.getvalue()
    path = tmp_path / "a.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert read_csv(path).rows == rows


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add(f"{node.value.id}.{node.attr}")
    return found


def test_no_product_module_writes_a_spreadsheet_around_the_helper():
    forbidden = {"openpyxl.Workbook", "openpyxl.workbook.Workbook", "csv.writer", "csv.DictWriter"}
    offenders = []
    for app in PRODUCT:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "reporting" / "spreadsheets.py" or "migrations" in path.parts:
                continue
            used = _imports(ast.parse(path.read_text(encoding="utf-8"))) & forbidden
            if used:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(used)}")
    assert not offenders, "write workbooks with reporting.spreadsheets:\n" + "\n".join(offenders)


# --- every export, with a demo agency whose typed text all starts like a formula -------------------


def _poison_typed_text() -> int:
    """Every free-text field of every ledger row (names, notes, codes…) now starts like a formula,
    each field with another of the characters. Returns the fields changed."""
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"agencies", "ledger", "vehicles", "waste", "campaigns"}:
            continue
        if any(field.name == "history_id" for field in model._meta.fields):
            continue  # django-simple-history's copies: no export reads them
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if (model._meta.label, field.name) == ("agencies.Agency", "code"):
                continue  # the agency's code names files and the session, it is not typed by clerks
            start = FORMULA_STARTS[changed % len(FORMULA_STARTS)]
            value = Concat(models.Value(start), models.F(field.name), output_field=field)
            if field.max_length:
                value = Left(value, field.max_length)
            # empty text stays empty (a partial unique constraint may hold "" apart)
            model.objects.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True}).update(
                **{field.name: value}
            )
            changed += 1
    return changed


@pytest.fixture
def poisoned_demo(db, settings, tmp_path):
    from agencies.models import Agency
    from tests.demo_snapshot import seed_demo

    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    seed_demo("--force", "--today", "2020-03-15")  # the shortest demo, as tests/imports/test_round_trip.py
    assert _poison_typed_text() > 20
    return SimpleNamespace(agencies={agency.code: agency for agency in Agency.objects.all()})


class _Undo(Exception):
    pass


_HREF = re.compile(r'href="([/?][^"#]*)"')


def _links(url: str, html: str) -> set[str]:
    """The page's links into the site ("?format=xlsx" is relative to the page)."""
    return {
        (url.split("?")[0] + href if href.startswith("?") else href).replace("&amp;", "&")
        for href in _HREF.findall(html)
        if not href.startswith(("/static/", "/admin/", "/accounts/logout"))
    }


def _link_kind(url: str) -> tuple:
    """The view a link opens and its query without the page and the order."""
    path, _, query = url.partition("?")
    kept = sorted((key, value) for key, value in parse_qsl(query) if key not in {"page", "sort"})
    return resolve(path).view_name, tuple(kept)


def test_every_export_writes_typed_text_as_text(poisoned_demo):
    agency = max(poisoned_demo.agencies.values(), key=lambda a: a.departments.count())
    agency.refresh_from_db()  # its poisoned name
    department = agency.departments.first()
    manager = UserFactory(username="export-walker")
    MembershipFactory(user=manager, agency=agency, role=Role.MANAGER)
    clerk = UserFactory(username="export-clerk")
    MembershipFactory(user=clerk, agency=agency, role=Role.CLERK, department=department)
    ctx = SimpleNamespace(agency=agency, department=department, manager=manager, clerk=clerk)
    client = Client()
    client.force_login(manager)

    all_samples = samples()
    exports, links, unbuilt = {}, set(), []

    def visit(route=None, url=None):
        """GET one URL in a transaction that is rolled back: each sample's objects are its own."""
        got = {}
        try:
            with transaction.atomic():
                if route is not None:
                    try:
                        with transaction.atomic():
                            kwargs = all_samples[route.name](ctx) if route.has_args else {}
                    except IntegrityError:  # the sample's row clashes with the demo's (one per year …)
                        unbuilt.append(route.name)
                        raise _Undo from None
                    url = reverse(route.name, kwargs=kwargs)
                got["response"] = client.get(url)
                raise _Undo
        except _Undo:
            pass
        if "response" not in got:
            return None
        response = got["response"]
        content_type = response.get("Content-Type", "")
        if content_type.startswith(SPREADSHEET_TYPES):
            exports[url] = response.content
        elif route is not None and response.status_code == 200 and content_type.startswith("text/html"):
            links.update(_links(url, response.content.decode()))
        return url

    seen = {
        visit(route=route) for route in routes() if route.is_public or Role.MANAGER in (route.roles or ())
    }
    followed = Counter()
    for url in sorted(links - seen):
        # A row's own pages (each meter's, each record's edit page) and a list's other pages and
        # orders are the same view with other ids: two of each are followed. Every other query
        # (?kind=…, ?format=xlsx, a filter) is a link of its own.
        kind = _link_kind(url)
        followed[kind] += 1
        if followed[kind] <= 2:
            visit(url=url)
    # a page whose sample cannot be built beside the demo's rows must not be a file
    files = [name for name in unbuilt if re.search(r"export|xlsx|csv|workbook|ledger_", name)]
    assert not files, f"give these exports a sample that fits beside the demo data: {files}"

    found = {}
    for key, kind in import_kinds().items():
        found[f"template:{key}"] = template_workbook(kind)
        if kind.export is not None:
            found[f"export:{key}"] = kind_workbook(
                kind, ImportContext(agency=agency, user=None, dry_run=False)
            )
    found.update(exports)

    problems, carried = [], []
    for name, content in found.items():
        formulas, unprefixed, risky = _formula_cells(content)
        problems[:0] = [f"{name}: formula {cell}" for cell in formulas]  # the worst first
        problems += [f"{name}: no quote prefix {cell}" for cell in unprefixed]
        if risky:
            carried.append(name)
    assert len(exports) >= 8, sorted(exports)
    assert not problems, f"{len(problems)} cells:\n" + "\n".join(problems[:40])
    # the walk did put typed text into every export (templates hold the kinds' examples only)
    assert {name for name in found if not name.startswith("template:") and "/template/" not in name} <= set(
        carried
    ), (sorted(found), carried)
