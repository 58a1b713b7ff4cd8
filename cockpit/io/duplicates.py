"""One id, one row: a file that names the same client (or the same rep's month)
twice is refused on the second line, naming the first, instead of letting the
last row win in silence. With ``--skip-bad`` the first is kept and the other
rejected with that reason."""

from __future__ import annotations

from typing import Any

from cockpit.io.input_error import InputError
from cockpit.io.tabular import Records

# kind -> the fields that identify a row, tried in order: a client is its code,
# else (no code on the row) its exact name, as the importer matches them.
KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "clients": (("code",), ("name",)),
    "activity": (("rep", "period"),),
}


def _key(row_values: list[object]) -> tuple[Any, ...] | None:
    values = tuple("" if v is None else str(v).strip() for v in row_values)
    return None if not all(values) else values


def _duplicate(records: Records, line: int, first: int, fields: tuple[str, ...], key: tuple[Any, ...]) -> InputError:
    header = " + ".join(records.columns.get(f, f) for f in fields)
    return InputError(records.path, line, header, " · ".join(key),
                      f"un identifiant unique dans le fichier (déjà ligne {first})",
                      f"an id that appears once in the file (already on line {first})")


def check_unique(records: Records, kind: str, skip_bad: bool) -> Records:
    """``records`` without a repeated id; raises the first repeat, or (skip_bad)
    moves each repeat to ``records.rejected``."""
    choices = [f for f in KEYS.get(kind, ()) if all(n in records.fields for n in f)]
    if not choices:
        return records
    columns = {n: records.column(n) for f in choices for n in f}
    seen: dict[tuple[Any, ...], int] = {}
    drop: list[int] = []
    for p, line in enumerate(records.lines):
        for fields in choices:
            key = _key([columns[n][p] for n in fields])
            if key is None:
                continue  # no code on this row: try the next identifier (the name)
            key = (fields, *key)
            if key in seen:
                error = _duplicate(records, line, seen[key], fields, key[1:])
                if not skip_bad:
                    raise error
                records.rejected.append((line, error.message()))
                records.rejected_errors.append(error)
                drop.append(p)
            else:
                seen[key] = line
            break
    if drop:
        gone = set(drop)
        records.rows = [r for p, r in enumerate(records.rows) if p not in gone]
        records.lines = [n for p, n in enumerate(records.lines) if p not in gone]
        records.data = None  # the rows are the truth now
        # In line order, each reason with its error (the rejects file reads both).
        pairs = sorted(zip(records.rejected, records.rejected_errors), key=lambda p: p[0][0])
        records.rejected, records.rejected_errors = [p[0] for p in pairs], [p[1] for p in pairs]
    return records
