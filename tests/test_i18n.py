"""The Chinese catalogues are complete, compiled and cover every string in the code."""

import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    # mutants/ is mutmut's working copy of the apps (scripts/mutation.sh), not a catalogue of ours.
    *sorted(p for p in ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po") if p.parts[-5] != "mutants"),
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


# --- The project's Chinese wins over every other catalogue -----------------------------------


def _key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def catalogue_conflicts(language: str = "zh-hans") -> list[str]:
    """Project msgids that the running site translates otherwise than the project's catalogue does:
    another package's catalogue (or another app's) took precedence for the same English words."""
    from django.utils.translation import trans_real

    shown = trans_real.translation(language)._catalog  # what gettext/{% translate %} render
    conflicts = []
    for po_path in CATALOGUES:
        for entry in polib.pofile(str(po_path)).translated_entries():
            key = _key(entry)
            if entry.msgid_plural:
                expected = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
                got = [shown.get((key, i)) for i in range(len(expected))]
            else:
                expected, got = entry.msgstr, shown.get(key)
            if got != expected:
                where = po_path.relative_to(ROOT).parts[0]
                conflicts.append(f"{where}: {entry.msgid!r} is shown as {got!r}, not {expected!r}")
    return conflicts


def test_every_project_string_is_shown_with_the_projects_own_chinese():
    conflicts = catalogue_conflicts()
    assert not conflicts, "\n".join(conflicts)


def test_the_check_catches_another_catalogue_translating_a_project_string(tmp_path, settings):
    """A package whose catalogue comes first and translates "Meter registry" its own way."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    po.append(polib.POEntry(msgid="Meter registry", msgstr="别的包的译文"))
    messages = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po.save_as_mofile(str(messages / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]  # resets the translations

    conflicts = catalogue_conflicts()
    assert any("'Meter registry' is shown as '别的包的译文'" in c for c in conflicts), conflicts
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Meter registry") == "别的包的译文"


def test_the_pages_show_the_projects_words_not_another_packages(manager, login):
    """过滤器, 修改, 导入类型 and 代码 were the admin's, reporting's and the import pipeline's words
    on the ledger's pages."""
    from django.urls import reverse

    from tests.ledger.factories import MeterFactory, ReadingFactory

    meter = MeterFactory(agency=manager.memberships.get().agency, code="E-01")
    ReadingFactory(meter=meter)
    client = login(manager)
    listing = client.get(reverse("ledger:meter_list")).content.decode()
    assert "筛选" in listing and "过滤器" not in listing
    detail = client.get(reverse("ledger:meter_detail", args=[meter.pk])).content.decode()
    assert "修改记录" in detail and "<th>变更</th>" in detail  # the admin's 修改 / 历史 before
    assert "导入类型" not in detail and ">实抄<" in detail
