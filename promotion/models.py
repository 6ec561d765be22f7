"""Models of this app arrive with their own issues (see the issue tracker)."""
