"""`cockpit abc FILE --format json` on columns: the text `json.dump(…,
ensure_ascii=False, indent=1)` writes for the row path (cockpit/cli_abc.py),
byte for byte, made a slice of clients at a time by pyarrow compute instead of
a dict per client (tests/test_abc_fast.py compares the two)."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.abc_columns import Ranking, rank_file
from cockpit.io.out_bytes import write_chunks
from cockpit.io.csv_columns import cell_text, Ints, Reprs
from cockpit.portfolio.abc import CLASS_LETTERS, Limits

_STEP = 100_000
# What json escapes in a string (ensure_ascii=False): the quote, the backslash, the C0 controls.
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPES = [(chr(c), _SHORT.get(chr(c), f"\\u{c:04x}")) for c in range(32)]
_NEEDS = np.zeros(256, dtype=bool)
_NEEDS[:32] = _NEEDS[ord('"')] = _NEEDS[ord("\\")] = True


def json_strings(text: pa.Array) -> pa.Array:
    """Each string as json writes it, quotes included."""
    text = pc.fill_null(text.cast(pa.string()), "")
    raw = _utf8(text)
    if len(raw) and _NEEDS[raw].any():
        present = set(np.unique(raw[_NEEDS[raw]]).tolist())
        text = pc.replace_substring(text, "\\", "\\\\") if ord("\\") in present else text
        text = pc.replace_substring(text, '"', '\\"') if ord('"') in present else text
        for char, escaped in _ESCAPES:
            if ord(char) in present:
                text = pc.replace_substring(text, char, escaped)
    return pc.binary_join_element_wise('"', text, '"', "")


def _utf8(text: pa.Array) -> Any:
    text = text.cast(pa.large_string())
    _, offsets, data = text.buffers()
    if data is None:
        return np.zeros(0, np.uint8)
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(text) + 1, offset=8 * text.offset)
    return np.frombuffer(data, dtype=np.uint8)[int(ends[0]):int(ends[-1])]


def head(r: Ranking) -> dict[str, Any]:
    """`PortfolioModel.summary()`'s figures the JSON starts with."""
    c = r.computed
    a_limit, b_limit = r.limits.a, r.limits.b
    if c is not None and not c.fallback:  # the shares at the computed counts (`limits_in_force`)
        share: Callable[[int], Fraction] = lambda k: Fraction(int(r.cum[k - 1]), r.total) if k and r.total > 0 else Fraction(0)  # noqa: E731
        a_limit, b_limit = share(r.a_count), share(r.b_count)
    computed = c and {"pareto_x": c.pareto_x, "break_even_x": c.break_even_x, "submarginal_x": c.submarginal_x,
                      "fallback": c.fallback}
    counts = (r.a_count, r.b_count - r.a_count, r.n - r.b_count)
    return {"a_limit": float(a_limit), "b_limit": float(b_limit), "computed": computed,
            "counts": dict(zip(CLASS_LETTERS, counts))}


def write_abc_json(out: TextIO, path: str, amount: str, limits: Callable[[], Limits], computed: bool,
                   missing: Callable[[], Exception]) -> bool:
    """The ranked JSON to ``out``; False: not a file for this path."""
    r = rank_file(path, amount, limits, computed, missing)
    if r is None:
        return False
    top = json.dumps(head(r), ensure_ascii=False, indent=1)[:-2]  # without its closing "\n}"
    if r.n == 0:
        out.write(top + ',\n "clients": []\n}\n')
        return True

    def records(start: int, stop: int) -> memoryview:
        at = r.order.slice(start, stop - start)
        cells = [cell_text(Ints(np.arange(start + 1, stop + 1))), json_strings(pc.take(r.ids, at)),
                 json_strings(pc.take(r.names, at)), cell_text(Reprs(r.amounts[start:stop], hundredths=True)),
                 cell_text(Reprs(r.cum_share(start, stop))), cell_text(Reprs(r.client_share(start, stop))),
                 json_strings(r.klass(start, stop)), json_strings(r.flag(start, stop))]
        parts: list[Any] = []
        for k, (key, cell) in enumerate(zip(("rank", "id", "name", "amount", "cum_share", "client_share", "class",
                                             "flag"), cells)):
            parts += [("  {\n" if k == 0 else ",\n") + f'   "{key}": ', cell]
        parts.append("\n  },\n")
        joined = pc.binary_join_element_wise(*parts, "").cast(pa.large_string())
        _, offsets, data = joined.buffers()
        ends = np.frombuffer(offsets, dtype=np.int64, count=len(joined) + 1, offset=8 * joined.offset)
        return memoryview(data)[int(ends[0]):int(ends[-1]) - (2 if stop == r.n else 0)]  # the last: no comma

    write_chunks(out, top + ',\n "clients": [\n', (records(s, min(r.n, s + _STEP)) for s in range(0, r.n, _STEP)),
                 "\n ]\n}\n")
    return True
