from cadres.models import Cadre, Post, Unit
from pingdingshan.core import permissions as gate


def test_scope_per_role(org_staff, auditor, leader, no_role_user, tree, cadre_a, cadre_b):
    assert set(Cadre.objects.restrict(org_staff)) == {cadre_a, cadre_b}
    assert set(Cadre.objects.restrict(auditor)) == {cadre_a, cadre_b}
    assert list(Cadre.objects.restrict(auditor, "change")) == []
    assert list(Cadre.objects.restrict(leader)) == [cadre_a]
    assert list(Cadre.objects.restrict(leader, "change")) == [cadre_a]
    assert list(Cadre.objects.restrict(no_role_user)) == []
    assert {u.name for u in Unit.objects.restrict(leader)} == {"宝丰县", "城关镇"}


def test_leader_may_not_change_structure(leader, tree):
    assert not Unit.objects.restrict(leader, "change").exists()
    assert not Post.objects.restrict(leader, "change").exists()
    assert gate.can(leader, "change") and not gate.can(leader, "audit")
