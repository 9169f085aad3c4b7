"""Models of campaigns arrive with its issue."""
