"""Imports: the one Excel/CSV import pipeline every ledger registers its kinds with."""
