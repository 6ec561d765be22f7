"""The demo's 9-box cut-offs for ``seed_demo`` (a ``registry.demo_steps`` step after the reserve's
two ranking runs, registered in ``promotion/hooks.py``). The default cut-offs (70/90 for the
composite, 70/85 for the pool score) leave the demo's grid nearly in one box: the demo's pool
scores lie between about 5 and 75 (few awards and postings), so nobody's potential reaches 中. The
demo's org department sets its cut-offs, through ``services.ninebox.settings_save`` (audited), at
the thirds of the placed cadres' values of the current run, in whole points: each band then holds
about a third on each axis, and every pool's grid has cadres in several boxes."""
from decimal import ROUND_HALF_UP, Decimal

MIN_ROWS = 6  # fewer cadres with both values: nothing to calibrate, the defaults stay


def present() -> bool:
    """Set once (or by someone else), or nothing to set them from (no current run)."""
    from .models import NineBoxSettings
    from .services.ninebox import current_run

    return current_run() is None or NineBoxSettings.objects.filter(pk=1, updated_by__isnull=False).exists()


def _third(values: list, k: int) -> Decimal:
    return Decimal(values[len(values) * k // 3]).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def build(*, by) -> int:
    from .models import ReservePool
    from .services import ninebox as svc

    if present():
        return 0
    rows = {r.cadre.pk: r for pool in ReservePool.objects.filter(is_active=True).order_by("order", "id")
            for r in svc.grid(by, pool=pool).rows if r.composite is not None and r.score is not None}
    if len(rows) < MIN_ROWS:
        return 0
    values = {}
    for axis, of in (("performance", lambda r: r.composite), ("potential", lambda r: r.score)):
        ordered = sorted(of(r) for r in rows.values())
        low, high = _third(ordered, 1), _third(ordered, 2)
        if high <= low:
            high = low + 1
        values[f"{axis}_low"], values[f"{axis}_high"] = max(low, Decimal(0)), min(high, Decimal(100))
    svc.settings_save(by=by, **values)
    return 1
