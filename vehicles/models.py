"""Models of vehicles arrive with its issue."""
