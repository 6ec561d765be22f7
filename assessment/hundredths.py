"""Exact arithmetic in hundredths (分) for scores, weights and composites.

Every score, weight, threshold and composite of the assessment has two decimals, so it is held as
an integer number of hundredths and computed exactly; a quotient is rounded half up (四舍五入,
away from zero at exactly .5), as a person checking by hand would — never through binary floats,
where 84.845 is 84.84499… and rounds down, nor half to even.
"""
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

CENT = Decimal("0.01")


def to_h(value) -> int:
    """A number (Decimal, int, str, or float as written) as hundredths, rounded half up."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return int((d * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_h(h) -> Decimal:
    """Hundredths as a Decimal with two places."""
    return (Decimal(int(h)) / 100).quantize(CENT)


def h_float(h) -> float:
    """Hundredths as the float a JSON reader expects (84.85, not 84.85000000000001)."""
    return int(h) / 100


def div_half_up(num, den):
    """num / den rounded half up (away from zero at .5), exactly, for integers or integer arrays
    (den > 0)."""
    if isinstance(num, np.ndarray) or isinstance(den, np.ndarray):
        num, den = np.asarray(num), np.asarray(den)
        q = (2 * np.abs(num) + den) // (2 * den)
        return np.where(num < 0, -q, q)
    q = (2 * abs(num) + den) // (2 * den)
    return -q if num < 0 else q
