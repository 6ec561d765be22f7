"""What a web process does once, after Django is set up and before it serves (``pingdingshan/wsgi.py``;
the benchmarks call it too, to time what production runs)."""
import gc


def freeze_startup_objects() -> None:
    """Import every URL module (and with them the views, forms and serializers), collect once, then
    move everything alive out of the garbage collector's generations (``gc.freeze``): the
    application's modules, classes and settings live as long as the process, and a full collection
    otherwise walks all of them on whichever request happens to trigger it. Measured on
    ``/analysis/teams/`` at 100,000 cadres: p50 ~195 ms either way, but one request in six or seven
    took ~350 ms with the collector walking the app (none with it frozen)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URL modules)
    gc.collect()
    gc.freeze()
