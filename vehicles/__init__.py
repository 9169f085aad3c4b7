"""Vehicles: official vehicles, dispatch orders, fuel logs, seal periods and L/100 km."""
