"""factory_boy factories for the roster. Units go through treebeard (add_root / add_child)."""
import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from cadres import idcard
from cadres.models import Appointment, Cadre, Post, PostKind, PostLevel, Rank, Unit, UnitKind, UnitLevel
from cadres.services import highest_education, name_initials
from pingdingshan.core.models import Role, RoleAssignment

_seq = itertools.count(1)

PASSWORD = "Test-Passw0rd-2026"


def make_unit(name, *, parent=None, level=UnitLevel.COUNTY, kind=UnitKind.COUNTY, code=None, establishment=100):
    unit = Unit(code=code or f"U{next(_seq):05d}", name=name, level=level, kind=kind, establishment=establishment)
    return Unit.objects.add_child(parent, instance=unit) if parent is not None else Unit.objects.add_root(instance=unit)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, unit: Unit | None = None, **kwargs):
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, unit=unit if role == Role.UNIT_LEADER else None)
    return user


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    name = factory.Sequence(lambda n: f"副主任{n}")
    kind = PostKind.DEPUTY
    level = PostLevel.SECTION_DEPUTY
    quota = 2
    is_chief = False


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre
        skip_postgeneration_save = True

    name = factory.Iterator(["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"])
    gender = factory.Iterator(["M", "F"])
    birth_date = factory.Sequence(lambda n: dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
    id_number = factory.LazyAttributeSequence(
        lambda o, n: idcard.make_id_number("410402", o.birth_date, n % 500, o.gender))
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    fulltime_education = 4
    inservice_education = 0
    highest_education = factory.LazyAttribute(lambda o: highest_education(o.fulltime_education, o.inservice_education))
    work_start_date = factory.LazyAttribute(lambda o: o.birth_date.replace(year=o.birth_date.year + 22))


def rank(name="一级主任科员"):
    return Rank.objects.get(name=name)


__all__ = ["Appointment", "CadreFactory", "PostFactory", "UserFactory", "make_unit", "rank", "user_with_role",
           "PASSWORD"]
