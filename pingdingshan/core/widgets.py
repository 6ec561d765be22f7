"""Widgets shared by the pages."""
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(out))  # noqa: S308 - every part is built by format_html


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python, to exactly the HTML of Django's ``select.html`` /
    ``select_option.html`` templates but without one template include per option: the unit
    filters list every unit of the tree (hundreds), which took a good part of a list page's
    rendering time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]),
                                         _attrs(option["attrs"]), option["label"]))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
