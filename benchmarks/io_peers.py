"""The peers of ``benchmarks.io_bench``: small polars and DuckDB scripts doing
each job the cockpit does, run in their own process so their time and peak
RSS are measured alike.

``python -m benchmarks.io_peers JOB ARGS...`` with JOB one of
polars_import (CSV -> cents -> SQLite), duckdb_import (CSV -> DuckDB table),
polars_abc (CSV -> ABC classes -> CSV), polars_export (workspace -> CSV).
"""

from __future__ import annotations

import sqlite3
import sys


def polars_import(src: str, db_path: str, *amounts: str) -> None:
    import polars as pl

    df = pl.read_csv(src, infer_schema=False)
    cents = [(pl.col(c).str.replace(",", ".").cast(pl.Float64) * 100).round().cast(pl.Int64).alias(c)
             for c in amounts if c in df.columns]
    df = df.with_columns(cents)
    db = sqlite3.connect(db_path)
    cols = ", ".join(f'"{c}"' for c in df.columns)
    db.execute(f"CREATE TABLE t({cols})")
    with db:
        db.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(df.columns))})", df.iter_rows())
    db.close()


def duckdb_import(src: str, db_path: str) -> None:
    import duckdb

    con = duckdb.connect(db_path)
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{src}', all_varchar = true)")
    con.close()


def polars_abc(src: str, dst: str, a_limit: str = "0.8", b_limit: str = "0.95") -> None:
    import polars as pl

    a, b = float(a_limit), float(b_limit)
    df = pl.read_csv(src, columns=["code", "name", "revenue"], schema_overrides={"code": pl.String, "name": pl.String})
    df = df.with_columns((pl.col("revenue").fill_null(0) * 100).round().cast(pl.Int64).alias("cents"))
    df = df.sort(["cents", "name", "code"], descending=[True, False, False])
    n = df.height
    pos = pl.col("cents").clip(lower_bound=0)
    total = df.select(pos.sum()).item()
    df = df.with_columns(pos.cum_sum().alias("cum"), (pos.cum_sum() - pos).alias("before"))
    out = df.select(
        pl.int_range(1, n + 1).alias("rank"), pl.col("code").alias("id"), "name",
        (pl.col("cents") / 100).alias("amount"), (pl.col("cum") / total).round(6).alias("cum_share"),
        (pl.int_range(1, n + 1) / n).round(6).alias("client_share"),
        pl.when(pl.col("cents") <= 0).then(pl.lit("C")).when(pl.col("before") < a * total).then(pl.lit("A"))
        .when(pl.col("before") < b * total).then(pl.lit("B")).otherwise(pl.lit("C")).alias("class"),
        pl.when(pl.col("cents") <= 0).then(pl.lit("non-positive")).otherwise(pl.lit("")).alias("flag"))
    out.write_csv(dst)


def polars_export(db_path: str, dst: str, period: str) -> None:
    import polars as pl

    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT c.code, c.name, c.grp, c.sector, a.revenue, c.potential FROM amounts a "
                      "JOIN clients c ON c.id = a.client_id WHERE a.period = ?", (period,)).fetchall()
    df = pl.DataFrame(rows, schema=["code", "name", "group", "sector", "cents", "potential"], orient="row")
    df = df.sort(["cents", "name"], descending=[True, False])
    df = df.with_columns((pl.col("cents") / 100).alias("amount"), (pl.col("potential") / 100))
    df.drop("cents").write_csv(dst, separator=";")


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
