"""Forms of the card proposals: confirm (the card's fields, prefilled from the proposal) and dismiss."""
from django import forms
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.forms import BootstrapMixin

from .models import CardColor, CardReason


class ProposalDismissForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("驳回理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ProposalConfirmForm(BootstrapMixin, forms.Form):
    color = forms.ChoiceField(label=_("颜色"), choices=CardColor.choices)
    card_reason = forms.ModelChoiceField(label=_("事由类别"), queryset=CardReason.objects.filter(is_active=True))
    facts = forms.CharField(label=_("主要事实"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("依据"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    issuing_body = forms.CharField(label=_("发牌机关"), max_length=100)
    start_date = forms.DateField(label=_("发牌日期"))
    end_date = forms.DateField(label=_("期满日期"), required=False, help_text=_("不填时按事由类别的期限计算。"))
    reason = forms.CharField(label=_("确认意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def card_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        return data
