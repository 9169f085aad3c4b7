"""The Chinese catalogues are complete, compiled and cover every string in the code."""

import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    *sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled_and_current(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run scripts/messages.py to compile {po_path}"
    assert mo_path.stat().st_mtime >= po_path.stat().st_mtime - 1


def test_every_translatable_string_in_the_code_is_in_a_catalogue():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/messages.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
