"""A truck's hauls (fuel and distance per month) and the fleet size of each year."""

from django.db import models

from agencies.models import Agency


class Haul(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    litres = models.DecimalField(max_digits=12, decimal_places=2)
    km = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["agency", "month"]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m} {self.litres} L {self.km} km"


class Fleet(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    trucks = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["agency", "year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="spineapp_fleet_one_per_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.trucks}"
