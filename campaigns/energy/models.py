"""Conversion factors of comprehensive energy (综合能耗) and carbon: each a dated, sourced row."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Carrier(models.TextChoices):
    ELECTRICITY = "electricity", pgettext_lazy("carrier", "Electricity")  # 电力
    NATURAL_GAS = "natural_gas", pgettext_lazy("carrier", "Natural gas")  # 天然气
    HEAT = "heat", pgettext_lazy("carrier", "Heat")  # 热力
    PETROL = "petrol", pgettext_lazy("carrier", "Petrol")  # 汽油
    DIESEL = "diesel", pgettext_lazy("carrier", "Diesel")  # 柴油
    LPG = "lpg", pgettext_lazy("carrier", "Liquefied petroleum gas")  # 液化石油气
    RAW_COAL = "raw_coal", pgettext_lazy("carrier", "Raw coal")  # 原煤


class FactorKind(models.TextChoices):
    COAL = "coal", _("Standard coal (kgce per unit)")  # 折标准煤系数
    CO2 = "co2", _("CO₂ emission (kgCO₂ per unit)")  # 二氧化碳排放因子
    DENSITY = "density", _("Density (kg per litre)")  # 密度


class EnergyFactor(models.Model):
    """One factor of one carrier, in force from ``valid_from`` until a later row of the same
    carrier and kind: a month uses the latest row dated on or before it."""

    scope_global = True  # national factors, every agency's: loaded from fixtures/, kept in the admin

    carrier = models.CharField(_("energy carrier"), max_length=16, choices=Carrier.choices)
    kind = models.CharField(_("factor"), max_length=8, choices=FactorKind.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=6)
    per = models.CharField(
        _("per"), max_length=8, help_text=_("The unit the value is per: kWh, m³, GJ, kg; L for a density.")
    )
    valid_from = models.DateField(_("applies from"))
    source = models.TextField(
        _("source"), help_text=_("The standard or announcement, and how it was checked.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("energy conversion factor")
        verbose_name_plural = _("energy conversion factors")
        ordering = ["kind", "carrier", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "kind", "valid_from"], name="energyfactor_one_per_date"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="energyfactor_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} · {self.get_kind_display()} · {self.valid_from:%Y-%m-%d}"

    @property
    def unit(self) -> str:
        """kgce/kWh, kgCO₂/m³, kg/L …"""
        top = {"coal": "kgce", "co2": "kgCO₂", "density": "kg"}[self.kind]
        return f"{top}/{self.per}"
