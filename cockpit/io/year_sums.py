"""Each client's revenue and margin per year, summed while the sales lines
stream in (pandas, exact int64), as SQL's ``sum()`` gives them: a margin sum
is NULL when every margin of the group is. The import then writes these
sums instead of grouping millions of lines again in SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cockpit.io.numbers_fr import MAX_CENTS

if TYPE_CHECKING:
    from cockpit.io.input_error import InputError

_REDUCE = 2_000_000  # partial sums kept before they are added up


def past_cell_limit(path: str, year: int | str) -> InputError:
    """The refusal of a file where one client's sales of ``year`` add up past
    what a cell may hold (every import path says this one sentence)."""
    from cockpit.io.input_error import InputError

    return InputError(path, None, None, None,
                      f"des ventes dont le total d'un client sur une année reste sous {MAX_CENTS // 100:,} € "
                      f"(celles de {year} d'un client le dépassent)".replace(",", "\u202f"),
                      f"sales whose total for one client in one year stays under €{MAX_CENTS // 100:,} "
                      f"(one client's {year} sales go past it)")


class YearSums:
    def __init__(self, path: str = "") -> None:
        self.path = path  # the file, named if a sum is out of range
        self._parts: list[pd.DataFrame] = []
        self._held = 0

    def add(self, client: Any, days: Any, revenue: Any, margin: Any, no_margin: Any) -> None:
        year = days.astype("datetime64[Y]").astype(np.int64) + 1970
        frame = pd.DataFrame({"key": client.astype(np.int64) * 256 + (year - 1900), "revenue": revenue,
                              "margin": np.where(no_margin, 0, margin), "margins": (~no_margin).astype(np.int64),
                              # The same sums in floats: int64 ones wrap silently past 2^63, these only round.
                              "far": np.abs(revenue).astype(np.float64) + np.abs(np.where(no_margin, 0, margin))})
        part = frame.groupby("key", sort=False).sum()
        self._parts.append(part)
        self._held += len(part)
        if self._held > _REDUCE:
            self._parts = [self._total()]
            self._held = len(self._parts[0])

    def _total(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame({"revenue": [], "margin": [], "margins": [], "far": []}, index=pd.Index([], name="key"))
        return pd.concat(self._parts).groupby(level=0, sort=False).sum()

    def rows(self) -> list[tuple[int, str, int, int | None]]:
        """(client id, year, revenue, margin or None)."""
        total = self._total()
        key = total.index.to_numpy(dtype=np.int64)
        over = np.flatnonzero(total["far"].to_numpy(dtype=np.float64) >= MAX_CENTS)
        if len(over):  # one client's year past what any cell may hold: a typo, never a wrapped figure
            raise past_cell_limit(self.path, int(key[over[0]] % 256 + 1900))
        margin: list[int | None] = list(total["margin"].astype(np.int64).tolist())
        for p in np.flatnonzero(total["margins"].to_numpy() == 0).tolist():
            margin[p] = None
        return list(zip((key // 256).tolist(), (key % 256 + 1900).astype(str).tolist(),
                        total["revenue"].astype(np.int64).tolist(), margin))
