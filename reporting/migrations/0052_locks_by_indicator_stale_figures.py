"""Locks by indicator, and the stale record.

A month lock of a published quarter becomes one lock per summed indicator the published snapshot
gave a figure for in that quarter (the lock unit is now agency, month, indicator)."""

from datetime import date

import django.db.models.deletion
from django.db import migrations, models


def _locks_by_indicator(apps, schema_editor):
    PeriodLock = apps.get_model("reporting", "PeriodLock")
    Disclosure = apps.get_model("reporting", "Disclosure")
    month_locks = list(PeriodLock.objects.filter(indicator=""))
    if not month_locks:
        return
    published = {
        (d.agency_id, d.year, d.quarter): d.data
        for d in Disclosure.objects.filter(status="published").only("agency_id", "year", "quarter", "data")
    }
    new = []
    for lock in month_locks:
        data = published.get((lock.agency_id, lock.month.year, (lock.month.month - 1) // 3 + 1)) or {}
        for item in data.get("indicators", []):
            if item.get("quarter") is not None:
                new.append(
                    PeriodLock(
                        agency_id=lock.agency_id,
                        month=date(lock.month.year, lock.month.month, 1),
                        indicator=item["key"],
                        locked_by_id=lock.locked_by_id,
                        note=lock.note,
                    )
                )
    PeriodLock.objects.filter(indicator="").delete()
    PeriodLock.objects.bulk_create(new, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("reporting", "0051_target_base_registry"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="periodlock", name="periodlock_one_per_month"),
        migrations.AddField(
            model_name="periodlock",
            name="indicator",
            field=models.CharField(default="", max_length=64, verbose_name="indicator"),
            preserve_default=False,
        ),
        migrations.RunPython(_locks_by_indicator, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="periodlock",
            options={
                "ordering": ["agency", "month", "indicator"],
                "verbose_name": "period lock",
                "verbose_name_plural": "period locks",
            },
        ),
        migrations.AddConstraint(
            model_name="periodlock",
            constraint=models.UniqueConstraint(
                fields=("agency", "month", "indicator"), name="periodlock_one_per_month_indicator"
            ),
        ),
        migrations.CreateModel(
            name="StaleFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("indicator", models.CharField(max_length=64, verbose_name="indicator")),
                ("marked_at", models.DateTimeField(auto_now_add=True, verbose_name="marked at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="agencies.agency",
                        verbose_name="agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "stale figure",
                "verbose_name_plural": "stale figures",
                "ordering": ["agency", "month", "indicator"],
                "indexes": [models.Index(fields=["agency", "month"], name="stalefigure_agency_month")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="stalefigure_month_is_first_day"
                    )
                ],
            },
        ),
    ]
