"""Page views of the promotion app, one module per feature."""
