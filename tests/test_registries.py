"""What the apps register: a reader of this test sees every indicator, alert and import kind."""

from reporting import registry


def test_the_registered_indicators_are_the_ledgers():
    keys = {i.key for i in registry.indicators()}
    assert {"electricity", "water", "gas", "heat", "energy_cost"} <= keys
    items = {i.key for i in registry.indicators() if i.parent == "electricity"}
    assert {"electricity.air_conditioning", "electricity.lighting_sockets", "electricity.power"} <= items
    assert registry.PER_CAPITA in registry.get_indicator("water").bases


def test_every_breakdown_points_at_a_registered_parent_with_the_same_unit():
    for indicator in registry.indicators():
        if indicator.parent:
            parent = registry.get_indicator(indicator.parent)
            assert str(parent.unit) == str(indicator.unit), indicator.key


def test_every_ledger_indicator_keeps_its_unit_as_a_code_the_conventions_put_into_words():
    """docs/conventions.md "Units are codes": 千瓦时 / kWh, 件 / pcs in the reader's language — a
    translated word as a unit would be frozen in one language into every notice (the test app's
    indicators, registered by tests only, keep theirs)."""
    from agencies.conventions import UNITS

    words = {i.key: i.unit for i in registry.indicators() if not i.key.startswith(("spineapp.", "display."))}
    assert {key: unit for key, unit in words.items() if not isinstance(unit, str) or unit not in UNITS} == {}


def test_the_registered_alerts():
    keys = {a.key for a in registry.alerts()}
    assert {"ledger.missing_readings", "ledger.abnormal_readings"} <= keys
    assert any(key.startswith("reporting.") for key in keys)


def test_the_registered_import_kinds():
    from imports.registry import import_kinds

    assert {"meters", "readings", "agency_years"} <= set(import_kinds())


def test_comprehensive_energy_and_carbon_are_derived_from_the_registered_energy():
    energy = registry.get_indicator("energy")
    assert {"electricity", "gas", "heat"} <= set(energy.derived_from)
    assert "water" not in energy.derived_from  # a resource, not energy
    assert set(registry.get_indicator("energy_building").derived_from) <= set(energy.derived_from)
    assert registry.get_indicator("carbon").derived_from == energy.derived_from
