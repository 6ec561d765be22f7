"""``SingletonViewSetMixin``: the viewsets answering one object at the router's list route keep
that route only (no detail route), map GET (and PUT) onto their named methods, and answer OPTIONS
(DRF asks ``get_object``, which is None)."""
import pytest
from django.urls import NoReverseMatch, resolve, reverse
from rest_framework.test import APIClient

SINGLETONS = {
    "post-eligibility": {"get": "get_check"},
    "selection-rules": {"get": "get_rules", "put": "put_rules"},
    "ninebox": {"get": "grid"},
    "ninebox-settings": {"get": "get_settings", "put": "put_settings"},
    "ranking-schedule": {"get": "get_schedule", "put": "put_schedule"},
}


@pytest.mark.parametrize("basename", list(SINGLETONS))
def test_a_singleton_has_its_list_route_only_mapped_onto_its_methods(basename):
    url = reverse(f"{basename}-list")
    assert url == f"/api/v1/{basename}/"
    actions = dict(resolve(url).func.actions)
    # DRF's view adds ``head`` (as ``get``) to this same dict on its first request, so whether
    # it is there depends on which tests ran before in this worker.
    assert actions.pop("head", actions["get"]) == actions["get"]
    assert actions == SINGLETONS[basename]
    with pytest.raises(NoReverseMatch):
        reverse(f"{basename}-detail", args=[1])


@pytest.mark.parametrize("basename", list(SINGLETONS))
def test_a_singleton_answers_options_without_an_id(org_staff, basename):
    api = APIClient()
    api.force_authenticate(org_staff)
    r = api.options(reverse(f"{basename}-list"))
    assert r.status_code == 200, r.content
