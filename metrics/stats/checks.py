"""Argument checks and the normal quantile shared by the statistics modules."""
from __future__ import annotations

import functools

from scipy import special

from ..errors import DataError


def check_alpha(alpha: float) -> float:
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise DataError("bad_argument", detail=f"alpha must be between 0 and 1, got {alpha!r}")
    return float(alpha)


@functools.lru_cache(maxsize=32)
def z_two_sided(alpha: float) -> float:
    """z_{1−α/2} = Φ⁻¹(1 − α/2) (``special.ndtri``, the kernel of ``scipy.stats.norm.ppf``: the same float)."""
    return float(special.ndtri(1 - alpha / 2))
