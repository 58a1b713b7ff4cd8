"""The bare pandas script that ``cockpit abc FILE --format csv`` is compared
with: read the clients CSV, rank by revenue (ties by name then code), cumulative
share, client share, ABC class (by the share of the clients ranked before),
write the same columns as the cockpit.

``python benchmarks/pandas_abc.py IN.csv OUT.csv [A_LIMIT B_LIMIT]``
"""

import sys

import numpy as np
import pandas as pd


def main(src: str, dst: str, a_limit: float = 0.8, b_limit: float = 0.95) -> None:
    df = pd.read_csv(src, dtype={"code": str, "name": str}, usecols=["code", "name", "revenue"])
    df["cents"] = (df["revenue"].fillna(0) * 100).round().astype(np.int64)
    df = df.sort_values(["cents", "name", "code"], ascending=[False, True, True], kind="stable", ignore_index=True)
    positive = df["cents"].clip(lower=0)
    total = int(positive.sum())
    cum = positive.cumsum()
    before = cum - positive
    n = len(df)
    cls = np.where(before < a_limit * total, "A", np.where(before < b_limit * total, "B", "C"))
    cls[df["cents"].to_numpy() <= 0] = "C"
    out = pd.DataFrame({
        "rank": np.arange(1, n + 1),
        "id": df["code"],
        "name": df["name"],
        "amount": df["cents"] / 100,
        "cum_share": (cum / total).round(6) if total > 0 else 0.0,
        "client_share": (np.arange(1, n + 1) / n).round(6),
        "class": cls,
        "flag": np.where(df["cents"] <= 0, "non-positive", ""),
    })
    out.to_csv(dst, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(float, sys.argv[3:5]))
