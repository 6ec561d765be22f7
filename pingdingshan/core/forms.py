"""Form building blocks every app uses (the Bootstrap mixin, service errors next to the fields, unit
choices in tree order) and the forms of the core pages: they parse input only; the services hold
the rules."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Role
from .selectors import unit_choices


def unit_label(unit, base_depth=1):
    """A unit's name indented by its depth, for <select>s of the tree."""
    return "\u3000" * max(unit.depth - base_depth, 0) + unit.name


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth."""

    def label_from_instance(self, obj):
        return unit_label(obj)


def apply_errors(form, error: ValidationError, field_map: dict | None = None) -> None:
    """Attach a service's ValidationError to the form: fields it names (through ``field_map`` when
    the service calls a field otherwise) get their messages next to them, the rest go to the top of
    the form."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = field_map.get(name, name)
            form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)
    else:
        form.add_error(None, error.messages)


class BootstrapMixin:
    """Bootstrap classes on every widget (dates as date inputs); ``is-invalid`` on fields with
    errors; ``add_service_errors`` puts a service's ValidationError next to the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(w, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
            if isinstance(w, forms.DateInput):
                w.input_type = "date"
                w.format = "%Y-%m-%d"

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def add_service_errors(self, error: ValidationError, field_map: dict | None = None):
        """Show a service's ValidationError next to the fields it names (else above the form)."""
        apply_errors(self, error, field_map)

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                w = self.fields[name].widget
                if "is-invalid" not in w.attrs.get("class", ""):
                    w.attrs["class"] = (w.attrs.get("class", "") + " is-invalid").strip()


def _unit_field(required, label=None):
    return UnitChoiceField(queryset=unit_choices(), required=required, label=label or _("单位"),
                           empty_label=_("—— 请选择 ——"))


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录用，2至150个字符：字母、数字和 @ . + - _。"))
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password1 = forms.CharField(label=_("初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("至少10个字符，不能全是数字，不能是常见密码，不能与用户名或姓名太相似。"))
    password2 = forms.CharField(label=_("确认密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    SERVICE_FIELDS = {"password": "password1"}

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class RoleAssignForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("—— 请选择 ——")), *Role.choices])
    unit = _unit_field(False, label=_("单位（仅单位领导）"))
