"""Demo awards, cards and protection for ``seed_demo`` (one step, after the assessments): a
believable set in every state, written through the services (audited, validated), deterministic
(``cadres.demo.data.SEED``). Loaded once: with a city seeded before this step existed,
``seed_demo`` adds it (``present`` says whether it is there).

Each part is a module of this package with ``build(ctx) -> int`` (rows written), run in ``PARTS``
order inside the one transaction; ``ctx`` is a ``Context`` the parts share (the acting user, the
random generator, the demo "today", and what earlier parts made, e.g. ``ctx.made["cards"]``).
"""
import importlib
import random
from dataclasses import dataclass, field

from cadres.demo import data as D
from pingdingshan.core.dates import today

# Order matters: rulings and clarifications revoke cards made before them; proposals come from
# the triggers run on everything else.
PARTS = ("sanctions", "cards", "awards", "protection", "reminders", "proposals")


@dataclass
class Context:
    by: object
    rng: random.Random
    today: object
    made: dict = field(default_factory=dict)


def present() -> bool:
    from ..models import CardReason, Reminder, Sanction, WarningCard

    return (WarningCard.objects.exists() or Sanction.objects.exists() or Reminder.objects.exists()
            or not CardReason.objects.exists())


def build(*, by) -> int:
    if present():
        return 0
    ctx = Context(by=by, rng=random.Random(D.SEED + 11), today=today())
    n = 0
    for name in PARTS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            continue
        n += module.build(ctx)
    return n
