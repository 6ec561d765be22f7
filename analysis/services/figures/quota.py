"""职数 (post quotas): places, holders, vacancies and posts over their quota, by unit and by post level,
on the period's end (today if open).

WHO COUNTS: ``cadres.selectors.posts_with_usage`` over ``Post.objects.restrict(user)`` (the gate: a
unit leader's subtree; org staff and auditors all), the post's unit in the chosen subtree. Each
post: places = ``post_limit`` (its quota; 1 for a chief post), 在任 = appointments in force on the
day, 空缺 = places − 在任 when positive — rule 1 of ``promotion.services.vacancies`` (有空缺), the
count the vacancy list uses —, 超职数 = 在任 − places when positive. One query returns every post's
(unit path, level, places, holders); the sums are taken over those rows (14,400 posts for 100,000
cadres in ``bench/vacancy.py``), then one query for the unit names.
职级职数 (rank quotas): ``RankQuota.objects.restrict(user)`` (a quota per unit × rank) in the chosen
subtree, each against ``cadres.selectors.rank_usage_by_unit`` — the active cadres of the unit holding
the rank now (``current_rank``), the count the unit page and the quota form use (``rank_usage``) —
summed by rank over the units with a quota for it: 单位数, 职数, 在用, 空余 (职数 − 在用 when positive,
per unit), 超职数 (在用 − 职数 when positive, per unit). Ranks are "now": the period does not change them. Two queries (the
quotas with their ranks, the usage of their units).
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Post, PostLevel, RankQuota
from cadres.selectors import posts_with_usage, rank_usage_by_unit

from . import common as c
from .base import Chart, Figures, Table, page


def _add(acc, key, limit, used):
    a = acc.setdefault(key, [0, 0, 0, 0, 0])
    a[0] += 1
    a[1] += limit
    a[2] += used
    a[3] += max(limit - used, 0)
    a[4] += max(used - limit, 0)


@page("quota", gettext_lazy("职数使用与空缺"))
def build(user, params) -> Figures:
    day = c.on(params)
    posts = c.within(Post.objects.restrict(user).order_by(), params, "unit__path")
    length = (c.root_depth(user, params) + 1) * c.STEP
    by_unit, by_level = {}, {}
    for path, level, limit, used in (posts_with_usage(user=user, posts=posts, on=day)
                                     .values_list("unit__path", "level", "limit", "used").iterator(chunk_size=5000)):
        _add(by_unit, path[:length], limit, used)
        _add(by_level, level, limit, used)
    names = c.unit_names(by_unit)
    cols = [_("职务数"), _("职数"), _("在任"), _("空缺"), _("超职数"), _("职数使用率（%）")]

    def rows(acc, label_of, order):
        return [[label_of(k), *v, c.share(v[2] - v[4], v[1])] for k, v in sorted(acc.items(), key=order)]

    unit_rows = rows(by_unit, lambda k: names.get(k, k), lambda kv: kv[0])
    level_rows = rows(by_level, lambda k: str(PostLevel(k).label), lambda kv: -kv[0])
    total = c.total_row(level_rows)
    if total:
        total[-1] = c.share(total[3] - total[5], total[2])
    note = _("%(day)s的在任人数；正职职数为1；空缺即职位空缺清单的“有空缺”。") % {"day": day.isoformat()}
    tables = [
        Table("by_unit", _("按单位"), [_("单位"), *cols], unit_rows, note=note),
        Table("by_level", _("按职务层次"), [_("职务层次"), *cols], level_rows + ([total] if total else []),
              total=bool(total)),
    ]
    quotas = list(c.within(RankQuota.objects.restrict(user), params, "unit__path").order_by()
                  .values_list("unit_id", "rank_id", "rank__order", "rank__name", "quota"))
    usage = rank_usage_by_unit(units={q[0] for q in quotas})
    by_rank: dict = {}
    for unit_id, rank_id, order, name, quota in quotas:
        used = usage.get(unit_id, {}).get(rank_id, 0)
        a = by_rank.setdefault((order, name), [0, 0, 0, 0, 0])
        a[0] += 1
        a[1] += quota
        a[2] += used
        a[3] += max(quota - used, 0)
        a[4] += max(used - quota, 0)
    rank_rows = [[name, *v, c.share(v[2] - v[4], v[1])] for (_o, name), v in sorted(by_rank.items())]
    rank_total = c.total_row(rank_rows)
    if rank_total:
        rank_total[-1] = c.share(rank_total[3] - rank_total[5], rank_total[2])
    tables.append(Table(
        "by_rank", _("职级职数"), [_("职级"), _("单位数"), _("职数"), _("在用"), _("空余"), _("超职数"), _("职数使用率（%）")],
        rank_rows + ([rank_total] if rank_total else []), total=bool(rank_total),
        note=_("现有职级职数：在用为该单位现任该职级的在职干部（不随所选期间变化）；单位数为核定该职级职数的单位。")))
    charts = [
        Chart("unit", _("各单位职数使用"), "stacked", "by_unit", [3, 4]),
        Chart("level", _("各职务层次职数与空缺"), "bar", "by_level", [2, 3, 4, 5]),
        Chart("vacant", _("空缺职数分布"), "pie", "by_level", [4]),
        Chart("rank", _("各职级职数与在用"), "bar", "by_rank", [2, 3]),
    ]
    return Figures("quota", str(_("职数使用与空缺")), tables, charts, c.period_label(params))
