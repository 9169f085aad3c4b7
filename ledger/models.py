"""Models of ledger arrive with its issue."""
