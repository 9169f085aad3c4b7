"""Loads the programme's goals (70 % by 2022, 80 % by 2025) from fixtures/creation_items.json."""

from django.db import migrations


def load(apps, schema_editor):
    from campaigns.creation.fixtures import goals_load

    goals_load(goal_model=apps.get_model("campaigns", "CreationGoal"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_verification_and_goals")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
