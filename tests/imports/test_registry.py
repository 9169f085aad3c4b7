"""The registry of import kinds and the start-up checks."""

import pytest
from django.core import checks

from imports.checks import check_defusedxml
from imports.kinds import AGENCY_YEARS
from imports.registry import Column, get_import_kind, import_kinds, register_import_kind


def test_the_registered_kinds_are_listed():
    assert import_kinds()["agency_years"] is AGENCY_YEARS
    assert get_import_kind("agency_years") is AGENCY_YEARS


def test_a_second_kind_with_the_same_key_is_refused():
    from dataclasses import replace

    with pytest.raises(ValueError, match="already registered"):
        register_import_kind(replace(AGENCY_YEARS, label="again"))


def test_an_unknown_kind_is_a_lookup_error_naming_the_registered_ones():
    with pytest.raises(LookupError, match="agency_years"):
        get_import_kind("nothing")


def test_a_column_refuses_an_unknown_type_and_choices_without_the_choice_type():
    with pytest.raises(ValueError):
        Column("x", "X", type="float")
    with pytest.raises(ValueError):
        Column("x", "X", choices={"a": "a"})


def test_defusedxml_is_installed_and_used_by_openpyxl():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
    assert check_defusedxml() == []
    assert "imports.E001" not in {message.id for message in checks.run_checks()}


def test_the_start_up_check_fails_without_defusedxml(monkeypatch):
    monkeypatch.setattr("openpyxl.xml.DEFUSEDXML", False)
    assert [error.id for error in check_defusedxml()] == ["imports.E001"]
