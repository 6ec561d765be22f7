"""Grades within each (tier, category) group of a period: the one function that decides them.

Rules, in order:
1. No composite (not every indicator could be scored): no grade.
2. The veto indicator scored below its line (一票否决): 不称职, whatever the total.
3. By the period's thresholds: composite ≥ 优秀线 → 优秀 candidate; ≥ 称职线 → 称职;
   ≥ 基本称职线 → 基本称职; otherwise 不称职. Composites and thresholds are compared exactly, in
   hundredths (a composite of exactly 70.00 meets a line of 70).
4. A cadre barred from 优秀 (a card or a sanction in force on some day of the period, or a
   sanction given in its year: ``standing(..., during=(start, end)).blocked("excellent")``) who
   would be an 优秀 candidate is graded 称职 (note ``barred``) and takes no place within the cap.
5. 优秀 may not exceed ``excellent_share``% of the graded cadres of the group (rounded down).
   Candidates are taken in order of composite, then verified 实绩 points, then the 政治担当
   contribution, all highest first. Candidates still tied on all three at the last place
   within the cap are all graded 称职 (the cap is never exceeded, and no arbitrary order decides
   between equals). Candidates beyond the cap are graded 称职.

``grade_arrays`` applies the rules to a whole period at once (numpy arrays, one row per cadre,
any number of groups); ``grade_group`` is the same function for one group of ``Candidate``\\ s.
Both are pure: no database, no clock.
"""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import numpy as np
from django.utils.translation import gettext_lazy as _

from ..hundredths import to_h
from ..models import Grade

TIE_RULE = _("综合得分高者优先；同分时比较实绩分，再比较政治担当得分；三项均相同且超出优秀名额的，"
             "均不评为优秀（不突破比例）。")

# Note codes of a grade (translated only when shown, in ``selectors.note_sentence``).
NOTE_INCOMPLETE, NOTE_VETO, NOTE_CAP, NOTE_TIE = "incomplete", "veto", "cap", "tie"
NOTE_BARRED = "barred"


def excellent_cap(group_size: int, share) -> int:
    return int((Decimal(group_size) * Decimal(str(share)) / 100).to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class Candidate:
    id: int
    composite: float | None  # rounded to 2 decimals, as stored
    points: float
    political: float
    vetoed: bool
    barred: bool = False


@dataclass
class Graded:
    """Per row: ``grade`` ("" or a ``Grade`` value), ``note`` ("" or a note code) and ``cap`` (the
    row's group's 优秀 cap)."""
    grade: np.ndarray
    note: np.ndarray
    cap: np.ndarray


def grade_arrays(group, composite, points, political, vetoed, *, excellent_min, competent_min, basic_min,
                 share, barred=None) -> Graded:
    """Rules 1–5 for every row. ``group``: a group number per row (any integers); ``composite``:
    hundredths, or a masked array / negative-free array with ``None`` rows given as a mask via
    ``np.ma``; ``points`` and ``political``: hundredths; ``vetoed``: bool; ``barred``: bool, barred
    from 优秀 (default: nobody). Thresholds and ``share`` as numbers (Decimal or str)."""
    group = np.asarray(group, dtype=np.int64)
    n = len(group)
    has = ~np.ma.getmaskarray(composite) if np.ma.isMaskedArray(composite) else np.ones(n, bool)
    comp = np.ma.getdata(composite).astype(np.int64)
    points = np.asarray(points, dtype=np.int64)
    political = np.asarray(political, dtype=np.int64)
    vetoed = np.asarray(vetoed, dtype=bool)
    barred = np.zeros(n, bool) if barred is None else np.asarray(barred, dtype=bool)
    ex, co, ba = to_h(excellent_min), to_h(competent_min), to_h(basic_min)

    _u, g = np.unique(group, return_inverse=True)
    g = g.reshape(-1)
    graded_n = np.bincount(g, weights=has, minlength=len(_u)).astype(np.int64)
    cap_g = graded_n * to_h(share) // 10000  # rule 5: share % of the graded, rounded down
    cap = cap_g[g]

    grade = np.full(n, "", dtype="<U1")
    note = np.full(n, "", dtype="<U10")
    note[~has] = NOTE_INCOMPLETE  # rule 1
    veto = has & vetoed  # rule 2
    grade[veto] = Grade.INCOMPETENT.value
    note[veto] = NOTE_VETO
    rest = has & ~vetoed  # rule 3
    grade[rest & (comp < ba)] = Grade.INCOMPETENT.value
    grade[rest & (comp >= ba) & (comp < co)] = Grade.BASIC.value
    grade[rest & (comp >= co) & (comp < ex)] = Grade.COMPETENT.value
    above = rest & (comp >= ex)
    bar = above & barred  # rule 4: 称职, and no place within the cap
    grade[bar] = Grade.COMPETENT.value
    note[bar] = NOTE_BARRED
    cand = np.nonzero(above & ~barred)[0]

    # Rule 5: candidates by group, then composite, points, political, highest first.
    order = cand[np.lexsort((-political[cand], -points[cand], -comp[cand], g[cand]))]
    og = g[order]
    key = np.stack([comp[order], points[order], political[order]], axis=1)
    m = len(order)
    start = np.searchsorted(og, og, side="left")  # first candidate of each row's group
    pos = np.arange(m) - start
    count = np.bincount(og, minlength=len(_u))[og] if m else np.zeros(0, np.int64)
    c = cap_g[og]
    # The last place within the cap, and whether the first one beyond it ties with it.
    last = start + c - 1
    boundary = (c >= 1) & (count > c)
    tied_at_cap = np.zeros(m, bool)
    if m:
        lo = np.clip(last, 0, m - 1)
        hi = np.clip(last + 1, 0, m - 1)
        tied_at_cap = boundary & (key[lo] == key[hi]).all(axis=1)
    tie = tied_at_cap & (key == key[np.clip(last, 0, max(m - 1, 0))]).all(axis=1) if m else tied_at_cap
    winner = (pos < c) & ~tie
    grade[order] = np.where(winner, Grade.EXCELLENT.value, Grade.COMPETENT.value)
    note[order] = np.where(winner, "", np.where(tie, NOTE_TIE, NOTE_CAP))
    return Graded(grade=grade, note=note, cap=cap)


def grade_group(cands: list[Candidate], *, excellent_min, competent_min, basic_min, share) -> dict:
    """{candidate id: (grade or "", note code or "", note params)} for one group."""
    if not cands:
        return {}
    composite = np.ma.masked_array([0 if c.composite is None else to_h(c.composite) for c in cands],
                                   mask=[c.composite is None for c in cands], dtype=np.int64)
    out = grade_arrays(np.zeros(len(cands), np.int64), composite, [to_h(c.points) for c in cands],
                       [to_h(c.political) for c in cands], [c.vetoed for c in cands], excellent_min=excellent_min,
                       competent_min=competent_min, basic_min=basic_min, share=share,
                       barred=[c.barred for c in cands])
    return {c.id: (str(out.grade[i]), str(out.note[i]),
                   {"cap": int(out.cap[i])} if out.note[i] in (NOTE_CAP, NOTE_TIE) else {})
            for i, c in enumerate(cands)}
