"""Waste: the waste-sorting collection ledger (GB/T 19095 categories) and hazardous hand-overs."""
