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


# --------------------------------------------------------------------------- allows / units_for / choices
def test_allows_reads_the_models_scope_path_field(org_staff, auditor, leader, tree, cadre_a, cadre_b):
    from cadres.models import PerformanceRecord, RankQuota

    assert gate.allows(leader, "change", cadre_a) and not gate.allows(leader, "change", cadre_b)
    assert gate.allows(leader, "view", cadre_a) and not gate.allows(auditor, "change", cadre_a)
    assert gate.allows(leader, "change", PerformanceRecord(cadre=cadre_a))  # an unsaved object: its unit decides
    assert not gate.allows(leader, "change", PerformanceRecord(cadre=cadre_b))
    assert not gate.allows(leader, "change", Post(unit=tree.town_a))  # posts are not leader-writable
    assert gate.allows(org_staff, "change", RankQuota(unit=tree.town_b))
    assert gate.allows(leader, "change", Cadre) and not gate.allows(leader, "change", Unit)  # a model: somewhere
    assert gate.allows(leader, "view", tree.town_a) and not gate.allows(leader, "view", tree.town_b)


def test_named_actions_in_the_role_table(org_staff, auditor, leader, cadre_a):
    assert gate.allows(org_staff, "delete_cadre", cadre_a) and not gate.allows(leader, "delete_cadre", cadre_a)
    assert gate.allows(leader, "move_cadre", cadre_a) and not gate.allows(auditor, "move_cadre", cadre_a)
    assert gate.allows(org_staff, "create_top_unit") and not gate.allows(leader, "create_top_unit")
    assert gate.allows(auditor, "calibrate") and not gate.allows(leader, "calibrate")
    assert gate.can(org_staff, "import_submitted")  # an org-staff import's rows arrive submitted
    assert not gate.can(leader, "import_submitted") and not gate.can(auditor, "import_submitted")


def test_units_for_and_restricted_choices(org_staff, leader, no_role_user, tree):
    from django import forms

    from cadres.models import Appointment

    assert set(gate.units_for(leader, "change", Cadre)) == {tree.county_a, tree.town_a}
    assert not gate.units_for(leader, "change").exists()  # units themselves: org staff only
    assert not gate.units_for(no_role_user).exists()
    assert gate.units_for(org_staff, "change", Cadre).count() == Unit.objects.count()

    class F(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.all())
        post = forms.ModelChoiceField(queryset=Post.objects.all())

    own, other = Post.objects.create(unit=tree.town_a, name="副镇长", quota=2, level=1), \
        Post.objects.create(unit=tree.town_b, name="副主任", quota=2, level=1)
    form = F()
    gate.restrict_form_fields(form, leader, unit=("change", Appointment), post=("change", Appointment))
    assert set(form.fields["unit"].queryset) == {tree.county_a, tree.town_a}
    assert list(form.fields["post"].queryset) == [own]
    bound = F({"unit": tree.town_b.pk, "post": other.pk})
    gate.restrict_form_fields(bound, leader)
    missing = F({"unit": 2_000_000_000, "post": 2_000_000_000})
    gate.restrict_form_fields(missing, leader)
    assert not bound.is_valid() and not missing.is_valid()
    assert bound.errors == missing.errors  # out of scope answers exactly like missing


def test_the_gated_form_base_restricts_declared_choices(leader, tree, cadre_a, cadre_b):
    from django import forms

    class F(gate.GatedFormMixin, forms.Form):
        gate_fields = {"cadre": "change"}
        cadre = forms.ModelChoiceField(queryset=Cadre.objects.all())
        unit = forms.ModelChoiceField(queryset=Unit.objects.all())

    form = F(user=leader)
    assert list(form.fields["cadre"].queryset) == [cadre_a]
    assert set(form.fields["unit"].queryset) == {tree.county_a, tree.town_a}
    assert not F({"cadre": cadre_b.pk, "unit": tree.town_a.pk}, user=leader).is_valid()
