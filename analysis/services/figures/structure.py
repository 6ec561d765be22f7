"""干部队伍结构 (cadre structure): the active cadres the user sees, on the period's end (today if
open), by unit kind and by county (县（市、区）; units outside a county: 市直及其他).

WHO COUNTS: ``cadres.selectors.cadre_list(user=...)`` (the gate: unit leaders their subtree, org
staff and auditors all), status 在职, in the chosen subtree.
FIGURES, each a conditional COUNT of one GROUP BY the cadre's unit (one scan of the cadres, no join to
the units), folded in Python by the unit's kind and by its county (one query for the units' kinds and
paths, one for the county names):
- age bands (``analysis.services.teams.AGE_BANDS``, age as ``Cadre.age_on``: whole years on the day);
- women (``Gender.FEMALE``); ethnic minorities (民族 other than 汉族);
- education (``highest_education``: 研究生, 大学本科, 大学专科及以下);
- Party members (``Cadre.is_party_member``: 中共党员 and 预备党员);
- 优秀年轻干部: cadres carrying the tag of that name (the roster's own marker, the one the reserve
  pools' criteria read), and their share of the row's cadres.
"""
from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.services.teams import AGE_BANDS
from cadres.models import Cadre, CadreStatus, EducationLevel, Gender, PoliticalStatus, Unit, UnitKind
from cadres.selectors import cadre_list

from . import common as c
from .base import Chart, Figures, Table, page

YOUNG_TAG = "优秀年轻干部"
PARTY = (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)  # Cadre.is_party_member


def _years_before(day, years):
    return day - relativedelta(years=years)


def _measures(day):
    """(label, Q) of every counted column, in order."""
    out = []
    for lo, hi, label in AGE_BANDS:
        # age_on(day) >= lo  <=>  born on or before day - lo years; < hi  <=>  born after day - hi years
        out.append((label, Q(birth_date__lte=_years_before(day, lo), birth_date__gt=_years_before(day, hi))))
    out += [
        (_("女"), Q(gender=Gender.FEMALE)),
        (_("少数民族"), ~Q(ethnicity="汉族")),
        (_("研究生"), Q(highest_education=EducationLevel.POSTGRADUATE)),
        (_("大学本科"), Q(highest_education=EducationLevel.BACHELOR)),
        (_("大学专科及以下"), Q(highest_education__lt=EducationLevel.BACHELOR)),
        (_("中共党员"), Q(political_status__in=PARTY)),
        (_("优秀年轻干部"), Q(young=True)),
    ]
    return out


def _rows(qs, key, day):
    measures = _measures(day)
    ann = {f"m{i}": Count("id", filter=q) for i, (_l, q) in enumerate(measures)}
    rows = qs.values(k=c.expr(key)).annotate(n=Count("id"), **ann).order_by("k")
    return [(r["k"], r["n"], [r[f"m{i}"] for i in range(len(measures))]) for r in rows], measures


def _table_rows(grouped, label_of):
    rows = []
    for k, n, values in grouped:
        rows.append([label_of(k), n, *values, c.share(values[-1], n)])
    return rows


def _merge(grouped, fold):
    """Fold the keys of grouped rows (the county table: every non-county unit in one row)."""
    out: dict = {}
    for k, n, values in grouped:
        k = fold(k)
        if k in out:
            out[k][0] += n
            out[k][1] = [a + b for a, b in zip(out[k][1], values, strict=True)]
        else:
            out[k] = [n, list(values)]
    return [(k, n, v) for k, (n, v) in out.items()]


@page("structure", gettext_lazy("干部队伍结构"))
def build(user, params) -> Figures:
    day = c.on(params)
    young = Cadre.tags.through.objects.filter(cadre_id=OuterRef("pk"), tag__name=YOUNG_TAG)
    qs = c.within(cadre_list(user=user).filter(status=CadreStatus.ACTIVE), params, "unit__path")
    qs = qs.order_by().annotate(young=Exists(young))
    by_unit, measures = _rows(qs, "unit_id", day)  # one scan, no join; folded by kind and county below
    units = {pk: (kind, path) for pk, kind, path in
             Unit.objects.filter(pk__in=[k for k, _n, _v in by_unit if k is not None]).values_list("pk", "kind", "path")}
    by_kind = sorted(_merge(by_unit, lambda k: units.get(k, (None, ""))[0]), key=lambda r: (r[0] is None, r[0] or ""))
    by_area = _merge(by_unit, lambda k: units.get(k, (None, ""))[1][:2 * c.STEP] or None)
    names = c.counties(k for k, _n, _v in by_area)
    other = "~"
    by_area = _merge(by_area, lambda k: k if k in names else other)
    by_area.sort(key=lambda r: r[0])
    columns = [_("干部数"), *[str(m[0]) for m in measures], _("优秀年轻干部占比（%）")]
    kinds = dict(UnitKind.choices)
    kind_rows = _table_rows(by_kind, lambda k: str(kinds.get(k, k)))
    area_rows = _table_rows(by_area, lambda k: names.get(k, _("市直及其他")))
    total = c.total_row(kind_rows)
    if total:
        total[-1] = c.share(total[-2], total[1])
    bands = [str(b[2]) for b in AGE_BANDS]
    nb = len(bands)
    dist = [[band, total[2 + i] if total else 0] for i, band in enumerate(bands)]
    tables = [
        Table("by_kind", _("按单位类型"), [_("单位类型"), *columns], kind_rows + ([total] if total else []),
              total=bool(total),
              note=_("在职干部，年龄按%(day)s计算；优秀年轻干部：带“优秀年轻干部”标签的干部。") % {"day": day.isoformat()}),
        Table("by_county", _("按县（市、区）"), [_("县（市、区）"), *columns], area_rows,
              note=_("不属于任何县（市、区）的单位计入“市直及其他”。")),
        Table("ages", _("年龄结构"), [_("年龄段"), _("干部数")], dist),
    ]
    first = 2  # the columns of by_kind / by_county: label, 干部数, then the measures
    charts = [
        Chart("ages_pie", _("年龄结构"), "pie", "ages"),
        Chart("kind_ages", _("各类单位年龄结构"), "stacked", "by_kind", list(range(first, first + nb))),
        Chart("kind_mix", _("各类单位女干部、少数民族、党员、优秀年轻干部"), "bar", "by_kind",
              [first + nb, first + nb + 1, first + nb + 5, first + nb + 6]),
        Chart("county_edu", _("各县（市、区）学历结构"), "stacked", "by_county",
              [first + nb + 2, first + nb + 3, first + nb + 4]),
    ]
    return Figures("structure", str(_("干部队伍结构")), tables, charts, c.period_label(params))
