"""Reports: the statistics and analysis report of an indicator, the consumption ledger workbook."""
