"""Which tier and category a cadre is assessed in (分层分类): the one function that decides.

- Tier: the first active tier (by order) whose post class matches the cadre's current post
  (正职: a chief post or a 党政正职 post; 中层干部: a 中层正职/副职 post; 副职: any other post) and
  whose unit kinds include the kind of the post's unit (an empty list takes any unit). A cadre
  without a current post has no tier.
- Category: an explicit ``UnitCategory`` on the post's unit or its nearest ancestor; else the
  first active category (by order) listing the unit's kind, then its parent's kind, and so on up.

Set-based: ``classify_cadres`` loads tiers, categories, assignments and the units involved once
and decides for any number of cadres without a query per cadre.
"""
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, PostKind, Unit

from ..models import MIDDLE_POST_KINDS, Category, PostClass, Tier, UnitCategory


class SkipReason(models.TextChoices):
    """Why a cadre is not enrolled: a code, stored and returned as such; its label is shown."""

    NO_POST = "no_post", _("无现任职务")
    NO_TIER = "no_tier", _("现任职务不属于任何考核层级")
    NO_CATEGORY = "no_category", _("所在单位未归入任何考核类别")
    NO_SCHEME = "no_scheme", _("其层级和类别没有适用的指标体系")


def skip_reason_text(code: str) -> str:
    """The sentence for a skip reason code (the code itself if unknown)."""
    return str(SkipReason(code).label) if code in SkipReason.values else code


@dataclass(frozen=True)
class Placement:
    tier_id: int | None
    category_id: int | None
    unit_id: int
    post_id: int | None
    reason: str = ""  # why a cadre has no tier or category: a ``SkipReason`` code


def post_class(post_kind: str, is_chief: bool) -> str:
    if post_kind in MIDDLE_POST_KINDS:
        return PostClass.MIDDLE
    if is_chief or post_kind == PostKind.PARTY_GOV_CHIEF:
        return PostClass.CHIEF
    return PostClass.DEPUTY


class Classifier:
    """Holds the reference data; ``place()`` decides for one cadre without queries."""

    def __init__(self):
        self.tiers = [(t.pk, t.post_class, set(t.unit_kinds or ())) for t in Tier.objects.filter(is_active=True)]
        self.categories = [(c.pk, set(c.unit_kinds or ())) for c in Category.objects.filter(is_active=True)]
        self.explicit = {path: cid for path, cid in UnitCategory.objects.filter(category__is_active=True)
                         .values_list("unit__path", "category_id")}
        self.units: dict[int, tuple[str, str]] = {}  # id -> (path, kind)
        self.kind_by_path: dict[str, str] = {}

    def load_units(self, unit_ids):
        """Load the units (and their ancestors) the cadres sit in."""
        missing = set(unit_ids) - set(self.units)
        if not missing:
            return
        rows = list(Unit.objects.filter(pk__in=missing).values_list("id", "path", "kind"))
        prefixes = set()
        for uid, path, kind in rows:
            self.units[uid] = (path, kind)
            self.kind_by_path[path] = kind
            prefixes.update(path[:i] for i in range(Unit.steplen, len(path), Unit.steplen))
        prefixes -= set(self.kind_by_path)
        if prefixes:
            self.kind_by_path.update(Unit.objects.filter(path__in=prefixes).values_list("path", "kind"))

    def tier_for(self, unit_kind: str, klass: str) -> int | None:
        for tid, tclass, kinds in self.tiers:
            if tclass not in (klass, PostClass.ANY):
                continue
            if not kinds or unit_kind in kinds:
                return tid
        return None

    def category_for(self, path: str) -> int | None:
        chain = [path[:i] for i in range(len(path), 0, -Unit.steplen)]  # the unit, then up the tree
        for p in chain:
            if p in self.explicit:
                return self.explicit[p]
        for p in chain:
            kind = self.kind_by_path.get(p)
            for cid, kinds in self.categories:
                if kind in kinds:
                    return cid
        return None

    def place(self, *, unit_id: int, post_id: int | None, post_unit_id: int | None, post_kind: str | None,
              is_chief: bool) -> Placement:
        if post_id is None:
            return Placement(None, None, unit_id, None, SkipReason.NO_POST)
        where = post_unit_id or unit_id
        path, kind = self.units[where]
        tier = self.tier_for(kind, post_class(post_kind, is_chief))
        category = self.category_for(path)
        reason = ""
        if tier is None:
            reason = SkipReason.NO_TIER
        elif category is None:
            reason = SkipReason.NO_CATEGORY
        return Placement(tier, category, where, post_id, reason)


def classify_cadres(cadres) -> dict[int, Placement]:
    """{cadre id: Placement} for a queryset (or iterable of ids) of cadres; a few queries in all."""
    qs = cadres if hasattr(cadres, "values_list") else Cadre.objects.filter(pk__in=list(cadres))
    rows = list(qs.order_by().values_list("id", "unit_id", "current_post_id", "current_post__unit_id",
                                          "current_post__kind", "current_post__is_chief"))
    c = Classifier()
    c.load_units({r[1] for r in rows} | {r[3] for r in rows if r[3]})
    out = {}
    for cid, unit_id, post_id, post_unit, kind, chief in rows:
        out[cid] = c.place(unit_id=unit_id, post_id=post_id, post_unit_id=post_unit, post_kind=kind,
                           is_chief=bool(chief))
    return out


def classify_cadre(cadre) -> Placement:
    return classify_cadres([cadre.pk])[cadre.pk]
