"""Campaigns: publicity events and trainings, spot checks and bulletins, the creation workflow."""
