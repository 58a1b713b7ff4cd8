"""repr() of many floats at once, for `cockpit abc`'s CSV and JSON (csv and
json write a float as its repr). Two kinds of floats are written there:

- cents / 100, for cents below 2**53 (numpy's quotient is then Python's);
- round(v, 6): z / 10**6, z = v * 10**6 rounded half to even, found by
  ``rint`` where that is exact (see `round6_ints`).

Arrow's cast writes the shortest digits that read back to the double, as
repr does; only its layout differs, and is mended or left to repr. Values
past those bounds go through Python's own repr one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.round6 import round6_ints


def strings(items: Sequence[str]) -> pa.Array:
    """A string array from Python strings. Through a numpy array: pyarrow
    given a list first imports pandas to check it (a second at start-up)."""
    return pa.array(np.array(list(items), dtype=object), pa.string())


def round6_repr(values: Any) -> pa.Array:
    """repr(round(v, 6)) of each value: z / 1e6 is round(v, 6) where z is exact
    (both are the double nearest the decimal z / 10**6)."""
    values = np.asarray(values, dtype=np.float64)
    z, exact = round6_ints(values)
    return _shortest(z / 1e6, exact, lambda i: repr(round(float(values[i]), 6)))


def hundredths_repr(cents: Any) -> pa.Array:
    """repr(c / 100) of each whole number of cents (below 2**53 the int's
    float is exact, and so numpy's quotient is Python's)."""
    cents = np.asarray(cents, dtype=np.int64)
    exact = (cents < 2**53) & (cents > -(2**53))
    return _shortest(np.where(exact, cents, 0) / 100, exact, lambda i: repr(int(cents[i]) / 100))


def _shortest(values: Any, exact: Any, one: Callable[[int], str]) -> pa.Array:
    """repr() of floats by Arrow's cast, which writes the same shortest
    round-trip digits: '1' where repr writes '1.0' is mended; exponents ('1e-05'
    below 1e-4, from 1e13 on in Arrow, 1e16 in repr), non-finite values and the
    values not ``exact`` are written one by one by ``one(index)``."""
    text = pc.cast(pa.array(values), pa.string())
    has_e = np.asarray(pc.match_substring(text, "e").to_numpy(zero_copy_only=False), dtype=bool)
    whole = pc.invert(pc.or_(pc.match_substring(text, "."), pa.array(has_e)))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    with np.errstate(invalid="ignore"):
        odd = ~exact | has_e | ~np.isfinite(values) | ((np.abs(values) < 1e-4) & (values != 0))
    if not odd.any():
        return text
    where = np.flatnonzero(odd)
    return pc.replace_with_mask(text, pa.array(odd), strings([one(i) for i in where.tolist()]))


def decimal_text(z: Any, scale: int, digits: int, point: str = ".") -> pa.Array:
    """z / scale written out: sign, whole part, '.', the fraction without its
    trailing zeros but one ('1.0', '0.5', '-12.25')."""
    whole, frac = np.divmod(np.abs(z), scale)
    fraction = pc.utf8_slice_codeunits(pc.cast(pa.array(frac + scale), pa.string()), 1)  # ``digits`` digits
    fraction = pc.utf8_rtrim(fraction, characters="0")
    fraction = pc.if_else(pc.equal(fraction, ""), "0", fraction)
    signed = pc.binary_join_element_wise(pc.if_else(pa.array(z < 0), "-", ""), pc.cast(pa.array(whole), pa.string()), "")
    return pc.binary_join_element_wise(signed, fraction, point)
