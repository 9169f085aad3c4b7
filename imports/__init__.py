"""The one Excel/CSV import pipeline: read, map headers, validate every row, write atomically."""
