"""Models of imports arrive with its issue."""
