"""Rows of the permission matrix, one module per feature (see tests/test_permission_matrix.py).

Each module defines PAGES and/or API: lists of (url name, object kind or None, method, kind).
Object kinds the matrix fixture provides (own = inside the unit leader's subtree, other = outside):
cadre, unit, post, appointment, career, training, rank_history, record (submitted), draft_record,
evidence (on the draft record), and the unit-less user, role, rank, tag, category, notification, job;
for assessment: result (the cadre's result in an open period) and published_result (in a published
period), and the unit-less tier, assess_category, scheme (a draft), published_scheme, period (open),
published_period, rater_group (of the open period); both results are computed. Objects a write
may consume: spare_cadre, spare_post, spare_unit (nothing attached: deletable), higher_rank (a rank
to assign), and ``tree`` (the unit tree of tests/conftest.py ``make_tree``). The world is built once
per module and each test runs in a savepoint of it: a row sees the world as built, never another
row's changes; read objects' ``pk`` or refetch them.
Kinds: home, view, view_obj, create, write_obj, org_only_obj, struct, struct_obj, manage, audit
and api_audit (org staff and auditors; 403 for the rest),
verify, verify_obj, assess and api_assess (org staff only), staff_obj and api_staff_obj (org
staff and auditors; unit leaders 404: unpublished assessment objects),
staff_list and api_staff_list (lists for org staff and auditors; unit leaders 403: card proposals),
discipline and api_discipline (org staff only: the gate action ``discipline``, refused with 403
before any lookup),
export and api_export (a write every role has through the gate action ``export``: asking for an
auditors' report; 403 without a role),
own (the user's own things), own_obj and api_own_obj (org staff's own object: a notification, a job),
api_own (the user's own things, API),
api_list, api_obj, api_ref, api_create, api_write_obj, api_org_only_obj,
api_struct, api_struct_obj, api_verify_obj, public, api_docs,
withdraw_obj / api_withdraw_obj (withdrawing the record org staff submitted; see expected()).

An allowed case must prove success: a row may end with an ``Ok(...)`` (below) saying what to send
and what success is. Every row whose method writes (post, put, patch, delete) must have one with an
``effect``; GET rows without one expect 200. Denied roles get the same request (so a denial never
comes from bad data).

A module may also define ``world(variant, objects, by) -> dict``: objects its rows name, added to
each variant's objects when the matrix world is built (``by`` is org staff).
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ok:
    """What an allowed role sends and gets.

    - ``data``: the body (form fields for pages, JSON for the API unless ``multipart``), or
      ``data(o)`` building it from ``o``, the variant's objects (called afresh for every request,
      so uploads can be new files);
    - ``query``: the GET query string (dict, or ``query(o)``);
    - ``status``: the success status; by default GET 200, a page POST 302 (a redirect after the
      action, with no warning or error in the messages framework), an API POST to a ``-list`` 201
      and to an action 200, PUT/PATCH 200, DELETE 204;
    - ``effect(o, response)``: truthy when the write took effect (refetch from the database; it may
      also assert inside). Required for writes. It must not hold before the request: the roles that
      are refused the same request are checked to leave it false (nothing changed);
    - ``prepare(o, user)``: run for every role before the request (inside the test's savepoint;
      ``user`` is None for anonymous), e.g. to put an object in the state the action needs; a dict
      it returns joins ``o`` for this test (e.g. the id of a job it started, for ``query``);
    - ``form``: for edit pages, start from the values the GET page's form shows (the same URL,
      fetched as the same user) and put ``data`` over them, so a POST row changes only what it says
      (a string names the form's context variable, default ``form``);
    - ``refusal``: for a row that tests an illegal step (not a success): the text the refusal must
      show (in the form errors, the messages or the body), with ``status`` and an ``effect`` saying
      nothing changed.
    """

    data: Any = None
    query: Any = None
    status: int | None = None
    effect: Callable | None = None
    prepare: Callable | None = None
    multipart: bool = False
    form: bool | str = False
    refusal: str = ""


def refetch(o, kind):
    """The variant's object of ``kind`` as the database has it now (None when it is gone)."""
    obj = o[kind]
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def gone(kind):
    """Effect: the object was deleted."""
    return lambda o, r: refetch(o, kind) is None


def now(kind, **values):
    """Effect: the object's fields have these values (a value may be ``f(o)``)."""
    def check(o, r):
        obj = refetch(o, kind)
        for field, want in values.items():
            want = want(o) if callable(want) else want
            got = getattr(obj, field)
            assert str(got) == str(want), (kind, field, got, want)
        return True
    return check


def exists(model, **lookup):
    """Effect: a row of ``model`` matching ``lookup`` exists (a value may be ``f(o)``). ``model`` is
    "app_label.ModelName" or the class."""
    def check(o, r):
        from django.apps import apps

        m = apps.get_model(model) if isinstance(model, str) else model
        return m._default_manager.filter(**{k: (v(o) if callable(v) else v) for k, v in lookup.items()}).exists()
    return check


def pk(kind):
    """``f(o)``: the pk of the variant's object of ``kind`` (for data and lookups)."""
    return lambda o: o[kind].pk


def unread_none(o, response):
    """Effect: the requesting user has no unread notification left."""
    from pingdingshan.core.models import Notification

    return not Notification.objects.filter(user=response.wsgi_request.user, read_at__isnull=True).exists()


def both(*effects):
    return lambda o, r: all(e(o, r) for e in effects)

