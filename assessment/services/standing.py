"""What is in force for cadres on a day (担当状态): the one function every other part calls.

INTERFACE (fixed; the implementation is being written — until then every cadre has a clean
standing):

    standing(cadres, *, on=None, during=None) -> Standings

- ``cadres``: Cadre ids, Cadre objects or a Cadre queryset (any number: a few queries in all).
- ``on``: a date (default ``core.dates.today()``); ``during``: a (start, end) pair instead — what is
  in force on any day of it (a period's grading asks this).
- ``Standings`` maps a cadre id to its ``CadreStanding`` (a cadre with nothing in force gets an
  empty one): ``cards`` (cards in force), ``sanctions``, ``awards`` (not revoked), ``rulings``
  (decided tolerance rulings), ``clarifications``; ``blocks`` {block: [Fact]} for the blocks
  "pool", "promotion", "award", "excellent" (``conduct.BLOCKS``); ``waivers`` [Fact];
  ``priorities`` [Fact]. ``blocked(block)`` → bool, ``reasons(block)`` → [sentence].
- A ``Fact`` has ``kind`` ("card", "sanction", "ruling", "clarification", "award"), ``id`` and
  ``sentence`` (Chinese, e.g. "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库").
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    kind: str
    id: int
    sentence: str
    block: str = ""


@dataclass
class CadreStanding:
    cadre_id: int
    cards: list = field(default_factory=list)
    sanctions: list = field(default_factory=list)
    awards: list = field(default_factory=list)
    rulings: list = field(default_factory=list)
    clarifications: list = field(default_factory=list)
    blocks: dict = field(default_factory=dict)
    waivers: list = field(default_factory=list)
    priorities: list = field(default_factory=list)

    def blocked(self, block: str) -> bool:
        return bool(self.blocks.get(block))

    def reasons(self, block: str) -> list[str]:
        return [f.sentence for f in self.blocks.get(block, ())]


class Standings(dict):
    def __missing__(self, cadre_id):
        return CadreStanding(cadre_id=int(cadre_id))


def standing(cadres, *, on=None, during=None) -> Standings:
    return Standings()
