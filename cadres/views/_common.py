"""Helpers of the roster pages: links back to a cadre's tab and whether to show write buttons.
The building blocks every list page uses (the gate as a decorator, query strings, pagination, sort
headers, export requests) live in ``pingdingshan.core.pages``."""
from django.shortcuts import redirect

from pingdingshan.core import permissions as gate


def back_to(cadre, tab: str):
    return redirect(f"{cadre_url(cadre)}?tab={tab}")


def cadre_url(cadre):
    from django.urls import reverse

    return reverse("cadres:cadre_detail", args=[cadre.pk])


def can_change(user, model=None) -> bool:
    """Show write buttons? (The services decide for real.)"""
    return gate.allows(user, "change", model)
