"""Targets: the reduction targets, their evaluation against the baseline year, and target bases."""
