"""The demo part of cards: every status, red cards with their adjustment pending, overdue, recorded
and cancelled, all through the services (steps logged); deterministic."""
import datetime as dt
import random

from assessment.demo_conduct import Context
from assessment.demo_conduct import cards as part
from assessment.models import Adjustment, CardStatus, ConductStep, WarningCard
from cadres import services as roster
from pingdingshan.core.dates import today
from tests.conftest import make_people, make_tree
from tests.factories import CadreFactory, PostFactory


def _world():
    tree = make_tree()
    people = make_people(tree)
    for i in range(26):
        unit = tree.town_a if i % 2 else tree.town_b
        cadre = CadreFactory(unit=unit, name=f"干部{i}")
        post = PostFactory(unit=unit, name=f"岗位{i}", quota=2)
        roster.appointment_create(by=people.org_staff, cadre=cadre, post=post, start_date=dt.date(2020, 1, 1))
    PostFactory(unit=tree.town_a, name="四级调研员", quota=5, kind="non_leading")
    PostFactory(unit=tree.town_b, name="三级调研员", quota=5, kind="non_leading")
    return people


def test_demo_cards_cover_every_status(db):
    people = _world()
    ctx = Context(by=people.org_staff, rng=random.Random(7), today=today())
    n = part.build(ctx)
    assert n > 20
    statuses = set(WarningCard.objects.values_list("status", flat=True))
    assert statuses == set(CardStatus.values)
    adjustments = Adjustment.objects.all()
    assert {a.status for a in adjustments} == {"pending", "done", "cancelled"}
    assert any(a.status == "pending" and a.due_date < today() for a in adjustments)
    assert any(a.status == "pending" and a.due_date >= today() for a in adjustments)
    assert adjustments.filter(status="done", new_appointment__isnull=False).exists()
    assert ConductStep.objects.filter(subject="card", action="issue").count() == WarningCard.objects.exclude(
        status="proposed").count()
    assert set(ctx.made["cards_by_status"]) == set(CardStatus.values)
    assert len(ctx.made["cards"]) == WarningCard.objects.count()
