"""Models of waste arrive with its issue."""
