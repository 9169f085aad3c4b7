"""The fact table: MonthlyFigure rows, their refresh, the stale record and the locks."""
