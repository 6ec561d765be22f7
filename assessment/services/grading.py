"""Grades within one (tier, category) group of a period: the one function that decides them.

Rules, in order:
1. No composite (not every indicator could be scored): no grade.
2. The veto indicator scored below its line (一票否决): 不称职, whatever the total.
3. By the period's thresholds: composite ≥ 优秀线 → 优秀 candidate; ≥ 称职线 → 称职;
   ≥ 基本称职线 → 基本称职; otherwise 不称职.
4. 优秀 may not exceed ``excellent_share``% of the graded cadres of the group (rounded down).
   Candidates are taken in order of composite, then verified 实绩 points, then the 政治担当
   contribution, all highest first. Candidates still tied on all three at the last place
   within the cap are all graded 称职 (the cap is never exceeded, and no arbitrary order decides
   between equals). Candidates beyond the cap are graded 称职.
"""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ..models import Grade

TIE_RULE = ("综合得分高者优先；同分时比较实绩分，再比较政治担当得分；三项均相同且超出优秀名额的，"
            "均不评为优秀（不突破比例）。")


def excellent_cap(group_size: int, share) -> int:
    return int((Decimal(group_size) * Decimal(str(share)) / 100).to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class Candidate:
    id: int
    composite: float | None  # rounded to 2 decimals, as stored
    points: float
    political: float
    vetoed: bool


def grade_group(cands: list[Candidate], *, excellent_min, competent_min, basic_min, share) -> dict:
    """{candidate id: (grade or "", note code or "", note params)} for one group."""
    ex, co, ba = float(excellent_min), float(competent_min), float(basic_min)
    graded = [c for c in cands if c.composite is not None]
    cap = excellent_cap(len(graded), share)
    out = {}
    candidates = []
    for c in cands:
        if c.composite is None:
            out[c.id] = ("", "incomplete", {})
        elif c.vetoed:
            out[c.id] = (Grade.INCOMPETENT.value, "veto", {})
        elif c.composite >= ex:
            candidates.append(c)
        elif c.composite >= co:
            out[c.id] = (Grade.COMPETENT.value, "", {})
        elif c.composite >= ba:
            out[c.id] = (Grade.BASIC.value, "", {})
        else:
            out[c.id] = (Grade.INCOMPETENT.value, "", {})
    def key(c):
        return (c.composite, round(c.points, 2), round(c.political, 2))

    candidates.sort(key=key, reverse=True)
    winners = candidates[:cap]
    if winners and len(candidates) > cap and key(candidates[cap]) == key(winners[-1]):
        tied = key(winners[-1])
        winners = [c for c in winners if key(c) != tied]
        tie_ids = {c.id for c in candidates if key(c) == tied}
    else:
        tie_ids = set()
    winner_ids = {c.id for c in winners}
    for c in candidates:
        if c.id in winner_ids:
            out[c.id] = (Grade.EXCELLENT.value, "", {})
        elif c.id in tie_ids:
            out[c.id] = (Grade.COMPETENT.value, "tie", {"cap": cap})
        else:
            out[c.id] = (Grade.COMPETENT.value, "cap", {"cap": cap})
    return out
