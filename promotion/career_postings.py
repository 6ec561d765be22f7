"""Frontline postings on the cadre page's career timeline (``registry.career_events``, registered
in ``promotion/hooks.py``): each posting of the cadre the user sees, in date order, with its
programme, host, dates, status and evaluation, linking to its page; and the button 新增一线历练 for
users who may propose one for the cadre."""
from django.urls import reverse
from django.utils.translation import gettext as _

from pingdingshan.core.registry import CareerEvent

STATUS_STYLE = {"proposed": "warning", "approved": "primary", "rejected": "danger", "closed": "success",
                "cancelled": "light"}


def posting_events(user, cadre) -> list[CareerEvent]:
    """One query: the cadre's postings the user sees (oldest first)."""
    from .services.postings import postings_of_cadre

    out = []
    for p in postings_of_cadre(user=user, cadre=cadre):
        badge = p.get_status_display()
        if p.evaluation:
            badge = _("%(s)s · %(e)s") % {"s": badge, "e": p.get_evaluation_display()}
        out.append(CareerEvent(start=p.start_date, end=p.end_date, text=f"{p.programme.name} · {p.host}",
                               url=reverse("promotion:posting_detail", args=[p.pk]), kind_label=_("一线历练"),
                               badge=badge, badge_style=STATUS_STYLE.get(p.status, "secondary")))
    return out


def posting_actions(user, cadre) -> list[tuple]:
    from .services.postings import may_propose

    if not may_propose(user, cadre):
        return []
    return [(_("新增一线历练"), reverse("promotion:posting_create") + f"?cadre={cadre.pk}", "bi-signpost-split")]
