"""Reporting: the indicator and alert registries, the MonthlyFigure fact table and what reads it."""
