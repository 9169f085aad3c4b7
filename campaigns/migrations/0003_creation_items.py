"""Loads the evaluation items and their points from fixtures/creation_items.json (data, not code)."""

from django.db import migrations


def load(apps, schema_editor):
    from campaigns.creation.fixtures import items_load

    items_load(
        scheme_model=apps.get_model("campaigns", "EvaluationScheme"),
        item_model=apps.get_model("campaigns", "EvaluationItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_creation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
