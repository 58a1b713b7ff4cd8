"""The functions that run with the definer's rights on PostgreSQL (METHOD §8):
a rep's role reads only their own rows, yet some figures are the team's — the
stage probabilities, the team's average activity, the team's counts, the
ranking where everyone sees it — and a rep's import must know a client's name
is taken. Each gives only what its figure needs (no name where none is shown),
to the team's roles only (``GRANTED``).

``schema.py`` holds the migrations that create them; their SQL is here when it
is shared or long."""

from __future__ import annotations

# Each rep's indicators and score per month, quarter and year, as cockpit/activity/score.py computes them: a rep's
# month is the weighted mean of the sub-criteria with a value (``weights``: {indicator: {criterion: weight}}), else
# its own; their period, the mean of their months; every mean exact over the values as written (shortest decimal:
# extra_float_digits = 1), kept as a float where the cockpit keeps one. 40 decimals round a non-terminating mean to
# the same float as the exact one. ``per_rep``: (rep, period, ind, v); ``scored``: (rep, period, 'score', v).
PER_REP = r"""WITH w AS (SELECT s.key AS ind, c.key AS crit, c.value::text::numeric AS weight
                       FROM json_each(weights::json) s, json_each(s.value) c),
            cell AS (SELECT a.rep, a.period AS month, a.indicator AS field, a.value::text::numeric AS v
                     FROM activity a WHERE a.value IS NOT NULL),
            weighed AS (SELECT c.rep, c.month, w.ind,
                               (round(sum(w.weight * c.v), 40) / sum(w.weight))::float8::text::numeric AS v
                        FROM cell c JOIN w ON c.field = w.ind || '.' || w.crit GROUP BY c.rep, c.month, w.ind),
            monthly AS (  -- joins, not a subquery per rep and month: linear in the rows
                SELECT coalesce(s.rep, o.rep) AS rep, coalesce(s.month, o.month) AS month,
                       coalesce(s.ind, o.field) AS ind, coalesce(s.v, o.v) AS v
                FROM weighed s FULL JOIN (SELECT * FROM cell WHERE field IN ('activite', 'efficacite', 'orientation')) o
                ON o.rep = s.rep AND o.month = s.month AND o.field = s.ind),
            within AS (  -- each month in its month, its quarter and its year
                SELECT m.month, p.period FROM (SELECT DISTINCT month FROM cell) m
                CROSS JOIN LATERAL (VALUES (m.month),
                    (CASE WHEN m.month ~ '^\d{4}-\d{2}$'
                          THEN substr(m.month, 1, 4) || '-Q' || ((substr(m.month, 6, 2)::int + 2) / 3) END),
                    (CASE WHEN m.month ~ '^\d{4}-\d{2}$' THEN substr(m.month, 1, 4) END)) p(period)
                WHERE p.period IS NOT NULL),
            per_rep AS (
                SELECT m.rep, p.period, m.ind, (round(sum(m.v), 40) / count(*))::float8 AS v
                FROM monthly m JOIN within p ON p.month = m.month WHERE m.v IS NOT NULL
                GROUP BY m.rep, p.period, m.ind),
            scored AS (  -- a rep's score: the product of their three, in the cockpit's order
                SELECT rep, period, 'score' AS ind, max(v) FILTER (WHERE ind = 'activite')
                    * max(v) FILTER (WHERE ind = 'efficacite') * max(v) FILTER (WHERE ind = 'orientation') AS v
                FROM per_rep GROUP BY rep, period HAVING count(*) = 3)
"""

# PG_MIGRATIONS[6]: the team's means per period of each indicator and of the score over the reps who have one, and
# how many; no name. No JIT: compiling took two thirds of a 3 s call over 60 000 rows.
ACTIVITY_AVERAGE = r"""CREATE OR REPLACE FUNCTION cockpit_activity_average(weights TEXT)
            RETURNS TABLE(period TEXT, indicator TEXT, average NUMERIC, reps BIGINT) LANGUAGE sql STABLE
            SECURITY DEFINER SET search_path = public, pg_temp SET extra_float_digits = 1
            SET jit = off
            AS $$
            """ + PER_REP + r"""            SELECT x.period, x.ind, round(sum(x.v::text::numeric), 40) / count(*), count(*)
            FROM (SELECT * FROM per_rep UNION ALL SELECT * FROM scored) x
            GROUP BY x.period, x.ind ORDER BY x.period, x.ind $$"""

# The workspace ranks everyone (``[activity] ranking``, a shared setting: a rep's own config.toml never says it).
_EVERYONE = "(SELECT s.value::json #>> '{activity,ranking}' FROM settings s WHERE s.key = 'figures') = 'everyone'"

TEAM_FIGURES = [
    # How many clients and prospects each rep owns (NULL: nobody), for ``cockpit rep list``: counts, no row.
    """CREATE OR REPLACE FUNCTION cockpit_team_counts()
        RETURNS TABLE(owner TEXT, clients BIGINT, prospects BIGINT) LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp
        AS $$ SELECT o.owner, count(*) FILTER (WHERE o.clients), count(*) FILTER (WHERE NOT o.clients)
              FROM (SELECT owner, true AS clients FROM clients UNION ALL SELECT owner, false FROM prospects) o
              GROUP BY o.owner $$""",
    # Where the workspace ranks everyone, each rep's score per period (NULL period: a rep the book knows, from an
    # activity row or a visit, ranked last where they have no score), so a rep's row has its place in the whole
    # team's ranking as on SQLite; elsewhere nothing: the ranking of named reps is the managers'.
    r"""CREATE OR REPLACE FUNCTION cockpit_activity_scores(weights TEXT)
        RETURNS TABLE(rep TEXT, period TEXT, score FLOAT8) LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public, pg_temp SET extra_float_digits = 1
        SET jit = off
        AS $$
        """ + PER_REP + f"""
        SELECT x.rep, x.period, x.v FROM (SELECT rep, period, v FROM scored
            UNION ALL SELECT k.rep, NULL, NULL FROM (SELECT a.rep FROM activity a UNION SELECT v.rep FROM visits v) k) x
        WHERE {_EVERYONE} ORDER BY 1, 2 $$""",
]

# Every definer function, by signature: its EXECUTE is the team's roles' alone (PostgreSQL grants a new one to PUBLIC).
GRANTED = ("cockpit_prospect_holders(text)", "cockpit_funnel_history()", "cockpit_activity_average(text)",
           "cockpit_team_counts()", "cockpit_activity_scores(text)", "cockpit_client_names(text[])")
