"""Input fields for object ids (编号), shared by pages, filters and the API.

An id is a whole number from 1 to 2**63 - 1 written in ASCII digits. ``NumberFilter`` (a decimal
field) accepted ``?cadre=1e100000000`` and then spent minutes turning it into an integer; ``str.isdigit``
accepted "²", which ``int`` refuses (a 500). Ids out of the columns' range match nothing in queries
(``core.lookups``); these fields refuse what is not an id at all."""
import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

ID_MAX = 2**63 - 1


def parse_id(raw) -> int | None:
    """``raw`` as an id, or None when it is not one (empty, not ASCII digits, 0, too large)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = str(raw or "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        value = int(text)
    return value if 1 <= value <= ID_MAX else None


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": _("请填写有效的编号（正整数）。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


class IdFilter(df.NumberFilter):
    """A filter on an object's id (``?cadre=12``): whole numbers only, 1 … 2**63 - 1."""

    field_class = IdField


__all__ = ["ID_MAX", "IdField", "IdFilter", "parse_id"]
