"""Forms of the review pages (审核队列, 核实 / 退回, 中心工作类别与计分规则).

They only parse input: the cleaned data goes to the services of ``cadres/services/records.py``,
which decide (a manual adjustment needs a reason, a return needs a reason, only a submitted record
is verified), and their ValidationError is put back next to the fields (``apply_errors``).
"""
from decimal import Decimal

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .models import RecordRole, TaskCategory


def submitter_label(user) -> str:
    return user.get_full_name() or user.username


# --------------------------------------------------------------------------- verify / return
class VerifyForm(BootstrapMixin, forms.Form):
    """核实: an optional manual adjustment of the rule's points (the service requires a reason)."""

    adjustment = forms.DecimalField(label=_("调整分"), required=False, max_digits=6, decimal_places=2,
                                    help_text=_("可为负数；不调整请留空或填0。"))
    adjustment_reason = forms.CharField(label=_("调整理由"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adjustment"].widget.attrs.update(step="0.5", placeholder="0")
        self.fields["adjustment_reason"].widget.attrs["placeholder"] = _("调整实绩分时必填")

    def service_data(self) -> dict:
        return {"adjustment": self.cleaned_data.get("adjustment") or Decimal(0),
                "adjustment_reason": self.cleaned_data.get("adjustment_reason") or ""}

    def apply_errors(self, error):
        apply_errors(self, error)


class ReturnForm(BootstrapMixin, forms.Form):
    """退回: the reason is required (the service says so in its own words)."""

    reason = forms.CharField(label=_("退回原因"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["placeholder"] = _("请写明需要补充或修改的内容，填报人会收到通知")

    def service_data(self) -> dict:
        return {"reason": self.cleaned_data.get("reason") or ""}

    def apply_errors(self, error):
        apply_errors(self, error)


# --------------------------------------------------------------------------- categories and points
ROLE_FIELDS = [(f"points_{value}", value, label) for value, label in RecordRole.choices]
CATEGORY_FIELDS = ["name", "description", "is_active", "requires_evidence", "order"]


def points_field(label):
    return forms.DecimalField(label=label, max_digits=6, decimal_places=2, min_value=Decimal(0),
                              max_value=Decimal("9999.99"), widget=forms.NumberInput(attrs={"step": "0.5"}))


_CategoryBase = type("_CategoryBase", (BootstrapMixin, forms.Form), {
    **fields_for_model(TaskCategory, fields=CATEGORY_FIELDS),
    **{name: points_field(label) for name, _role, label in ROLE_FIELDS},
})


class CategoryForm(_CategoryBase):
    """A task category and its points per role, saved together (one form per category)."""

    def __init__(self, *args, category: TaskCategory | None = None, rules: dict | None = None, html_form: str = "",
                 **kwargs):
        if category is not None:
            initial = {f: getattr(category, f) for f in CATEGORY_FIELDS}
            initial.update({name: (rules or {}).get(role) for name, role, _label in ROLE_FIELDS})
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"is_active": True})
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["order"].widget.attrs["min"] = 0
        if html_form:  # the inputs sit in table cells and belong to a <form id=html_form> elsewhere in the row
            for field in self.fields.values():
                field.widget.attrs["form"] = html_form

    def category_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in CATEGORY_FIELDS}

    def points_data(self) -> dict:
        """{role: points} for every role."""
        return {role: self.cleaned_data[name] for name, role, _label in ROLE_FIELDS}

    def points_fields(self):
        return [self[name] for name, _role, _label in ROLE_FIELDS]

    def apply_errors(self, error):
        apply_errors(self, error)
