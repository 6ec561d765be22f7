"""The demo city for ``manage.py seed_demo``: data lists (``data``) and the builder (``builder``)."""
