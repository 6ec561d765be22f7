"""Forms of the team analysis: the city view's filter (unit subtree, colour) and the rules' settings."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit
from pingdingshan.core.forms import BootstrapMixin

from .models import TeamRules
from .services.teams import COLOURS, FIELDS


class TeamFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"),
                                  error_messages={"invalid_choice": _("单位：请选择您权限范围内的单位。")})
    colour = forms.ChoiceField(label=_("预警颜色"), choices=[("", _("全部"))] + list(COLOURS), required=False,
                               error_messages={"invalid_choice": _("预警颜色：请选择列表中的颜色。")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view")


class TeamRulesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TeamRules
        fields = list(FIELDS)
