"""Ledger: energy and water meters, readings and bills; office consumables and paper."""
