"""FastSelect renders exactly what Django's Select renders from its templates."""
import pytest
from django import forms

from pingdingshan.core.widgets import FastSelect

CHOICES = [("", "全部"), ("1", "平顶山市"), ("2", "\u3000宝丰县"), ("x", '<b>&"\'</b>'),
           ("组", [("3", "城关镇"), ("4", "昆阳街道")])]


@pytest.mark.parametrize("value", [None, "", "2", "4", "x", "missing", 2])
@pytest.mark.parametrize("attrs", [
    {},
    {"class": "form-select form-select-sm is-invalid", "id": "id_unit"},
    {"data-on": True, "data-off": False, "title": 'a"b<c>', "required": True},
])
def test_same_html_as_django_select(value, attrs):
    plain = forms.Select(attrs=attrs, choices=CHOICES).render("unit", value, attrs={"aria-label": "单位"})
    fast = FastSelect(attrs=attrs, choices=CHOICES).render("unit", value, attrs={"aria-label": "单位"})
    assert fast == plain


def test_unit_filters_use_it():
    from cadres.filters import CadreFilter
    from cadres.filters_records import RecordFilter  # the record list's, the API's and the review queue's

    for filterset in (CadreFilter, RecordFilter):
        assert isinstance(filterset().form.fields["unit"].widget, FastSelect), filterset
    assert isinstance(RecordFilter(queue=True).form.fields["unit"].widget, FastSelect)
