"""The one FilterSet of the care records (关心关爱): the care list, its export and the API filter
with ``care_filter(kind)`` (cadre name, unit subtree, year), gated like every list
(``GatedFilterSet``: a unit out of scope is refused like one that does not exist). The reminders'
cadre lists filter the same way (``care_filter(None)``, on cadres)."""
import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.filtersets import GatedFilterSet

from .filters import UnitSubtreeFilter, search_filter
from .models import AwaySupport, Cadre, HealthCheck, LeaveYear, OvertimeRecord, Talk

# The date that a record's year is read from ("year" for a leave year).
DATE_FIELDS = {Talk: "held_on", LeaveYear: None, HealthCheck: "checked_on", OvertimeRecord: "worked_on",
               AwaySupport: "start_date"}


class CareFilterBase(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    year = df.NumberFilter(method="filter_year", label=_("年度"), min_value=2000, max_value=2100)

    prefix_path = "cadre__"
    date_field = None

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix=self.prefix_path)

    def filter_year(self, qs, name, value):
        if value in (None, "") or self.date_field is False:
            return qs
        if self.date_field is None:
            return qs.filter(year=int(value))
        return qs.filter(**{f"{self.date_field}__year": int(value)})


def open_follow_ups(qs):
    """Talks with a follow-up written down and not marked done (the work desk's line)."""
    return qs.exclude(follow_up="").filter(follow_up_done=False)


def _filter_follow_up(self, qs, name, value):
    return open_follow_ups(qs) if value else qs


_CLASSES: dict = {}


def care_filter(model):
    """The FilterSet class of the care records of ``model`` (``None``: of cadres, for the reminders)."""
    if model not in _CLASSES:
        target = model or Cadre
        attrs = {
            "unit": UnitSubtreeFilter(label=_("单位（含下级）"),
                                      path_field="unit__path" if model is None else "cadre__unit__path"),
            "Meta": type("Meta", (), {"model": target, "fields": []}),
            "prefix_path": "" if model is None else "cadre__",
            "date_field": False if model is None else DATE_FIELDS[model],
        }
        if model is Talk:
            attrs["follow_up"] = df.BooleanFilter(method="filter_follow_up", widget=forms.CheckboxInput,
                                                  label=_("只看待跟进的"))
            attrs["filter_follow_up"] = _filter_follow_up
        _CLASSES[model] = type(f"{target.__name__}CareFilter", (CareFilterBase,), attrs)
    return _CLASSES[model]
