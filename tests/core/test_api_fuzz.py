"""No input reaches a 500: schemathesis generates requests for every operation of our OpenAPI
schema (valid and invalid parameters and bodies); each is sent through Django's test client as org
staff, and every read (GET) also as a unit leader, whose lists and objects run the scoped
querysets; any 5xx fails. A leader's writes run the same validation as org staff's once the gate
lets them through, and the gate's answer to each of them is checked by the permission matrix, so
fuzzing them twice only doubled the time.

Two depths, one test:
- in the suite (``scripts/test.sh``): two derandomised generated requests per operation and role;
- deep (``scripts/fuzz.sh``, which ``.ci/run`` runs after the suite; ``FUZZ_DEEP=1``): org staff
  also get schemathesis' coverage cases, about seventy per operation (each parameter and field
  missing, empty, of the wrong type, at its bounds; 26,000 requests, 5 minutes on 2 cores). They
  were in the suite until it outgrew its 5 minutes: they are generated at collection (20 s per
  worker) and were 40 % of its time. The leader's reads get the generated requests only at both
  depths (the same filters and bodies are covered as org staff: what the leader adds is the scoped
  querysets, which every request of the leader's runs).
Longer runs still are a command: ``schemathesis run`` against ``/api/schema/``."""
import os
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token

from pingdingshan.core.models import Role
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import user_with_role

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))

DEEP = os.environ.get("FUZZ_DEEP") == "1"
FUZZ = settings(max_examples=2, deadline=None, derandomize=True, database=None,
                phases=[Phase.generate], suppress_health_check=list(HealthCheck))
# schemathesis adds its coverage cases as explicit examples: only with the explicit phase
ORG_STAFF = settings(FUZZ, phases=[Phase.explicit, Phase.generate]) if DEEP else FUZZ
SENT = ("method", "url", "headers", "params", "json", "data", "files")


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        people = make_people(tree)
        leader = user_with_role(Role.UNIT_LEADER, tree.county_b, username="fuzz_leader")
        return {"org_staff": Token.objects.create(user=people.org_staff).key,
                "leader": Token.objects.create(user=leader).key}

    with rolled_back(django_db_blocker, build) as keys:
        yield keys


def _send(client, case, token):
    """The generated request, encoded as requests would send it, through the test client."""
    kw = {k: v for k, v in case.as_transport_kwargs(base_url="http://testserver").items() if k in SENT}
    prepared = requests.Request(**kw).prepare()
    url = urlsplit(prepared.url)
    body = prepared.body or b""
    headers = {k: v for k, v in prepared.headers.items()
               if k.lower() not in ("content-length", "content-type", "host", "cookie")}
    headers["Authorization"] = f"Token {token}"
    response = client.generic(prepared.method, url.path + (f"?{url.query}" if url.query else ""),
                              data=body.encode() if isinstance(body, str) else body,
                              content_type=prepared.headers.get("Content-Type", "application/octet-stream"),
                              headers=headers)
    assert response.status_code < 500, (prepared.method, prepared.url, body[:300], response.content[:300])


@schema.parametrize()
@ORG_STAFF
def test_no_input_from_org_staff_reaches_a_server_error(case, tokens, client, db):
    _send(client, case, tokens["org_staff"])


@schema.include(method="GET").parametrize()
@FUZZ  # no explicit phase: no coverage cases (see the docstring)
def test_no_input_from_a_unit_leader_reaches_a_server_error(case, tokens, client, db):
    _send(client, case, tokens["leader"])
