"""Filters of the roster lists. One FilterSet per list serves the page, the API and the export,
so the three always agree on what "the filtered rows" are."""
import datetime as dt

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes

from pingdingshan.core.dates import in_force_q, today
from pingdingshan.core.filtersets import GatedFilterSet
from pingdingshan.core.forms import UnitChoiceField
from pingdingshan.core.widgets import FastSelect

from .models import (
    Appointment,
    Cadre,
    CadreStatus,
    EducationLevel,
    Gender,
    PoliticalStatus,
    Post,
    PostKind,
    PostLevel,
    Rank,
    Tag,
    Unit,
    UnitKind,
    UnitLevel,
)


def cadre_search_q(value: str, *, prefix: str = "", text_fields: tuple[str, ...] = ()) -> Q | None:
    """The roster's search, used by every list that finds cadres: Chinese name, pinyin initials
    (``zs``) or the start of the ID number. ``prefix`` reaches the cadre from another model
    (``"cadre__"``); ``text_fields`` are also searched for Chinese text (e.g. a record's title).
    None for an empty value."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isalpha():
        return Q(**{f"{prefix}name_initials__startswith": value.lower()}) | Q(**{f"{prefix}name__icontains": value})
    if value[:1].isdigit():
        return Q(**{f"{prefix}id_number__startswith": value.upper()})
    q = Q(**{f"{prefix}name__contains": value})
    for f in text_fields:
        q |= Q(**{f"{f}__contains": value})
    return q


def search_filter(qs, value, **kwargs):
    """``qs`` filtered by ``cadre_search_q`` (unchanged for an empty value)."""
    q = cadre_search_q(value, **kwargs)
    return qs.filter(q) if q is not None else qs



def _years_ago(years: int) -> dt.date:
    day = today()
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class UnitSubtreeFilter(df.ModelChoiceFilter):
    """A unit and every unit below it. The choices are the units the user sees (``GatedFilterSet``):
    a unit out of scope is refused like one that does not exist."""

    field_class = UnitChoiceField  # units in tree order, indented by depth

    schema_type = OpenApiTypes.INT  # the API documents a unit id, whatever path lookup it filters on

    def __init__(self, *args, path_field="unit__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("queryset", Unit.objects.only("id", "path", "depth", "name"))
        kwargs.setdefault("widget", FastSelect)  # every unit of the tree: options rendered in Python
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_field}__startswith": value.path})


class CadreFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("姓名/拼音首字母/身份证号"))
    unit = UnitSubtreeFilter(label=_("单位（含下级）"))
    post_level = df.TypedChoiceFilter(field_name="current_post__level", choices=PostLevel.choices,
                                      coerce=int, label=_("职务层次"))
    rank = df.ModelChoiceFilter(field_name="current_rank", queryset=Rank.objects.all(), label=_("职级"))
    gender = df.ChoiceFilter(choices=Gender.choices, label=_("性别"))
    age_min = df.NumberFilter(method="filter_age_min", label=_("年龄不小于"), min_value=0, max_value=120)
    age_max = df.NumberFilter(method="filter_age_max", label=_("年龄不大于"), min_value=0, max_value=120)
    education = df.TypedChoiceFilter(field_name="highest_education", choices=EducationLevel.choices, coerce=int,
                                     label=_("最高学历"))
    political_status = df.ChoiceFilter(choices=PoliticalStatus.choices, label=_("政治面貌"))
    party_member = df.BooleanFilter(method="filter_party", label=_("是否党员"))
    tag = df.ModelChoiceFilter(field_name="tags", queryset=Tag.objects.all(), label=_("标签"))
    status = df.ChoiceFilter(choices=CadreStatus.choices, label=_("状态"))
    ordering = df.OrderingFilter(
        fields=(
            ("name_initials", "name"),
            ("birth_date", "birth_date"),
            ("unit__path", "unit"),
            ("current_post__level", "post_level"),
            ("current_rank__order", "rank"),
            ("work_start_date", "work_start_date"),
            ("highest_education", "education"),
        ),
        field_labels={
            "name_initials": _("姓名"), "birth_date": _("出生日期"), "unit__path": _("单位"),
            "current_post__level": _("职务层次"), "current_rank__order": _("职级"),
            "work_start_date": _("参加工作时间"), "highest_education": _("学历"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Cadre
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value)

    def filter_age_min(self, qs, name, value):
        return qs.filter(birth_date__lte=_years_ago(int(value))) if value is not None else qs

    def filter_age_max(self, qs, name, value):
        return qs.filter(birth_date__gt=_years_ago(int(value) + 1)) if value is not None else qs

    def filter_party(self, qs, name, value):
        party = Q(political_status__in=[PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY])
        if value is None:
            return qs
        return qs.filter(party) if value else qs.exclude(party)


class UnitFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("名称/代码"))
    parent = UnitSubtreeFilter(path_field="path", label=_("上级单位（含下级）"))
    level = df.ChoiceFilter(choices=UnitLevel.choices, label=_("层级"))
    kind = df.ChoiceFilter(choices=UnitKind.choices, label=_("类型"))

    class Meta:
        model = Unit
        fields = ["is_active"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else qs


class PostFilter(GatedFilterSet):
    unit = UnitSubtreeFilter(label=_("单位（含下级）"))
    level = df.TypedChoiceFilter(choices=PostLevel.choices, coerce=int, label=_("职务层次"))
    kind = df.ChoiceFilter(choices=PostKind.choices, label=_("职务类别"))

    class Meta:
        model = Post
        fields = ["is_chief"]


class AppointmentFilter(GatedFilterSet):
    unit = UnitSubtreeFilter(path_field="post__unit__path", label=_("单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.all(), label=_("干部"))
    post = df.ModelChoiceFilter(queryset=Post.objects.all(), label=_("职务"))
    current = df.BooleanFilter(method="filter_current", label=_("现任"))

    class Meta:
        model = Appointment
        fields = ["cadre", "post"]

    def filter_current(self, qs, name, value):
        if value is None:
            return qs
        current = in_force_q()
        return qs.filter(current) if value else qs.exclude(current)
