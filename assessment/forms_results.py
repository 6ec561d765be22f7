"""Forms of the results pages: the grade override and the publication's confirmation. They only
parse input; ``result_override`` and ``period_publish`` decide, and their errors are put back next
to the fields (``pingdingshan.core.forms.apply_errors``)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.forms import BootstrapMixin

from .models import Grade


class OverrideForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(label=_("调整为"), required=False,
                              choices=[("", _("恢复测算等次"))] + list(Grade.choices))
    reason = forms.CharField(label=_("调整理由"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, result=None, **kwargs):
        prefix = f"r{result.pk}" if result is not None else None
        super().__init__(*args, prefix=prefix, **kwargs)
        if result is not None and result.unit_id:
            from .models import grade_label

            self.fields["grade"].choices = [("", _("恢复测算等次"))] + [
                (value, grade_label(value, result.unit.kind)) for value, _label in Grade.choices]


class PublishForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(label=_("我已核对本周期的全部结果，确认发布（发布后结果锁定，不能再修改）"), required=False)
