"""The 奖惩情况 text of the 任免审批表 (``Cadre.rewards_sanctions``) for demo cadres with awards or
sanctions: a ``registry.demo_steps`` step of its own after the conduct demo (``assessment.hooks``),
so a city seeded before it gets the text once. Only empty texts are filled; revoked awards and
sanctions are left out. Written in bulk with the cadres' audit history."""
from django.db.models import Exists, OuterRef, Q

from cadres.models import Cadre
from pingdingshan.core.audit import bulk_update_audited

from ..models import Award, Sanction

VERBS = {"嘉奖", "记功", "记二等功", "记三等功", "记一等功"}  # "被…嘉奖"; other kinds are titles: "被…评为“…”"


def _waiting():
    awards = Award.objects.filter(cadre=OuterRef("pk"), revoked_on__isnull=True)
    sanctions = Sanction.objects.filter(cadre=OuterRef("pk"), revoked_on__isnull=True)
    return Cadre.objects.filter(rewards_sanctions="").filter(Q(Exists(awards)) | Q(Exists(sanctions)))


def present() -> bool:
    return not _waiting().exists()


def _month(day) -> str:
    return f"{day.year}年{day.month}月"


def text_of(awards, sanctions) -> str:
    lines = []
    for a in awards:
        doc = f"（{a.document_no}）" if a.document_no else ""
        what = a.kind.name if a.kind.name in VERBS else f"评为“{a.kind.name}”"
        lines.append((a.awarded_on, f"{_month(a.awarded_on)}被{a.issuing_body}{what}{doc}"))
    for s in sanctions:
        doc = f"（{s.document_no}）" if s.document_no else ""
        lines.append((s.decided_on, f"{_month(s.decided_on)}受{s.get_kind_display()}处分{doc}"))
    return "；".join(line for _day, line in sorted(lines, key=lambda x: x[0])) + "。"


def build(*, by) -> int:
    """Fill the empty 奖惩情况 of cadres with awards or sanctions; returns the cadres written."""
    cadres = list(_waiting())  # whole rows: the history rows copy every field
    if not cadres:
        return 0
    ids = [c.pk for c in cadres]
    awards, sanctions = {}, {}
    for a in Award.objects.filter(cadre_id__in=ids, revoked_on__isnull=True).select_related("kind"):
        awards.setdefault(a.cadre_id, []).append(a)
    for s in Sanction.objects.filter(cadre_id__in=ids, revoked_on__isnull=True):
        sanctions.setdefault(s.cadre_id, []).append(s)
    for c in cadres:
        c.rewards_sanctions = text_of(awards.get(c.pk, []), sanctions.get(c.pk, []))
    bulk_update_audited(Cadre, cadres, ["rewards_sanctions"], by=by)
    return len(cadres)
