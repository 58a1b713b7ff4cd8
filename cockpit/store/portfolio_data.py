"""One period's portfolio as column arrays: what the store reads and the
portfolio model ranks. Its own module so the store and the model both import
it and neither imports the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cockpit.store.text_column import TextColumn


@dataclass
class PortfolioData:
    """Column arrays of one period's portfolio, one row per client."""

    period: str
    client_id: np.ndarray
    code: Sequence[str]  # lists, or columns packed by cockpit.store.text_column
    name: Sequence[str]
    group: Sequence[str]
    sector: Sequence[str]
    potential: np.ndarray  # cents, -1 when not entered
    amount: np.ndarray  # cents of the chosen field
    version: np.ndarray  # of the amounts row
    client_version: np.ndarray = None  # type: ignore[assignment]  # of the clients row; None: zeros (__post_init__)
    name_key: np.ndarray | None = None  # rank of (name, id), when the loader read it from the index
    group_codes: tuple[np.ndarray | TextColumn, np.ndarray] | None = None  # (sorted group names, code per client), from the loader
    revenue: np.ndarray | None = None  # cents of revenue when ``amount`` is the margin: share of wallet needs it

    def __post_init__(self) -> None:
        if self.client_version is None:
            self.client_version = np.zeros(len(self.client_id), dtype=np.int64)


def factorize_sorted(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct labels, code per item): a dict pass, then a sort of
    the few distinct labels (np.unique sorts every one of a million strings)."""
    codes: dict[str, int] = {}
    get = codes.get
    raw = np.fromiter((get(x) if x in codes else codes.setdefault(x, len(codes)) for x in labels),
                      dtype=np.int64, count=len(labels))
    names = sorted(codes)
    remap = np.empty(len(codes), dtype=np.int64)
    remap[[codes[n] for n in names]] = np.arange(len(names))
    return np.array(names, dtype=object), remap[raw] if len(raw) else raw
