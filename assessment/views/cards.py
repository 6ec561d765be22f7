"""Pages of warning cards (红黄牌) and organisational adjustments (组织调整): the reason categories,
the card list and its export, the card form, the card page with its steps, evidence, history and
one button (with its reason form) per allowed action, the adjustment list and the record form.

Views parse input, call one service of ``assessment/services/cards.py`` and render; the buttons
come from ``card_allowed_actions`` (the services' table), and the services decide for real: a
refusal is shown as a message (or next to the fields) and changes nothing. Unit leaders see the
issued cards of their units (never a 拟发 one) and may appeal; every other step is org staff's
(gate action ``discipline``); auditors read.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import ListPage, requires

from ..filters_cards import AdjustmentFilter, CardFilter
from ..forms_cards import STEP_FORMS, AdjustmentForm, CardForm, CardReasonForm, EvidenceForm
from ..models import Adjustment, AdjustmentStatus, CardEvidence, CardReason, CardStatus, Subject, WarningCard
from ..services import cards as svc
from ..services import conduct
from ..services.standing import standing

CARDS_WHAT = "红黄牌"
ADJUSTMENTS_WHAT = "组织调整"
STATUS_BADGES = {
    CardStatus.PROPOSED: "secondary", CardStatus.ISSUED: "danger", CardStatus.APPEALED: "warning",
    CardStatus.UPHELD: "danger", CardStatus.REVOKED: "light", CardStatus.EXPIRED: "dark",
    CardStatus.LIFTED: "info",
}
ADJUSTMENT_BADGES = {AdjustmentStatus.PENDING: "warning", AdjustmentStatus.DONE: "success",
                     AdjustmentStatus.CANCELLED: "light"}
CARD_COLUMNS = [
    (gettext_lazy("颜色"), "color"),
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("时任单位"), "unit"),
    (gettext_lazy("事由类别"), "reason"),
    (gettext_lazy("发牌日期"), "start"),
    (gettext_lazy("期满日期"), "end"),
    (gettext_lazy("状态"), "status"),
]
ADJUSTMENT_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("红牌"), None),
    (gettext_lazy("应调整日期"), "due"),
    (gettext_lazy("调整方式"), None),
    (gettext_lazy("调整日期"), "decided"),
    (gettext_lazy("状态"), "status"),
]
ACTION_STYLE = {"issue": ("btn-danger", "bi-send"), "appeal": ("btn-outline-warning", "bi-megaphone"),
                "uphold": ("btn-outline-danger", "bi-hammer"), "revoke": ("btn-outline-secondary", "bi-x-circle"),
                "lift": ("btn-outline-success", "bi-unlock")}


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


# --------------------------------------------------------------------------- selectors
def card_rows(user):
    """The cards the user sees (unit leaders: issued ones of their units), with what lists show."""
    return WarningCard.objects.restrict(user, "view").select_related("cadre", "unit", "reason")


def card_get(user, pk) -> WarningCard:
    return gate.get_or_404(WarningCard.objects.select_related("cadre", "cadre__unit", "unit", "reason", "created_by",
                                                              "proposal"), user, "view", pk=pk)


def adjustment_rows(user):
    return (Adjustment.objects.restrict(user, "view")
            .select_related("cadre", "cadre__unit", "card", "card__reason", "card__unit"))


def adjustment_get(user, pk) -> Adjustment:
    return gate.get_or_404(Adjustment.objects.select_related(
        "cadre", "cadre__unit", "card", "card__reason", "card__unit", "recorded_by", "ended_appointment__post__unit",
        "new_appointment__post__unit"), user, "view", pk=pk)


def _detail(card):
    return redirect("assessment:card_detail", pk=card.pk)


def _labelled(steps, actions, statuses):
    """The steps with their action and statuses in words (for ``_steps.html``)."""
    statuses = dict(statuses)
    for s in steps:
        s.action_label = actions.get(s.action, s.action)
        s.from_status_label = statuses.get(s.from_status, s.from_status)
        s.to_status_label = statuses.get(s.to_status, s.to_status)
    return steps


# --------------------------------------------------------------------------- reasons
REASON_COLUMNS = [gettext_lazy("排序"), gettext_lazy("名称"), gettext_lazy("黄牌期限（月）"),
                  gettext_lazy("红牌期限（月）"), gettext_lazy("启用")]


@requires("view")
def card_reason_list(request):
    from pingdingshan.core.pages import sort_headers

    can_edit = gate.can(request.user, "discipline")
    reasons = list(CardReason.objects.restrict(request.user))
    headers = sort_headers(request, [(label, None) for label in REASON_COLUMNS] + ([("", None)] if can_edit else []))
    return render(request, "assessment/cards/reason_list.html", {
        "reasons": reasons, "can_edit": can_edit, "headers": headers})


def _reason_form_page(request, reason):
    form = CardReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.card_reason_save(by=request.user, reason=reason, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已保存红黄牌事由“%(n)s”。") % {"n": saved.name})
            return redirect("assessment:card_reason_list")
    return render(request, "assessment/cards/reason_form.html", {"form": form, "object": reason})


@requires("discipline")
def card_reason_create(request):
    return _reason_form_page(request, None)


@requires("discipline")
def card_reason_edit(request, pk):
    return _reason_form_page(request, gate.get_or_404(CardReason, request.user, "view", pk=pk))


# --------------------------------------------------------------------------- list and export
def card_page(request) -> ListPage:
    return ListPage(request, CardFilter, card_rows(request.user), columns=CARD_COLUMNS, skip=("ordering", "cadre"),
                    placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})


@requires("view")
def card_list(request):
    lp = card_page(request)
    page = lp.paginate()
    return render(request, "assessment/cards/card_list.html", lp.context(
        page, cards=page.object_list, status_badges=STATUS_BADGES, filter_cadre=lp.cleaned("cadre"),
        can_create=gate.can(request.user, "discipline")))


def card_export_columns() -> list[Column]:
    color = dict(WarningCard._meta.get_field("color").choices)
    status = dict(CardStatus.choices)
    return [
        Column(_("颜色"), lambda c: str(color.get(c.color, c.color)), 6),
        Column(_("干部"), lambda c: c.cadre.name, 10),
        Column(_("身份证号码"), lambda c: c.cadre.id_number, 20),
        Column(_("时任单位"), lambda c: c.unit.name, 24),
        Column(_("事由类别"), lambda c: c.reason.name, 14),
        Column(_("主要事实"), lambda c: c.facts, 50),
        Column(_("依据"), lambda c: c.basis, 30),
        Column(_("发牌机关"), lambda c: c.issuing_body, 20),
        Column(_("发牌日期"), lambda c: c.start_date, 12),
        Column(_("期满日期"), lambda c: c.end_date, 12),
        Column(_("状态"), lambda c: str(status.get(c.status, c.status)), 8),
        Column(_("解除日期"), lambda c: c.lifted_on, 12),
        Column(_("申诉理由"), lambda c: c.appeal_text, 30),
        Column(_("编号"), lambda c: c.pk, 8),
    ]


@requires("export")
def card_export(request):
    return card_page(request).export(columns=card_export_columns(), what=CARDS_WHAT, filename=_("红黄牌"),
                                     list_url=reverse("assessment:card_list"))


# --------------------------------------------------------------------------- create / edit
def _card_form(request, *, card=None, preset=None):
    return CardForm(request.POST or None, request.FILES or None, user=request.user, card=card, cadre=preset,
                    search_url=reverse("cadres:record_cadre_search"))


def _save_card(request, form, card=None):
    """The card and its files in one transaction (a refused file leaves nothing saved)."""
    from django.db import transaction

    stored = []
    try:
        with transaction.atomic():
            data = form.service_data()
            if card is None:
                card = svc.card_create(by=request.user, **data)
            else:
                if data.get("end_date") is None:
                    data.pop("end_date")  # left empty: the default term follows the other fields
                card = svc.card_update(by=request.user, card=card, **data)
            for upload in form.cleaned_data.get("files") or ():
                stored.append(svc.card_evidence_add(by=request.user, card=card, upload=upload))
        return card
    except ValidationError as e:
        for ev in stored:
            ev.file.storage.delete(ev.file.name)
        form.apply_errors(e)
    except (PermissionDenied, Http404) as e:
        form.add_error(None, _errors(e))
    return None


@requires("discipline")
def card_create(request):
    preset = None
    if cadre_id := parse_id(request.GET.get("cadre")):
        preset = Cadre.objects.restrict(request.user, "view").filter(pk=cadre_id).first()
    form = _card_form(request, preset=preset)
    if request.method == "POST" and form.is_valid():
        card = _save_card(request, form)
        if card is not None:
            messages.success(request, _("已拟发红黄牌，发放前可修改。"))
            return _detail(card)
    return render(request, "assessment/cards/card_form.html", {"form": form, "card": None})


@requires("discipline")
def card_edit(request, pk):
    card = card_get(request.user, pk)
    if "edit" not in svc.card_allowed_actions(card, request.user):
        messages.error(request, _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": card.get_status_display(), "action": svc.CARD_ACTION_LABELS["edit"]})
        return _detail(card)
    form = _card_form(request, card=card)
    if request.method == "POST" and form.is_valid():
        saved = _save_card(request, form, card)
        if saved is not None:
            messages.success(request, _("已保存。"))
            return _detail(saved)
    return render(request, "assessment/cards/card_form.html", {"form": form, "card": card})


# --------------------------------------------------------------------------- detail
def _detail_page(request, card, *, forms=None, upload_form=None, status=200):
    allowed = svc.card_allowed_actions(card, request.user)
    forms = forms or {}
    buttons = []
    for action in svc.BUTTON_ACTIONS:
        if action in allowed:
            style, icon = ACTION_STYLE[action]
            buttons.append({"action": action, "label": svc.CARD_ACTION_LABELS[action], "style": style, "icon": icon,
                            "url": reverse(f"assessment:card_{action}", args=[card.pk]),
                            "form": forms.get(action) or STEP_FORMS[action](prefix=action),
                            "open": action in forms})
    adjustment = Adjustment.objects.filter(card=card).first()
    context = {
        **_protection_links(request.user, card),
        "card": card,
        "steps": _labelled(conduct.steps_of(Subject.CARD, card), svc.CARD_ACTION_LABELS, CardStatus.choices),
        "evidence_list": list(card.evidence.select_related("uploaded_by")),
        "buttons": buttons,
        "can_edit": "edit" in allowed,
        "can_upload": "upload" in allowed,
        "can_delete_evidence": card.status == CardStatus.PROPOSED and gate.can(request.user, "discipline"),
        "upload_form": upload_form or EvidenceForm(),
        "adjustment": adjustment if adjustment is not None and gate.allows(request.user, "view", adjustment) else None,
        "status_badges": STATUS_BADGES,
        "in_force": any(c.pk == card.pk for c in standing(  # as standing says, not from the status alone
            [card.cadre_id])[card.cadre_id].cards),
    }
    return render(request, "assessment/cards/card_detail.html", context, status=status)


def _protection_links(user, card) -> dict:
    """What the card page links to beyond the card: the proposal it came from, the rulings and
    clarifications naming it (those the user sees), and the 申请容错 / 澄清正名 buttons with their
    presets, shown only to who may use them (``protection.may_apply_for`` / ``may_clarify``)."""
    from ..models import Clarification, ToleranceRuling
    from ..services import protection

    proposal = card.proposal if card.proposal_id and gate.allows(user, "view", card.proposal) else None
    query = f"?card={card.pk}&cadre={card.cadre_id}"
    return {
        "proposal": proposal,
        "rulings": list(ToleranceRuling.objects.restrict(user, "view").filter(card=card).order_by("-applied_at")),
        "clarifications": list(Clarification.objects.restrict(user, "view").filter(card=card).order_by("-cleared_on")),
        "ruling_url": (reverse("assessment:ruling_create") + query
                       if protection.may_apply_for(user, cadre=card.cadre, card=card) else ""),
        "clarification_url": (reverse("assessment:clarification_create") + query
                              if protection.may_clarify(user, card) else ""),
    }


@requires("view")
def card_detail(request, pk):
    return _detail_page(request, card_get(request.user, pk))


def _step(request, pk, action):
    card = card_get(request.user, pk)
    form = STEP_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _detail_page(request, card, forms={action: form})
    data = form.cleaned_data
    try:
        if action == "appeal":
            svc.card_appeal(by=request.user, card=card, grounds=data["grounds"])
        elif action == "lift":
            svc.card_lift(by=request.user, card=card, reason=data["reason"], on=data.get("lifted_on"))
        else:
            getattr(svc, f"card_{action}")(by=request.user, card=card, reason=data["reason"])
    except ValidationError as e:
        if hasattr(e, "error_dict") and set(e.error_dict) & set(form.fields):
            form.apply_errors(e)
            return _detail_page(request, card, forms={action: form})
        messages.error(request, _errors(e))
        return _detail(card)
    except PermissionDenied as e:
        messages.error(request, _errors(e))
        return _detail(card)
    done = {"issue": _("已发放。"), "appeal": _("已提交申诉，等待组织部复核。"), "uphold": _("已维持原红黄牌。"),
            "revoke": _("已撤销。"), "lift": _("已提前解除。")}[action]
    messages.success(request, done)
    return _detail(card)


@requires("discipline", post_only=True)
def card_issue(request, pk):
    return _step(request, pk, "issue")


@requires("appeal", post_only=True)
def card_appeal(request, pk):
    return _step(request, pk, "appeal")


@requires("discipline", post_only=True)
def card_uphold(request, pk):
    return _step(request, pk, "uphold")


@requires("discipline", post_only=True)
def card_revoke(request, pk):
    return _step(request, pk, "revoke")


@requires("discipline", post_only=True)
def card_lift(request, pk):
    return _step(request, pk, "lift")


# --------------------------------------------------------------------------- evidence
def _evidence(request, pk):
    return gate.get_or_404(CardEvidence.objects.select_related("card"), request.user, "view", pk=pk)


@requires("discipline", post_only=True)
def card_evidence_upload(request, pk):
    from django.db import transaction

    card = card_get(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        stored = []
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["files"]:
                    stored.append(svc.card_evidence_add(by=request.user, card=card, upload=upload))
        except ValidationError as e:
            for ev in stored:
                ev.file.storage.delete(ev.file.name)
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return _detail(card)
            form.apply_errors(e)
        except PermissionDenied as e:
            messages.error(request, _errors(e))
            return _detail(card)
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": len(stored)})
            return _detail(card)
    return _detail_page(request, card, upload_form=form)


@requires("discipline", post_only=True)
def card_evidence_delete(request, pk):
    evidence = _evidence(request, pk)
    try:
        svc.card_evidence_delete(by=request.user, evidence=evidence)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已删除文件“%(n)s”。") % {"n": evidence.original_name})
    return redirect("assessment:card_detail", pk=evidence.card_id)


@requires("view")
def card_evidence_download(request, pk):
    evidence = _evidence(request, pk)
    return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@requires("view")
@xframe_options_sameorigin
def card_evidence_preview(request, pk):
    evidence = _evidence(request, pk)
    if not evidence.previewable:
        raise Http404(_("该文件不能在线预览，请下载查看。"))
    return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type,
                      attachment=False)


# --------------------------------------------------------------------------- adjustments
def adjustment_page(request) -> ListPage:
    return ListPage(request, AdjustmentFilter, adjustment_rows(request.user), columns=ADJUSTMENT_COLUMNS,
                    placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})


@requires("view")
def adjustment_list(request):
    lp = adjustment_page(request)
    page = lp.paginate()
    overdue = svc.adjustments_overdue(user=request.user).count()
    return render(request, "assessment/cards/adjustment_list.html", lp.context(
        page, adjustments=page.object_list, badges=ADJUSTMENT_BADGES, today=today(), overdue_count=overdue))


def adjustment_export_columns() -> list[Column]:
    status = dict(AdjustmentStatus.choices)
    kinds = dict(Adjustment._meta.get_field("kind").choices)
    return [
        Column(_("干部"), lambda a: a.cadre.name, 10),
        Column(_("身份证号码"), lambda a: a.cadre.id_number, 20),
        Column(_("单位"), lambda a: a.card.unit.name, 24),
        Column(_("红牌发牌日期"), lambda a: a.card.start_date, 12),
        Column(_("事由类别"), lambda a: a.card.reason.name, 14),
        Column(_("应调整日期"), lambda a: a.due_date, 12),
        Column(_("状态"), lambda a: str(status.get(a.status, a.status)), 8),
        Column(_("调整方式"), lambda a: str(kinds.get(a.kind, a.kind)) if a.kind else "", 12),
        Column(_("调整日期"), lambda a: a.decided_on, 12),
        Column(_("文号"), lambda a: a.document_no, 16),
        Column(_("说明"), lambda a: a.note, 30),
        Column(_("编号"), lambda a: a.pk, 8),
    ]


@requires("export")
def adjustment_export(request):
    return adjustment_page(request).export(columns=adjustment_export_columns(), what=ADJUSTMENTS_WHAT,
                                           filename=_("组织调整"), list_url=reverse("assessment:adjustment_list"))


def _adjustment_page(request, adjustment, form=None, status=200):
    allowed = svc.adjustment_allowed_actions(adjustment, request.user)
    if form is None and "record" in allowed:
        form = AdjustmentForm(adjustment=adjustment, user=request.user, initial={"decided_on": today()})
    return render(request, "assessment/cards/adjustment_detail.html", {
        "adjustment": adjustment, "card": adjustment.card, "form": form if "record" in allowed else None,
        "steps": _labelled(conduct.steps_of(Subject.ADJUSTMENT, adjustment), svc.ADJUSTMENT_ACTION_LABELS,
                           AdjustmentStatus.choices), "badges": ADJUSTMENT_BADGES,
        "overdue": adjustment.status == AdjustmentStatus.PENDING and adjustment.due_date < today(),
        "card_visible": gate.allows(request.user, "view", adjustment.card),
    }, status=status)


@requires("view")
def adjustment_detail(request, pk):
    return _adjustment_page(request, adjustment_get(request.user, pk))


@requires("discipline")
def adjustment_record(request, pk):
    adjustment = adjustment_get(request.user, pk)
    if "record" not in svc.adjustment_allowed_actions(adjustment, request.user):
        messages.error(request, _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": adjustment.get_status_display(), "action": svc.ADJUSTMENT_ACTION_LABELS["record"]})
        return redirect("assessment:adjustment_detail", pk=adjustment.pk)
    form = AdjustmentForm(request.POST or None, adjustment=adjustment, user=request.user,
                          initial={"decided_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            svc.adjustment_record(by=request.user, adjustment=adjustment, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已登记组织调整。"))
            return redirect("assessment:adjustment_detail", pk=adjustment.pk)
    return _adjustment_page(request, adjustment, form)

