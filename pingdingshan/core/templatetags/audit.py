"""Audit history in templates.

``{% load audit %}{% object_history obj %}`` renders the history of one object (any model with a
simple-history ``history``): 时间, 操作人, 操作, 请求编号 and each changed field before → after.
The rows are read in one query and paired with the next-older row in Python; labels of foreign
keys and many-to-many values take one query per related model. The page that includes it decides
who may see it (``obj`` was fetched through the permission gate).
"""
from django import template

from ..selectors import object_history as _object_history

register = template.Library()


@register.inclusion_tag("core/_object_history.html", takes_context=True)
def object_history(context, obj, limit=200, empty_text=None):
    entries = _object_history(obj, limit=limit) if obj is not None else []
    return {"entries": entries, "empty_text": empty_text, "show_model": False, "gate_can": context.get("gate_can")}


@register.inclusion_tag("core/_history_table.html", takes_context=True)
def history_table(context, entries, show_model=True, show_object=True):
    """The same table for a list of HistoryEntry (the audit log page)."""
    return {"entries": entries, "show_model": show_model, "show_object": show_object,
            "gate_can": context.get("gate_can")}


@register.filter
def action_label(history_type):
    from ..selectors import ACTION_LABELS

    return ACTION_LABELS.get(history_type, history_type)
