"""A throw-away data app that plugs into the spine the way a new ledger does — only by registering
(a ratio indicator, a per-truck target base, an alert and an import kind) — and is used end to end
by test_end_to_end.py. It changes nothing in reporting/, imports/ or agencies/."""
