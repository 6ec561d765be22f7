"""The cadre page's 选拔任用 menu (``registry.action_menus``, page ``"cadre"``), registered from
``promotion.hooks_selection``: for org staff, start a selection record with this cadre as candidate
(for a post chosen on the form; or for a post with a free place, the 9-box's put-forward page); for
everyone who sees them, the selection records the cadre appears in (those the reader sees), linked,
with the step each is at. Two queries."""
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.registry import MenuItem

SHOWN = 10  # the latest records listed in the menu; the list page shows the rest


def selection_menu(user, cadre) -> list[MenuItem]:
    from .models import Selection, SelectionCandidate

    items = []
    if gate.can(user, "reserve") and gate.allows(user, "view", cadre):
        items.append(MenuItem(_("新建选任纪实（以该干部为人选）"),
                              reverse("promotion:selection_create") + "?" + urlencode({"cadre": cadre.pk}),
                              "bi-plus-lg"))
        items.append(MenuItem(_("推荐任职（有空缺职数的职务）"),
                              reverse("promotion:ninebox_put_forward", args=[cadre.pk]) + "?" + urlencode(
                                  {"next": reverse("cadres:cadre_detail", args=[cadre.pk])}), "bi-person-up"))
    records = list(Selection.objects.restrict(user, "view")
                   .filter(pk__in=SelectionCandidate.objects.filter(cadre=cadre).values("selection_id"))
                   .order_by("-created_at", "-id")[:SHOWN + 1])
    if records or items:
        items.append(MenuItem(_("参与的选任纪实（%(n)s）") % {"n": len(records) if len(records) <= SHOWN
                                                                   else f"{SHOWN}+"}))
    for s in records[:SHOWN]:
        items.append(MenuItem(s.title, reverse("promotion:selection_detail", args=[s.pk]), "bi-journal-text",
                              s.get_status_display()))
    return items
