"""repr() of many floats at once, for `cockpit abc`'s CSV and JSON (csv and
json write a float as its repr). Two kinds of floats are written there, and
both are decimals of few digits:

- cents / 100: the double nearest a decimal of at most 15 significant
  digits, whose repr is that decimal (no shorter string reads back to it);
- round(v, 6): likewise the decimal z / 10**6, z = v * 10**6 rounded half to
  even, found by ``rint`` where that is exact (see `round6_ints`).

Values past those bounds go through Python's own repr one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def strings(items: Sequence[str]) -> pa.Array:
    """A string array from Python strings. Through a numpy array: pyarrow
    given a list first imports pandas to check it (a second at start-up)."""
    return pa.array(np.array(list(items), dtype=object), pa.string())


_TINY = [repr(z / 1e6) for z in range(100)]  # below 1e-4 repr writes 5e-05, 1.5e-05


def round6_ints(values: Any) -> tuple[Any, Any]:
    """(z, exact): z = round(v, 6) * 10**6 where ``exact``. rint(v * 1e6) is
    that rounding when v * 1e6 is below 2**30 (its error is then under 2**-23)
    and not within 1e-6 of a half; 0 < |z| keeps the sign of a zero out."""
    with np.errstate(invalid="ignore", over="ignore"):  # NaN, inf and huge values are not exact
        y = np.asarray(values, dtype=np.float64) * 1e6
        exact = (np.abs(y) < 2**30) & (np.abs(y) >= 1) & (np.abs(y - np.floor(y) - 0.5) >= 1e-6)
    return np.where(exact, np.rint(np.where(exact, y, 0)), 0).astype(np.int64), exact


def round6_repr(values: Any) -> pa.Array:
    """repr(round(v, 6)) of each value."""
    values = np.asarray(values, dtype=np.float64)
    z, exact = round6_ints(values)
    text = decimal_text(z, 1_000_000, 6)
    small = exact & (np.abs(z) < 100)
    if small.any():  # scientific notation below 1e-4
        tiny = pc.take(strings(_TINY), pa.array(np.abs(z[small])))
        tiny = pc.binary_join_element_wise(pc.if_else(pa.array(z[small] < 0), "-", ""), tiny, "")
        text = pc.replace_with_mask(text, pa.array(small), tiny)
    return _rest(text, exact, [repr(round(v, 6)) for v in values[~exact].tolist()])


def hundredths_repr(cents: Any) -> pa.Array:
    """repr(c / 100) of each whole number of cents."""
    cents = np.asarray(cents, dtype=np.int64)
    exact = np.abs(cents) < 10**15  # also keeps -2**63 out of abs()
    z = np.where(exact, cents, 0)
    return _rest(decimal_text(z, 100, 2), exact, [repr(int(c) / 100) for c in cents[~exact].tolist()])


def decimal_text(z: Any, scale: int, digits: int, point: str = ".") -> pa.Array:
    """z / scale written out: sign, whole part, '.', the fraction without its
    trailing zeros but one ('1.0', '0.5', '-12.25')."""
    whole, frac = np.divmod(np.abs(z), scale)
    fraction = pc.utf8_slice_codeunits(pc.cast(pa.array(frac + scale), pa.string()), 1)  # ``digits`` digits
    fraction = pc.utf8_rtrim(fraction, characters="0")
    fraction = pc.if_else(pc.equal(fraction, ""), "0", fraction)
    signed = pc.binary_join_element_wise(pc.if_else(pa.array(z < 0), "-", ""), pc.cast(pa.array(whole), pa.string()), "")
    return pc.binary_join_element_wise(signed, fraction, point)


def _rest(text: pa.Array, exact: Any, others: list[str]) -> pa.Array:
    if not others:
        return text
    return pc.replace_with_mask(text, pa.array(~exact), strings(others))
