"""Deterministic generator of the cockpit's sample data.

Reads seed-portfolio.csv (the deck's 45-client table, beside this file) and
writes clients, sales, prospects, stage_history, qualification, activity and
visits CSVs. Fixed seed, stdlib only: the same run gives byte-identical files.

    .venv/bin/python sample_data/make_sample.py [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20101  # the deck is from 2010
CENT = Decimal("0.01")
YEARS = (2023, 2024, 2025)
PRODUCTS = ["Sanitaire", "Chauffage", "Plomberie", "Climatisation", "Outillage"]
GROUP_PREFIXES = ["LORFLEX", "VF CONFORT", "MILER", "CEDEO", "BROSSETTE"]
SECTORS = {  # sector -> name prefixes of the seed accounts
    "Négoce sanitaire-chauffage": ["CEDEO", "BROSSETTE", "MILER", "DISTRIPRO", "COMPTOIR DU BAT",
                                   "DIMEX", "SODIAM", "RESEAU PRO", "SANIDOM"],
    "Industrie": ["LORFLEX", "VF CONFORT", "MEGNIN", "DUPONT SAS"],
    "Grande distribution bricolage": ["MEQUISA", "BATY NANCY", "WEBER"],
    "Collectivités": ["RPH", "AQUA SERVICES", "VACAPE"],
    "Installateur": ["ANDREZ-BRAJON", "CMPM", "MARICE JACQUES", "POMPAC", "SANITHERM METZ",
                     "THERMIQUE LORRAINE", "PLOMBERIE VOSGIENNE", "HYDRO EST", "CLIMATEC",
                     "ETS MARTIN", "CONFORT 88", "CHAUFFAGE ARDENNES", "THERMICONFORT"],
}
PRODUCT_WEIGHTS = {  # sector -> weight of each product family
    "Négoce sanitaire-chauffage": [4, 4, 3, 2, 1], "Industrie": [1, 2, 4, 2, 3],
    "Grande distribution bricolage": [4, 1, 2, 1, 4], "Collectivités": [4, 3, 3, 1, 1],
    "Installateur": [3, 5, 3, 2, 1],
}
# Portfolio dynamics, by seed rank (accounts C001..C045).
NEW_2025 = [16, 25, 32, 38, 45]     # no line before 2025
NEW_2024 = [22, 35, 40]             # no line in 2023
RETURNING = 33                      # lines in 2023 and 2025, none in 2024
NEGATIVE_2024 = 43                  # credit note exceeds 2024 sales
NO_POTENTIAL = [24, 31, 36, 41]     # "potentiel à renseigner"
POTENTIAL = {2: 177700, 4: 163800,  # near 100 % share of wallet
             12: 150000, 22: 75000, 30: 90000, 34: 60000, 40: 120000}  # small now, big later
# Lost accounts (C046...): name, sector, revenue of their last year, years with lines, potential.
LOST = [
    ("SANITAIRE DU BARROIS", "Négoce sanitaire-chauffage", 6800, (2023, 2024), 15000),
    ("ETS GERARD ET FILS", "Installateur", 2450, (2023, 2024), 6000),
    ("CHAUFFAGE SERVICE METZ", "Installateur", 11900, (2023, 2024), 30000),
    ("THERMOLUX NANCY", "Installateur", 1380, (2024,), 8000),
    ("CLIMAT BOURGOGNE", "Négoce sanitaire-chauffage", 3900, (2023, 2024), 12000),
    ("DISTRIBAINS LANGRES", "Négoce sanitaire-chauffage", 4200, (2023,), 9000),
    ("OPH DE LA MEUSE", "Collectivités", 2900, (2023,), 20000),
    ("ETS PERRIN CHAUMONT", "Installateur", 760, (2023,), 3000),
]
STAGES = ["suspect", "prospect", "froid", "tiede", "chaud", "negociation", "client", "fidele"]
STAGE_COUNTS = [14, 12, 10, 8, 6, 4, 3, 2]
LOST_PROSPECTS = 3
SOURCES = ["fichier", "communication", "réseau", "recommandation", "ricochet"]
TOWNS = [("Nancy", "83"), ("Metz", "87"), ("Reims", "26"), ("Épinal", "29"), ("Dijon", "80"),
         ("Troyes", "25"), ("Thionville", "82"), ("Verdun", "29"), ("Beaune", "80"),
         ("Charleville", "24"), ("Chalon", "85"), ("Saint-Dié", "29"), ("Lunéville", "83")]
TRADES = ["Plomberie", "Chauffage", "Sanitaire", "Thermique", "Climatisation", "Énergies",
          "Bains et Confort", "Négoce"]
SURNAMES = ["Schmitt", "Muller", "Klein", "Weber", "Meyer", "Hoffmann", "Kieffer", "Thiriet",
            "Colin", "Mathieu", "Gérard", "Perrin", "Lambert", "Marchal", "Henry", "Didier",
            "Humbert", "Vautrin", "Jacquot", "Bertrand", "Roussel", "Guillaume", "Fournier",
            "Girard", "Bonnet", "Lefèvre", "Chevalier", "Masson", "Renaud", "Husson", "Aubry",
            "Noël", "Picard", "Poirot", "Leclerc", "Barbier"]
FIRST_NAMES = ["Jean", "Marie", "Pierre", "Sophie", "Nicolas", "Isabelle", "Laurent", "Nathalie",
               "Julien", "Céline", "Stéphane", "Aurélie", "Thierry", "Sandrine", "Olivier",
               "Émilie", "François", "Camille", "Mathieu", "Hélène", "Patrick", "Virginie",
               "Sébastien", "Élodie", "Christophe", "Anne", "Guillaume", "Delphine"]
FUNCTIONS = ["Gérant", "Responsable achats", "Directeur technique", "Conducteur de travaux",
             "Directeur d'agence", "Responsable d'exploitation", "Chef d'entreprise"]
NEXT_ACTIONS = {"suspect": ["Qualifier le contact", "Appeler"],
                "prospect": ["Appeler", "Envoyer documentation"],
                "froid": ["Rappeler", "Envoyer documentation"], "tiede": ["Visite", "Rappeler"],
                "chaud": ["Envoyer devis", "Visite"], "negociation": ["Relancer devis", "Négocier conditions"],
                "client": ["Suivi première commande"], "fidele": ["Visite de courtoisie", "Revue annuelle"],
                "perdu": ["Recontacter dans 6 mois"]}
NOTES = ["Chantiers surtout en rénovation", "Travaille avec un concurrent depuis 10 ans",
         "Intéressé par les pompes à chaleur", "Demande des délais de livraison courts",
         "Rencontré au salon de Metz", "Projet d'agrandissement du dépôt", "Sensible au prix",
         "Recommandé par un client", "Équipe de 12 compagnons", "Gros chantier collectif en 2027",
         "", "", ""]
BRACKET_NOTES = ["client [EU] export", "[urgent] devis chaudière à revoir"]
CRITERIA = ["taille", "projet", "dernier_achat", "potentiel", "connaissance", "receptivite", "moment"]
FROM_RECORD = {"projet", "dernier_achat", "potentiel"}  # scored from has_project, last_purchase, potential
REPS = ["Claire Martin", "Julien Lefèvre", "Sophie Girard", "Thomas Schneider"]
# The team (METHOD §8): the four reps by their login, and their manager.
TEAM = [["claire", "Claire Martin", "rep"], ["julien", "Julien Lefèvre", "rep"], ["sophie", "Sophie Girard", "rep"],
        ["thomas", "Thomas Schneider", "rep"], ["nathalie", "Nathalie Roux", "manager"]]
PERIODS = [f"2026-{m:02d}" for m in range(6, 12)]
TODAY = dt.date(2026, 11, 29)  # the reference date of the reminders


def money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(CENT))


def to_cents(euros: Decimal) -> int:
    return int((euros * 100).to_integral_value())


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_.lower() if c.isalnum())


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def write(out: Path, name: str, header: list[str], rows: list[list]) -> None:
    with open(out / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def split(total: int, n: int, rng: random.Random) -> list[int]:
    """Split total cents into n parts (each non-zero) that add up exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def line_count(cents: int, rng: random.Random) -> int:
    euros = abs(cents) // 100
    if euros >= 50000:
        return rng.randint(12, 20)
    if euros >= 10000:
        return rng.randint(6, 12)
    if euros >= 3000:
        return rng.randint(3, 6)
    return rng.randint(1, 4)


def sales_lines(code, year, total, sector, rng):
    """Lines of one client for one year whose revenue adds up to total cents."""
    n = line_count(total, rng)
    days = sorted(rand_date(rng, dt.date(year, 1, 2), dt.date(year, 12, 22)) for _ in range(n))
    rows = []
    for day, cents in zip(days, split(total, n, rng)):
        product = rng.choices(PRODUCTS, PRODUCT_WEIGHTS[sector])[0]
        rate = Decimal(rng.randint(1500, 3500)) / 10000  # 15-35 %
        margin = int((cents * rate).to_integral_value())
        rows.append([code, day.isoformat(), product, money(cents), money(margin)])
    return rows


def make_clients_and_sales(seed_rows, rng):
    clients, sales = [], []
    for row in seed_rows:
        rank, name = int(row["rank"]), row["name"]
        code = f"C{rank:03d}"
        group = next((p for p in GROUP_PREFIXES if name.startswith(p)), name)
        sector = next(s for s, names in SECTORS.items() if any(name.startswith(p) for p in names))
        cents = to_cents(Decimal(row["revenue"]))
        if rank in NO_POTENTIAL:
            potential = ""
        elif rank in POTENTIAL:
            potential = str(POTENTIAL[rank])
        else:  # share of wallet 20-100 %, potential rounded up to 100 euros
            share = rng.uniform(0.2, 1.0)
            potential = str(-(-int(cents / 100 / share) // 100) * 100)
        clients.append([code, name, group, sector, potential])
        totals = {2025: cents}
        totals[2024] = int(cents * rng.uniform(0.75, 1.3))
        totals[2023] = int(totals[2024] * rng.uniform(0.75, 1.3))
        if rank in NEW_2025:
            del totals[2024], totals[2023]
        elif rank in NEW_2024:
            del totals[2023]
        elif rank == RETURNING:
            del totals[2024]
        for year in YEARS:
            if rank == NEGATIVE_2024 and year == 2024:
                sales += sales_lines(code, 2024, 38000, sector, rng)
                sales.append([code, "2024-10-14", "Chauffage", "-1150.00", "-287.50"])
            elif year in totals:
                sales += sales_lines(code, year, totals[year], sector, rng)
    for i, (name, sector, last, years, potential) in enumerate(LOST, start=len(seed_rows) + 1):
        code = f"C{i:03d}"
        clients.append([code, name, name, sector, str(potential)])
        cents = last * 100
        for year in reversed(years):
            sales += sales_lines(code, year, cents, sector, rng)
            cents = int(cents * rng.uniform(0.75, 1.3))
    sales.sort(key=lambda r: (r[1], r[0]))
    return clients, sales


def make_prospects(rng):
    stages = [s for s, n in zip(STAGES, STAGE_COUNTS) for _ in range(n)] + ["perdu"] * LOST_PROSPECTS
    names, prospects, history, quals = [], [], [], []
    surnames = rng.sample(SURNAMES, len(SURNAMES))
    while len(names) < len(stages):
        town = rng.choice(TOWNS)
        surname = surnames[len(names) % len(surnames)]
        pattern = rng.randint(0, 3)
        company = [f"SARL {rng.choice(TRADES)} {surname}", f"{rng.choice(TRADES)} {surname} {town[0]}",
                   f"Ets {surname} et Fils", f"{surname} {rng.choice(TRADES)} Services"][pattern]
        if company not in [n for n, _ in names]:
            names.append((company, town))
    notes = [rng.choice(NOTES) for _ in stages]
    for i, pos in enumerate(rng.sample(range(len(stages)), len(BRACKET_NOTES))):
        notes[pos] = BRACKET_NOTES[i]
    for (company, (town, area)), stage, note in zip(names, stages, notes):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if stage == "perdu":
            path = STAGES[:rng.randint(3, 5)] + ["perdu"]
        else:
            path = STAGES[:STAGES.index(stage) + 1]
        gaps = [rng.randint(3, 35) for _ in path[1:]]
        end = rand_date(rng, dt.date(2026, 10, 1), dt.date(2026, 11, 28))
        day = end - dt.timedelta(days=sum(gaps))
        created = day
        for st, gap in zip(path, [0] + gaps):
            day += dt.timedelta(days=gap)
            history.append([company, st, day.isoformat()])
        level = STAGES.index(path[-2] if stage == "perdu" else stage)
        has_project = "oui" if rng.random() < 0.2 + level * 0.1 else "non"
        bought = stage != "suspect" and rng.random() < 0.7
        last_purchase = rand_date(rng, dt.date(2019, 1, 1), created).isoformat() if bought else ""
        potential = "" if stage == "suspect" else str(rng.randint(10, 240) * 500)
        action, action_date = rng.choice(NEXT_ACTIONS[stage]), rand_date(
            rng, dt.date(2026, 11, 15), dt.date(2026, 12, 20)).isoformat()
        if len(prospects) % 9 == 4:  # a few reminders due on the reference day
            action_date = TODAY.isoformat()
        if stage == "perdu" and not any(p[7] == "perdu" for p in prospects):
            action, action_date = "", ""  # one lost prospect with no reminder at all
        if rng.random() < 0.8:  # landline of the town's area, else a mobile
            phone = f"03 {area} "
        else:
            phone = f"{rng.choice(['06', '07'])} {rng.randint(10, 99)} "
        phone += " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
        domain = slug(company.removeprefix("SARL ").removeprefix("Ets "))[:20]
        email = f"{slug(first)}.{slug(last)}@{domain}.fr"
        prospects.append([company, first, last, rng.choice(FUNCTIONS), email, phone,
                          rng.choices(SOURCES, [4, 2, 3, 3, 2])[0], stage, has_project,
                          last_purchase, potential, action, action_date,
                          note, created.isoformat()])
        if level >= STAGES.index("froid"):  # qualified prospects: one base per axis
            bases = [rng.randint(0, 4), rng.randint(0, 4)]
            for k, crit in enumerate(CRITERIA):
                score = bases[k >= 4] + rng.randint(-1, 1) + level // 4  # drawn for all: the same later draws
                if crit not in FROM_RECORD:  # the record answers those (METHOD §5): no score to contradict it
                    quals.append([company, crit, max(0, min(5, score))])
    return prospects, history, quals


# Two prospects written out, not drawn (the draws above stay as they were):
# one call-first with nothing planned, one idle since 2025, so the rep's day
# has every kind of line. Named to sort last: the reps in turn keep their
# prospects (cockpit.store.loading gives the uncontacted ones in company order).
EXTRA_PROSPECTS = [
    ["Zeller Chauffage Services", "Bruno", "Zeller", "Chef d'entreprise", "bruno.zeller@zellerchauffage.fr",
     "03 83 41 27 90", "recommandation", "tiede", "oui", "2025-10-14", "96000", "", "", "Projet de rénovation de trois "
     "sites", "2026-09-07"],
    ["Zimmer Sanitaire Épinal", "Lucie", "Zimmer", "Gérant", "lucie.zimmer@zimmersanitaire.fr", "03 29 64 18 52",
     "fichier", "prospect", "non", "", "18000", "", "", "Plus de nouvelles depuis le printemps 2025", "2025-02-10"],
]
EXTRA_HISTORY = [["Zeller Chauffage Services", "suspect", "2026-09-07"], ["Zeller Chauffage Services", "prospect", "2026-09-21"],
                 ["Zeller Chauffage Services", "froid", "2026-10-12"], ["Zeller Chauffage Services", "tiede", "2026-11-09"],
                 ["Zimmer Sanitaire Épinal", "suspect", "2025-02-10"], ["Zimmer Sanitaire Épinal", "prospect", "2025-03-24"]]
EXTRA_QUALIFICATION = [["Zeller Chauffage Services", crit, 5] for crit in CRITERIA if crit not in FROM_RECORD]


def make_activity(rng):
    rows = []
    for rep in REPS:
        targets = [f"{rng.uniform(7, 8):.1f}" for _ in range(3)]
        values, series = [rng.uniform(4, 8) for _ in range(3)], []
        for _ in PERIODS:
            values = [min(10.0, max(0.0, v + rng.uniform(-0.8, 0.9))) for v in values]
            series.append(values)
        if rep == "Claire Martin":  # shift so that 2026-11 is the deck's 7 x 6 x 5 = 210
            shift = [t - v for t, v in zip((7.0, 6.0, 5.0), series[-1])]
            series = [[min(10.0, max(0.0, v + d)) for v, d in zip(vals, shift)] for vals in series]
        for period, vals in zip(PERIODS, series):
            rows.append([rep, period] + [f"{v:.1f}" for v in vals] + targets)
    return rows


def make_visits(rng, clients, prospects, n=300):
    codes = [c[0] for c in clients[:45]]
    weights = [1 / (1 + i) ** 0.5 for i in range(len(codes))]  # big clients get more contacts
    companies = [p[0] for p in prospects if p[7] != "suspect"]
    days = [d for d in (dt.date(2026, 9, 1) + dt.timedelta(i) for i in range(88)) if d.weekday() < 5]
    rows = []
    for _ in range(n):
        rep = rng.choices(REPS, [4, 3, 3, 2])[0]
        kind = "visite" if rng.random() < 0.4 else "appel"
        if rng.random() < 0.6:
            code, prospect = rng.choices(codes, weights)[0], ""
            outcome = rng.choices(["commande", "rdv", "rien"], [5, 1, 4] if kind == "visite" else [3, 2, 5])[0]
        else:
            code, prospect = "", rng.choice(companies)
            outcome = rng.choices(["commande", "rdv", "rien"], [1, 3, 6] if kind == "visite" else [1, 4, 8])[0]
        rows.append([rng.choice(days).isoformat(), rep, code, prospect, kind, outcome])
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


# Issue 15 (from diagnosis to action) draws from its own generator, so the files above stay
# byte-identical: the clients' town and contact person, their next actions, the rep's answers to
# a few zone questions, and the contact history of 2025 to August 2026 (before visits.csv's log).
ACTION_SEED = SEED + 15
CLIENT_ACTIONS = ["Revue annuelle des prix", "Présenter la gamme pompes à chaleur", "Relancer le devis chaudière",
                  "Visite du dépôt", "Point sur les délais de livraison", "Proposer un contrat cadre"]
CLIENT_NOTES = ["Acheteur changé en septembre", "Compare avec un concurrent sur le sanitaire",
                "Souhaite une visite par trimestre", "Paie à 60 jours", "", "", ""]
ANSWERS = [("C001", "fond_de_commerce.achat", "La gamme chauffage et la livraison sous 24 h"),
           ("C001", "fond_de_commerce.satisfaction", "Satisfait, réclamation sur les délais en mars"),
           ("C012", "developpement.concurrence", "Cedeo a 60 % de ses achats sanitaires"),
           ("C012", "developpement.moyens", "Une visite par mois et un devis groupé"),
           ("C030", "developpement.opportunites", "Rénovation de 200 logements en 2027")]


def owners_by_contacts(visits, codes):
    """The sample's owner rule (cockpit.store.loading._sample_team): the rep with most contacts."""
    count = defaultdict(Counter)
    for row in visits:
        if row[2]:
            count[row[2]][row[1]] += 1
    logins = {name: login for login, name, _ in TEAM}
    return {c: min(count[c], key=lambda r: (-count[c][r], logins[r])) for c in codes if count[c]}


def add_client_details(rng, clients):
    """Town and contact person per client, as the two last columns of clients.csv."""
    return [c + [rng.choice(TOWNS)[0], f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"] for c in clients]


def make_client_actions(rng, clients):
    """Next actions of a dozen current clients: some overdue, some due on the reference day, some ahead."""
    rows = []
    for i, c in enumerate(rng.sample(clients[:45], 12)):
        when = TODAY if i % 4 == 0 else TODAY + dt.timedelta(days=rng.randint(-20, 25))
        rows.append([c[0], rng.choice(CLIENT_ACTIONS), when.isoformat(), rng.choice(CLIENT_NOTES)])
    return sorted(rows)


def make_history(rng, clients, visits, n=420):
    """Contacts of 2025-01 to 2026-08 with the clients the log already knows, each by its owner
    (so owners stay as they were); C clients keep taking about 40 % of them."""
    owner = owners_by_contacts(visits, [c[0] for c in clients[:45]])
    codes = sorted(owner)
    weights = [int(code[1:]) ** -0.5 for code in codes]  # big clients get more contacts, as in make_visits
    days = [d for d in (dt.date(2025, 1, 2) + dt.timedelta(i) for i in range(607)) if d.weekday() < 5]
    rows = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        kind = "visite" if rng.random() < 0.4 else "appel"
        outcome = rng.choices(["commande", "rdv", "rien"], [5, 1, 4] if kind == "visite" else [3, 2, 5])[0]
        rows.append([rng.choice(days).isoformat(), owner[code], code, "", kind, outcome])
    return sorted(rows, key=lambda r: (r[0], r[1]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: beside this script)")
    parser.add_argument("--seed-file", type=Path, default=HERE / "seed-portfolio.csv")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.seed_file, newline="", encoding="utf-8") as fh:
        seed_rows = list(csv.DictReader(fh))
    rng = random.Random(SEED)
    clients, sales = make_clients_and_sales(seed_rows, rng)
    prospects, history, quals = make_prospects(rng)
    activity = make_activity(rng)
    visits = make_visits(rng, clients, prospects)
    more = random.Random(ACTION_SEED)
    earlier = make_history(more, clients, visits)
    prospects, history, quals = prospects + EXTRA_PROSPECTS, history + EXTRA_HISTORY, quals + EXTRA_QUALIFICATION
    write(args.out, "clients.csv", ["code", "name", "group", "sector", "potential", "city", "contact"],
          add_client_details(more, clients))
    write(args.out, "sales.csv", ["client_code", "date", "product", "revenue", "margin"], sales)
    write(args.out, "prospects.csv",
          ["company", "first_name", "last_name", "function", "email", "phone", "source", "stage",
           "has_project", "last_purchase", "potential", "next_action", "next_action_date", "notes",
           "created"], prospects)
    write(args.out, "stage_history.csv", ["company", "stage", "date"], history)
    write(args.out, "qualification.csv", ["company", "criterion", "score"], quals)
    write(args.out, "activity.csv",
          ["rep", "period", "activite", "efficacite", "orientation", "target_activite",
           "target_efficacite", "target_orientation"], activity)
    write(args.out, "visits.csv", ["date", "rep", "client_code", "prospect", "kind", "outcome"], earlier + visits)
    write(args.out, "client_actions.csv", ["code", "next_action", "next_action_date", "notes"],
          make_client_actions(more, clients))
    write(args.out, "zone_answers.csv", ["code", "question", "answer"], ANSWERS)
    write(args.out, "reps.csv", ["login", "name", "role"], TEAM)


if __name__ == "__main__":
    main()
