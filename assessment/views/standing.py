"""The 担当状态 panels: the cadre page's tab (what is in force for the cadre today, from
``services.standing``) and the unit page's count of the cards in force in its subtree by colour.
Both are registered in ``assessment.hooks`` (``pingdingshan.core.registry.tabs``); the pages they
sit on are already gated (the cadre, the unit in the user's scope)."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today

from ..models import CardColor, ToleranceRuling
from ..services import conduct
from ..services.standing import BLOCK_LABEL, card_counts, standing


def _url(name, *args) -> str:
    """The URL of a page another part of the module adds, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def standing_tab_context(user, cadre) -> dict:
    """Today's standing of ``cadre``: the cards, sanctions, awards, rulings and clarifications in
    it, and every block (or its absence), waiver and priority in words."""
    day = today()
    st = standing([cadre.pk], on=day)[cadre.pk]
    blocks = [{"key": b, "label": BLOCK_LABEL[b], "facts": st.blocks.get(b, [])} for b in conduct.BLOCKS]
    for c in st.cards:
        c.detail_url = _url("assessment:card_detail", c.pk)
    for r in st.rulings:
        r.detail_url = _url("assessment:ruling_detail", r.pk)
    for a in st.awards:
        a.detail_url = _url("assessment:award_detail", a.pk)
    for s in st.sanctions:
        s.detail_url = _url("assessment:sanction_detail", s.pk)
    for c in st.clarifications:
        c.detail_url = _url("assessment:clarification_detail", c.pk)
    return {"standing": st, "standing_day": day, "standing_blocks": blocks,
            "standing_blocked": any(b["facts"] for b in blocks), "standing_actions": _actions(user, cadre)}


def _actions(user, cadre) -> list[dict]:
    """What the user may start about ``cadre`` from here (each page re-checks through its service):
    org staff record cards, reminders, sanctions, clarifications and awards of a cadre in office;
    whoever may apply for tolerance for the cadre (org staff, the cadre's unit leader) applies."""
    out = []

    def add(label, name, icon):
        url = _url(name)
        if url:
            out.append({"label": label, "url": f"{url}?cadre={cadre.pk}", "icon": icon})

    if cadre.status == CadreStatus.ACTIVE and gate.can(user, "discipline"):
        add(_("拟发红黄牌"), "assessment:card_create", "bi-file-earmark-break")
        add(_("登记担当提醒"), "assessment:reminder_create", "bi-chat-left-dots")
        add(_("登记处分"), "assessment:sanction_create", "bi-exclamation-octagon")
        add(_("登记表彰"), "assessment:award_create", "bi-award")
    if gate.can(user, "discipline"):
        add(_("澄清正名"), "assessment:clarification_create", "bi-patch-check")
    if gate.allows(user, "change", ToleranceRuling(cadre=cadre)):
        add(_("申请容错"), "assessment:ruling_create", "bi-shield-check")
    return out


def unit_cards_context(user, unit) -> dict:
    """The cards in force today for the cadres of ``unit``'s subtree that the user sees, by colour
    (one query)."""
    counts = card_counts(Cadre.objects.restrict(user).filter(unit__path__startswith=unit.path), on=today())
    list_url = _url("assessment:card_list")
    rows = [{"color": value, "label": label, "n": counts.get(value, 0),
             "url": f"{list_url}?unit={unit.pk}&color={value}&in_force=true" if list_url else ""}
            for value, label in CardColor.choices]
    return {"unit_cards": rows, "unit_cards_total": sum(counts.values()),
            "unit_cards_note": _("本单位及下级单位干部当前有效的红黄牌（不含拟发、已撤销、已到期、已解除和已澄清的）。")}
