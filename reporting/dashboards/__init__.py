"""Dashboards: the agency dashboard and the city overview."""
