"""Loads the conversion factors of comprehensive energy and carbon from fixtures/energy_factors.json."""

from django.db import migrations


def load(apps, schema_editor):
    from campaigns.energy.factors import factors_load

    factors_load(factor_model=apps.get_model("campaigns", "EnergyFactor"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_verification_and_energy_factors")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
