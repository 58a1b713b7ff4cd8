"""round(v, 6) of many floats at once, as whole millionths: numpy only, for
both `cockpit abc` writers (`float_text` over pyarrow, `abc_csv` over polars)."""

from __future__ import annotations

from typing import Any

import numpy as np


def round6_ints(values: Any) -> tuple[Any, Any]:
    """(z, exact): z = round(v, 6) * 10**6 where ``exact``. rint(v * 1e6) is
    that rounding when v * 1e6 is below 2**30 (its error is then under 2**-23)
    and not within 1e-6 of a half; 0 < |z| keeps the sign of a zero out."""
    with np.errstate(invalid="ignore", over="ignore"):  # NaN, inf and huge values are not exact
        y = np.asarray(values, dtype=np.float64) * 1e6
        exact = (np.abs(y) < 2**30) & (np.abs(y) >= 1) & (np.abs(y - np.floor(y) - 0.5) >= 1e-6)
    return np.where(exact, np.rint(np.where(exact, y, 0)), 0).astype(np.int64), exact
