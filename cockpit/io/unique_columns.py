"""A clients file read as columns (`StreamReader` batches): no client twice.

`duplicates.check_unique` on columns: a client is its code, else its name; the
first repeat is refused on its line, naming the first. The usual file (every
row coded, each code once) is told in C without a key built per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.duplicates import _duplicate
from cockpit.io.stream_read import StreamReader
from cockpit.io.tabular import Records


def check_unique(reader: StreamReader, text: dict[str, pa.Array], n: int) -> None:
    """`duplicates.check_unique`: a client is its code, else its name; the first repeat is refused."""
    if n == 0:
        return
    name = text["name"]
    if "code" in text:
        code = text["code"]
        lengths = pc.binary_length(code)
        if code.null_count == 0 and pc.min(lengths).as_py() > 0 and _each_once(code, n):
            return  # every row keyed by its code, each once: no key to build per row
        has_code = pc.not_equal(lengths, 0)
        keys = pc.if_else(has_code, pc.binary_join_element_wise("c", code, "\x00"),
                          pc.binary_join_element_wise("n", name, "\x00"))
        fields_of = pc.if_else(has_code, pa.scalar("code"), pa.scalar("name"))
    else:
        keys, fields_of = name, pa.array(["name"] * n)
    if pc.count_distinct(keys).as_py() == n:  # hashed in C: no Python string per row
        return
    repeated = pd.Series(keys.to_numpy(zero_copy_only=False)).duplicated().to_numpy()
    j = int(np.argmax(repeated))
    key = keys[j].as_py()
    i = int(np.argmax(np.asarray(pc.equal(keys, key).to_numpy(zero_copy_only=False))))
    field = fields_of[j].as_py()
    value = text[field][j].as_py()
    records = Records(reader.path, reader.fields, [], [], columns=reader.columns())
    raise _duplicate(records, reader.line_of(j), reader.line_of(i), (field,), (value,))


def _each_once(values: pa.Array, n: int) -> bool:
    """No value twice (no nulls): in a file sorted by them, each is below the next (4 ms a million); else hashed."""
    if n < 2 or pc.all(pc.less(values.slice(0, n - 1), values.slice(1))).as_py():
        return True
    return len(pc.unique(values)) == n
