"""The PostgreSQL backend (issue 13, item 4): the same tables as the SQLite
workspace, row-level security per rep, LISTEN/NOTIFY for others' commits,
moving a SQLite workspace up, and reading a portfolio in bulk (COPY)."""
