"""Workspace schema, one list of statements per version (PRAGMA user_version).

Amounts are integer cents; dates ISO text; every editable row has a version.
Never edit a published migration: append a new one.
"""

MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE clients(
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            grp TEXT NOT NULL DEFAULT '',
            sector TEXT NOT NULL DEFAULT '',
            potential INTEGER,
            created TEXT NOT NULL DEFAULT (date('now')),
            version INTEGER NOT NULL DEFAULT 1)""",
        """CREATE TABLE sales(
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            date TEXT NOT NULL,
            product TEXT NOT NULL,
            revenue INTEGER NOT NULL,
            margin INTEGER)""",
        "CREATE INDEX sales_by_client ON sales(client_id, date)",
        # Per-client, per-period aggregates: what the portfolio ranks and edits.
        """CREATE TABLE amounts(
            client_id INTEGER NOT NULL REFERENCES clients(id),
            period TEXT NOT NULL,
            revenue INTEGER NOT NULL DEFAULT 0,
            margin INTEGER,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(client_id, period)) WITHOUT ROWID""",
        "CREATE INDEX amounts_by_period ON amounts(period)",
        """CREATE TABLE prospects(
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            function TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL DEFAULT 'suspect',
            has_project INTEGER NOT NULL DEFAULT 0,
            last_purchase TEXT,
            potential INTEGER,
            next_action TEXT NOT NULL DEFAULT '',
            next_action_date TEXT,
            notes TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL DEFAULT (date('now')),
            client_id INTEGER REFERENCES clients(id),
            version INTEGER NOT NULL DEFAULT 1)""",
        """CREATE TABLE stage_history(
            prospect_id INTEGER NOT NULL,  -- no cascade: an undone delete finds its history
            stage TEXT NOT NULL,
            date TEXT NOT NULL)""",
        "CREATE INDEX stage_history_by_prospect ON stage_history(prospect_id, date)",
        """CREATE TABLE qualification(
            prospect_id INTEGER NOT NULL,  -- no cascade: an undone delete finds its scores
            criterion TEXT NOT NULL,
            score REAL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(prospect_id, criterion)) WITHOUT ROWID""",
        """CREATE TABLE activity(
            rep TEXT NOT NULL,
            period TEXT NOT NULL,
            indicator TEXT NOT NULL,
            value REAL,
            target REAL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(rep, period, indicator)) WITHOUT ROWID""",
        """CREATE TABLE visits(
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            rep TEXT NOT NULL,
            client_id INTEGER REFERENCES clients(id),
            prospect_id INTEGER REFERENCES prospects(id),
            kind TEXT NOT NULL,
            outcome TEXT NOT NULL)""",
        # Undo/redo survive restarts because they live here; who/when for audit.
        """CREATE TABLE journal(
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            who TEXT NOT NULL,
            entity TEXT NOT NULL,
            row_key TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped')))""",
        "CREATE INDEX journal_by_who ON journal(who, state, seq)",
    ],
    [
        # The (name, id) order is the ABC tie-break: read from this index, not sorted in Python.
        "CREATE INDEX IF NOT EXISTS clients_by_name ON clients(name, id)",
        # Workspace-wide settings, e.g. kind = 'team' for a shared workspace.
        "CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    [
        # Group codes come from this index (ids in group order), not from sorting a million strings.
        "CREATE INDEX IF NOT EXISTS clients_by_group ON clients(grp, id)",
        # A period's amounts straight from one index range, without a lookup per client.
        "CREATE INDEX IF NOT EXISTS amounts_by_period_cover ON amounts(period, client_id, revenue, margin, version)",
        "DROP INDEX IF EXISTS amounts_by_period",
    ],
    [
        # METHOD §1: ties go by (name, code as text), never by the order rows were entered.
        "CREATE INDEX IF NOT EXISTS clients_by_name_code ON clients(name, code)",
        "DROP INDEX IF EXISTS clients_by_name",
        # The importer used to copy the name into an empty group, so namesakes merged: a group whose
        # every member is named after it was such a copy; those clients are groups of their own again.
        """UPDATE clients SET grp = '' WHERE grp = name AND NOT EXISTS (
            SELECT 1 FROM clients other WHERE other.grp = clients.grp AND other.name <> other.grp)""",
    ],
    [
        # Undo takes a unit of work whole (a win, a what-if, an import's barrier); older rows are a unit each.
        "ALTER TABLE journal ADD COLUMN unit INTEGER",
    ],
    [
        # METHOD §8, a team: reps (the login is the OS account on SQLite) and the owner of every
        # client and prospect. Rows from before have no owner until a rep is named (cockpit rep).
        """CREATE TABLE IF NOT EXISTS reps(
            login TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'manager')),
            active INTEGER NOT NULL DEFAULT 1,
            version INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID""",
        "ALTER TABLE clients ADD COLUMN owner TEXT REFERENCES reps(login)",
        "ALTER TABLE prospects ADD COLUMN owner TEXT REFERENCES reps(login)",
        "CREATE INDEX IF NOT EXISTS clients_by_owner ON clients(owner, id)",
        "CREATE INDEX IF NOT EXISTS prospects_by_owner ON prospects(owner, id)",
    ],
    [
        # METHOD §7, from diagnosis to action: the client's card (city, contact person), its action plan
        # (next action, its date, notes) and the rep's answers to its zone's questions (one row per question).
        "ALTER TABLE clients ADD COLUMN city TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE clients ADD COLUMN contact TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE clients ADD COLUMN next_action TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE clients ADD COLUMN next_action_date TEXT",
        "ALTER TABLE clients ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE IF NOT EXISTS zone_answers(
            client_id INTEGER NOT NULL,  -- no cascade: an undone client delete finds its answers
            question TEXT NOT NULL,  -- zone.question key, e.g. 'developpement.concurrence'
            answer TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(client_id, question)) WITHOUT ROWID""",
        # prospects.client_id is the client a won prospect became; a win-back prospect keeps the lost
        # client it comes from apart, so winning it back links both ways without confusion.
        "ALTER TABLE prospects ADD COLUMN quote_amount INTEGER",
        "ALTER TABLE prospects ADD COLUMN expected_signing TEXT",
        "ALTER TABLE prospects ADD COLUMN won_back_from INTEGER REFERENCES clients(id)",
        # A logged contact says what was said (its note); a version lets the editor correct a visit like any row.
        "ALTER TABLE visits ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE visits ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        # The last contact per client or prospect (rhythm, dormancy, the card's timeline) from one index range.
        "CREATE INDEX IF NOT EXISTS visits_by_client ON visits(client_id, date)",
        "CREATE INDEX IF NOT EXISTS visits_by_prospect ON visits(prospect_id, date)",
    ],
]
