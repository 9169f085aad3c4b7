"""Quarterly disclosures: the frozen snapshot, compute/publish/reopen, the notice PDF and exports."""
