"""Seeded generator of large portfolios for the benchmarks.

``python -m benchmarks.generate --clients 1000000 --lines 10000000 [--seed 42]``

N clients in the latest year (plus the clients lost in the two years
before it, about 24 % more rows in ``clients``) with Pareto-distributed revenues (numpy ``pareto(1.16)``: about
80 % of the revenue on 20 % of the clients), sites of multi-site groups,
sectors, potentials (some missing), product families and three years of
sales lines (M lines in all, dates spread over each year, a few credit
notes). Written as:

- ``clients.csv``: the latest year's portfolio, one row per client
  (``code,name,group,sector,potential,revenue``): what ``cockpit abc`` and
  ``cockpit import clients`` read;
- ``workspace.sqlite``: a ready workspace, built by ``Workspace(path)`` (the
  schema) then one ``executemany`` per table inside ONE transaction; the
  yearly ``amounts`` are summed from the lines in numpy, so they equal the
  sum of the sales lines per client and year exactly;
- ``sales.csv`` (only with ``--sales-csv``): the lines, for ``cockpit import sales``;
- ``clients_quoted.csv`` (only with ``--quoted``, or `quoted_clients`): the same
  rows as ``clients.csv`` with every field quoted, as many ERP exports write them.

Everything is cached under ``benchmarks/.data/`` keyed by (N, M, seed,
generator version): a second call returns at once.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GENERATOR_VERSION = 2
DATA_DIR = Path(__file__).resolve().parent / ".data"
YEARS = (2024, 2025, 2026)
PARETO_SHAPE = 1.16  # log(5)/log(4): the 80/20 rule
SCALE_CENTS = 150_000  # smallest yearly revenue of a client: 1 500 €
CAP = 20_000  # the largest client is at most CAP × the smallest

FORMS = ["SARL", "SAS", "Ets", "EURL", "SA", "Société", "Maison", ""]
SURNAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Kieffer", "Schmitt", "Humbert", "Colin", "Poirot", "Klein", "Weber", "Schneider", "Hoffmann", "Wagner",
]
TRADES = [
    "Plomberie", "Chauffage", "Sanitaire", "Climatisation", "Bâtiment", "Électricité", "Carrelage",
    "Menuiserie", "Couverture", "Rénovation", "Thermique", "Énergies", "Habitat", "Services", "Industrie",
    "Distribution", "Maintenance", "Travaux", "Équipements", "Confort",
]
CITIES = [
    "Nancy", "Metz", "Épinal", "Lunéville", "Thionville", "Verdun", "Toul", "Saint-Dié", "Bar-le-Duc",
    "Strasbourg", "Colmar", "Mulhouse", "Reims", "Troyes", "Dijon", "Besançon", "Lyon", "Paris", "Lille",
    "Rouen", "Nantes", "Rennes", "Bordeaux", "Toulouse", "Marseille", "Nice", "Grenoble", "Annecy",
    "Clermont-Ferrand", "Limoges", "Tours", "Orléans", "Amiens", "Caen", "Brest", "Pau", "Perpignan",
    "Montpellier", "Nîmes", "Avignon",
]
GROUP_WORDS = ["LORFLEX", "VF CONFORT", "MILER", "MEQUISA", "MEGNIN", "BATINOR", "THERMOR EST", "CLIMALOR",
               "SANIDIS", "HYDROTEC", "EUROBAT", "PROCONFORT", "AQUALOR", "FLUIDIS", "DOMOTHERM", "ARDENNE INDUSTRIE"]
SECTORS = ["Industrie", "Grande distribution bricolage", "Négoce", "Installateurs", "Collectivités",
           "Bureaux d'études", "Promotion immobilière", "Hôtellerie", "Santé", "Agriculture"]
SECTOR_WEIGHTS = [0.22, 0.08, 0.18, 0.25, 0.06, 0.05, 0.05, 0.04, 0.04, 0.03]
PRODUCTS = ["Plomberie", "Chauffage", "Sanitaire", "Climatisation", "Outillage", "Électricité", "Ventilation", "Services"]
PRODUCT_WEIGHTS = [0.22, 0.2, 0.16, 0.12, 0.1, 0.09, 0.07, 0.04]
PRODUCT_MARGIN = [0.24, 0.28, 0.31, 0.22, 0.35, 0.26, 0.29, 0.45]
NEW_PER_YEAR = 0.12  # share of a year's clients that are new
CHURN = 0.12  # share of a year's clients lost the next year
CREDIT_NOTES = 0.003  # share of lines that are credit notes


@dataclass(frozen=True)
class Generated:
    """Where a generated data set lives and what it holds."""

    folder: Path
    clients: int
    lines: int
    seed: int
    meta: dict

    @property
    def workspace(self) -> Path:
        return self.folder / "workspace.sqlite"

    @property
    def clients_csv(self) -> Path:
        return self.folder / "clients.csv"

    @property
    def sales_csv(self) -> Path:
        return self.folder / "sales.csv"

    @property
    def quoted_csv(self) -> Path:
        return self.folder / "clients_quoted.csv"


def folder_for(clients: int, lines: int, seed: int, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"n{clients}_m{lines}_s{seed}_v{GENERATOR_VERSION}"


# ---- the numbers ---------------------------------------------------------
def _names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Client names and groups: most clients are their own group; about 15 %
    are sites of a multi-site group, named after it ("LORFLEX Metz")."""
    form = rng.integers(0, len(FORMS), n)
    surname = rng.integers(0, len(SURNAMES), n)
    trade = rng.integers(0, len(TRADES), n)
    city = rng.integers(0, len(CITIES), n)
    names = [f"{FORMS[f]} {SURNAMES[s]} {TRADES[t]} {CITIES[c]}".lstrip()
             for f, s, t, c in zip(form.tolist(), surname.tolist(), trade.tolist(), city.tolist())]
    groups = list(names)
    n_groups = max(1, n // 40)
    group_names = [GROUP_WORDS[i] if i < len(GROUP_WORDS) else f"GROUPE {SURNAMES[i % len(SURNAMES)].upper()} {i}"
                   for i in range(n_groups)]
    sites = np.flatnonzero(rng.random(n) < 0.15)
    # Zipf-like group sizes: a few groups with many sites, many with two or three.
    weights = 1.0 / np.arange(1, n_groups + 1) ** 0.8
    which = rng.choice(n_groups, size=len(sites), p=weights / weights.sum())
    for i, g in zip(sites.tolist(), which.tolist()):
        groups[i] = group_names[g]
        names[i] = f"{group_names[g]} {CITIES[city[i]]}"
    return names, groups


def _years_active(rng: np.random.Generator, n: int) -> np.ndarray:
    """Bool (clients, years): the ``n`` clients of the latest year (some of
    them new in a later year) and, beside them, the clients lost before it
    (about CHURN of each earlier year's clients), in shuffled id order."""
    n_years = len(YEARS)
    start = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    for y in range(1, n_years):  # new clients of each later year
        start[(u >= 1 - y * NEW_PER_YEAR) & (u < 1 - (y - 1) * NEW_PER_YEAR)] = y
    stop = [np.full(n, n_years, dtype=np.int64)]  # first year without revenue
    for y in range(1, n_years):  # clients lost in year y: revenue up to y - 1
        lost = int(round(n * CHURN))
        stop.append(np.full(lost, y, dtype=np.int64))
        start = np.concatenate((start, rng.integers(0, y, lost)))
    stop = np.concatenate(stop)
    perm = rng.permutation(len(start))
    start, stop = start[perm], stop[perm]
    years = np.arange(n_years)
    return (years[None, :] >= start[:, None]) & (years[None, :] < stop[:, None])


def _date_table() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every ISO date of the years, and per year its first index and length."""
    dates, first, length = [], [], []
    for y in YEARS:
        d0 = dt.date(y, 1, 1)
        days = (dt.date(y + 1, 1, 1) - d0).days
        first.append(len(dates))
        length.append(days)
        dates += [(d0 + dt.timedelta(days=k)).isoformat() for k in range(days)]
    return dates, np.array(first), np.array(length)


def generate_arrays(clients: int, lines: int, seed: int) -> dict:
    """All columns as numpy arrays (amounts in integer cents)."""
    rng = np.random.default_rng(seed)
    active = _years_active(rng, clients)
    n = len(active)  # the latest year's clients and those lost before it
    names, groups = _names(rng, n)
    sector = rng.choice(len(SECTORS), size=n, p=SECTOR_WEIGHTS)
    base = np.minimum(rng.pareto(PARETO_SHAPE, n) + 1.0, CAP) * SCALE_CENTS
    growth = rng.lognormal(0.0, 0.25, size=active.shape)
    year_amount = np.maximum(1, (base[:, None] * growth).astype(np.int64)) * active  # (n, years)
    # Client-years with revenue, client-major: each gets at least one line.
    cy_client, cy_year = np.nonzero(active)
    cy_amount = year_amount[cy_client, cy_year]
    if lines < len(cy_client):
        raise ValueError(f"{lines} lines cannot cover {len(cy_client)} client-years with revenue")
    weight = cy_amount.astype(np.float64) ** 0.6
    per_cy = 1 + rng.multinomial(lines - len(cy_client), weight / weight.sum())
    # Lines: split each client-year's amount with exponential weights.
    line_cy = np.repeat(np.arange(len(cy_client)), per_cy)
    starts = np.concatenate(([0], np.cumsum(per_cy)[:-1]))
    w = rng.exponential(size=lines)
    share = w / np.add.reduceat(w, starts)[line_cy]
    revenue = np.floor(cy_amount[line_cy] * share).astype(np.int64)
    revenue[starts] += cy_amount - np.add.reduceat(revenue, starts)  # exact split
    credit = rng.random(lines) < CREDIT_NOTES
    revenue[credit] = -np.maximum(1, revenue[credit] // 3)
    # Products: each client prefers one family for about 60 % of its lines.
    favourite = rng.choice(len(PRODUCTS), size=n, p=PRODUCT_WEIGHTS)
    line_client = cy_client[line_cy]
    product = np.where(rng.random(lines) < 0.6, favourite[line_client],
                       rng.choice(len(PRODUCTS), size=lines, p=PRODUCT_WEIGHTS))
    rate = np.array(PRODUCT_MARGIN)[product] * rng.uniform(0.7, 1.3, lines)
    margin = np.round(revenue * rate).astype(np.int64)
    # Dates spread over each year; lines sorted by client then date (index order).
    _, first, length = _date_table()
    line_year = cy_year[line_cy]
    day = first[line_year] + (rng.random(lines) * length[line_year]).astype(np.int64)
    order = np.lexsort((day, line_client))
    line_client, day, product, revenue, margin, line_year = (
        a[order] for a in (line_client, day, product, revenue, margin, line_year))
    # Yearly aggregates from the lines themselves (exact, in int64).
    bounds = np.concatenate(([0], np.flatnonzero(np.diff(line_client * len(YEARS) + line_year)) + 1))
    amt_client, amt_year = line_client[bounds], line_year[bounds]
    amt_revenue = np.add.reduceat(revenue, bounds)
    amt_margin = np.add.reduceat(margin, bounds)
    # Potentials: about a third not entered; else a multiple of the latest revenue.
    latest = year_amount[:, -1]
    potential = (np.maximum(latest, base.astype(np.int64)) * rng.uniform(1.1, 4.0, n)).astype(np.int64)
    potential[rng.random(n) < 0.35] = -1
    return {
        "name": names, "group": groups, "sector": sector, "potential": potential,
        "line_client": line_client, "line_day": day, "line_product": product,
        "line_revenue": revenue, "line_margin": margin,
        "amt_client": amt_client, "amt_year": amt_year, "amt_revenue": amt_revenue, "amt_margin": amt_margin,
    }


# ---- writing -------------------------------------------------------------
def _euros(cents: np.ndarray) -> list[str]:
    c = cents.astype(np.int64)
    units, rest = np.divmod(np.abs(c), 100)
    sign = np.where(c < 0, "-", "")
    return [f"{s}{u}.{r:02d}" for s, u, r in zip(sign.tolist(), units.tolist(), rest.tolist())]


def _code(i: int) -> str:
    return f"C{i + 1:07d}"


def write_clients_csv(path: Path, a: dict) -> int:
    """The latest year's portfolio (clients with revenue in it)."""
    last = len(YEARS) - 1
    pick = a["amt_year"] == last
    cl, rev = a["amt_client"][pick], a["amt_revenue"][pick]
    pot = a["potential"][cl]
    pot_text = _euros(np.maximum(pot, 0))
    rev_text = _euros(rev)
    names, groups, sector = a["name"], a["group"], a["sector"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "group", "sector", "potential", "revenue"])
        w.writerows(
            (_code(i), names[i], groups[i], SECTORS[s], pt if p >= 0 else "", r)
            for i, s, p, pt, r in zip(cl.tolist(), sector[cl].tolist(), pot.tolist(), pot_text, rev_text)
        )
    return len(cl)


def quoted_clients(g: Generated) -> Path:
    """``clients.csv`` with every field quoted (``"C0000002","SARL …","4617.63"``),
    written once next to it: the same clients, the same cells."""
    if not g.quoted_csv.exists():
        tmp = g.quoted_csv.with_name(g.quoted_csv.name + f".tmp{os.getpid()}")
        with g.clients_csv.open(encoding="utf-8", newline="") as fin, tmp.open("w", encoding="utf-8", newline="") as fout:
            csv.writer(fout, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(csv.reader(fin))
        tmp.rename(g.quoted_csv)
    return g.quoted_csv


def write_sales_csv(path: Path, a: dict, chunk: int = 1_000_000) -> None:
    dates, _, _ = _date_table()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["client_code", "date", "product", "revenue", "margin"])
        for lo in range(0, len(a["line_client"]), chunk):
            sl = slice(lo, lo + chunk)
            w.writerows(zip(
                (_code(i) for i in a["line_client"][sl].tolist()),
                (dates[d] for d in a["line_day"][sl].tolist()),
                (PRODUCTS[p] for p in a["line_product"][sl].tolist()),
                _euros(a["line_revenue"][sl]), _euros(a["line_margin"][sl]),
            ))


def write_workspace(path: Path, a: dict, chunk: int = 1_000_000) -> None:
    """Schema from ``Workspace(path)``, then every table in ONE transaction."""
    from cockpit.store.workspace import Workspace

    ws = Workspace(path, who="bench")
    try:
        # Building a file nobody reads yet: no fsync per page, a big cache.
        ws.db.execute("PRAGMA synchronous=OFF")
        ws.db.execute("PRAGMA cache_size=-400000")
        dates, _, _ = _date_table()
        n = len(a["name"])
        potential = [None if p < 0 else p for p in a["potential"].tolist()]
        with ws.transaction() as db:
            db.executemany(
                "INSERT INTO clients(id, code, name, grp, sector, potential, created) VALUES (?,?,?,?,?,?, '2023-01-01')",
                zip(range(1, n + 1), (_code(i) for i in range(n)), a["name"], a["group"],
                    (SECTORS[s] for s in a["sector"].tolist()), potential),
            )
            lc, ld, lp, lr, lm = (a[k] for k in ("line_client", "line_day", "line_product", "line_revenue", "line_margin"))
            for lo in range(0, len(lc), chunk):
                sl = slice(lo, lo + chunk)
                db.executemany(
                    "INSERT INTO sales(client_id, date, product, revenue, margin) VALUES (?,?,?,?,?)",
                    zip((lc[sl] + 1).tolist(), (dates[d] for d in ld[sl].tolist()),
                        (PRODUCTS[p] for p in lp[sl].tolist()), lr[sl].tolist(), lm[sl].tolist()),
                )
            db.executemany(
                "INSERT INTO amounts(client_id, period, revenue, margin) VALUES (?,?,?,?)",
                zip((a["amt_client"] + 1).tolist(), (str(YEARS[y]) for y in a["amt_year"].tolist()),
                    a["amt_revenue"].tolist(), a["amt_margin"].tolist()),
            )
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        ws.close()


def generate(clients: int, lines: int, seed: int = 42, *, data_dir: Path = DATA_DIR, sales_csv: bool = False,
             quiet: bool = True) -> Generated:
    """The cached data set, generated first if needed."""
    folder = folder_for(clients, lines, seed, data_dir)
    meta_path = folder / "meta.json"
    if meta_path.exists() and (not sales_csv or (folder / "sales.csv").exists()):
        return Generated(folder, clients, lines, seed, json.loads(meta_path.read_text()))
    say = (lambda *_: None) if quiet else (lambda *m: print(*m, file=sys.stderr, flush=True))
    if folder.exists():
        shutil.rmtree(folder)
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    t0 = time.perf_counter()
    a = generate_arrays(clients, lines, seed)
    t1 = time.perf_counter()
    say(f"generate: arrays for {clients:,} clients / {lines:,} lines in {t1 - t0:.1f} s")
    rows = write_clients_csv(tmp / "clients.csv", a)
    t2 = time.perf_counter()
    say(f"generate: clients.csv ({rows:,} rows) in {t2 - t1:.1f} s")
    write_workspace(tmp / "workspace.sqlite", a)
    t3 = time.perf_counter()
    say(f"generate: workspace.sqlite in {t3 - t2:.1f} s")
    if sales_csv:
        write_sales_csv(tmp / "sales.csv", a)
        say(f"generate: sales.csv in {time.perf_counter() - t3:.1f} s")
    last = len(YEARS) - 1
    meta = {
        "clients": clients, "lines": lines, "seed": seed, "generator_version": GENERATOR_VERSION,
        "years": [str(y) for y in YEARS], "csv_rows": rows,
        "clients_in_latest_year": int(np.count_nonzero(a["amt_year"] == last)), "clients_in_table": len(a["name"]),
        "revenue_by_year": {str(YEARS[y]): int(a["amt_revenue"][a["amt_year"] == y].sum()) for y in range(len(YEARS))},
        "seconds": {"arrays": round(t1 - t0, 2), "clients_csv": round(t2 - t1, 2), "workspace": round(t3 - t2, 2)},
    }
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
    tmp.rename(folder)
    return Generated(folder, clients, lines, seed, meta)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=10_000)
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--sales-csv", action="store_true", help="also write the sales lines as CSV")
    p.add_argument("--quoted", action="store_true", help="also write clients_quoted.csv (every field quoted)")
    args = p.parse_args(argv)
    g = generate(args.clients, args.lines, args.seed, sales_csv=args.sales_csv, quiet=False)
    if args.quoted:
        quoted_clients(g)
    print(g.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
