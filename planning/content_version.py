"""The content version: one number that the database raises whenever plan content changes
(issue 17; docs/decisions/page-cache.md).

Parts of pages that are the same for many readers (the scorecard, the KPI list, the plan
page, the objectives table, an item's particulars) are cached under this number
(planning.page_cache). It is raised by triggers on every content table, not by our services,
because content is written by many paths (forms, imports, the admin, roll forward, the demo
loader, a shell) and a trigger cannot be forgotten by a new one. The triggers are (re)installed
after every ``migrate`` (planning.apps), so a new table or column is covered without a
migration of its own; a test checks that every table is.

On PostgreSQL they are constraint triggers, DEFERRABLE INITIALLY DEFERRED: the single row is
updated, and so locked, only as the writing transaction commits, and once per transaction, so
two writers never wait on it in the middle of their work and cannot deadlock over it. Tests run
inside a transaction that is rolled back, never committed, so there
(WAYMARK_CONTENT_VERSION_DEFERRED = False) they fire at once and move a sequence instead. SQLite
runs one writer at a time; its triggers fire at once.

Why a reader can never cache stale content: it reads the number before the data, each in its
own snapshot. A change committed in between makes the data newer than the number, never older;
and the next reader sees the raised number, so the entry is not read again.
"""

from __future__ import annotations

import time

from django.apps import apps
from django.conf import settings
from django.db import connections
from simple_history.models import HistoricalChanges

# Written out in the SQL below too (a constant, never input).
TABLE = "planning_contentversion"
NAME = "waymark_content_changed"

# Our apps: every table of these holds plan content (what pages show), except those below.
CONTENT_APPS = (
    "planning",
    "objectives",
    "kpis",
    "budgets",
    "swot",
    "assurance",
    "delivery",
    "frameworks",
    "people",
    "notices",
    "reporting",
    "workbook",
)
# Written as a side effect of reading or of work no page shows: an idempotency token with each
# posted form, a rendered PDF, a notice sent, an uploaded workbook awaiting confirmation.
NOT_CONTENT = {
    TABLE,
    "planning_submissiontoken",
    "reporting_exportrender",
    "notices_sentnotice",
    "workbook_pendingimport",
}
# A sign-in sets last_login (and only that): not content, it shows on no cached page. The
# condition names that one column only: a trigger that named a column would stop a migration
# from dropping it (PostgreSQL refuses, SQLite too), and last_login is Django's own.
SIGN_IN_TABLE = "planning_user"


def content_tables() -> list[str]:
    """The tables whose every change raises the version, many-to-many tables included."""
    tables = set()
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if issubclass(model, HistoricalChanges):
                continue  # written with the record it copies, which has its own trigger
            tables.add(model._meta.db_table)
    return sorted(tables - NOT_CONTENT)


def install(using: str = "default") -> int:
    """Create the version's row if missing and (re)create the triggers on every content table
    that exists. Returns how many tables have them."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return 0  # planning's migrations have not run yet
    tables = [t for t in content_tables() if t in existing]
    with connection.cursor() as cursor:
        ensure_row(cursor, connection.vendor)
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, connection, tables)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, connection, tables)
        else:  # pragma: no cover - only the two databases the project supports
            raise NotImplementedError(connection.vendor)
    return len(tables)


def ensure_row(cursor, vendor: str) -> None:
    """The single row (also after `flush`, which empties every table, as tests do), starting
    from now (microseconds since 1970), not 0: a database emptied or restored must never reach
    a number it had before with other content, under which pages may still be cached."""
    if vendor == "postgresql":
        cursor.execute(
            "INSERT INTO planning_contentversion (id, value) VALUES (1, %s) ON CONFLICT DO NOTHING",
            [_now()],
        )
    else:
        cursor.execute(
            "INSERT OR IGNORE INTO planning_contentversion (id, value) VALUES (1, %s)", [_now()]
        )


def restart(using: str = "default") -> None:
    """After a backup is restored: the number it brought back was used before, by the content
    written since the backup, so move it on past every number used (at most one a microsecond
    has been)."""
    with connections[using].cursor() as cursor:
        ensure_row(cursor, connections[using].vendor)
        cursor.execute(
            "UPDATE planning_contentversion SET value = CASE WHEN value < %s THEN %s "
            "ELSE value + 1 END WHERE id = 1",
            [_now(), _now()],
        )


def _now() -> int:
    return time.time_ns() // 1000


def _pg_changed(table: str) -> str:
    """An UPDATE that changed something (a save that changes nothing leaves the version), and
    not only a sign-in's last_login. The whole row, so no other column is named."""
    if table == SIGN_IN_TABLE:
        return "OLD.* IS DISTINCT FROM NEW.* AND OLD.last_login IS NOT DISTINCT FROM NEW.last_login"
    return "OLD.* IS DISTINCT FROM NEW.*"


def _install_postgresql(cursor, connection, tables: list[str]) -> None:
    deferred = _deferred()
    timing = "INITIALLY DEFERRED" if deferred else "INITIALLY IMMEDIATE"
    cursor.execute("CREATE SEQUENCE IF NOT EXISTS waymark_content_changes")
    if deferred:
        # Once per transaction, as it commits: updating one row many times in one transaction
        # costs PostgreSQL more for each time (every update walks the row's earlier versions),
        # which an import of thousands of rows would pay at commit.
        body = """
            IF current_setting('waymark.content_changed', true)
                    IS DISTINCT FROM txid_current()::text THEN
                UPDATE planning_contentversion SET value = value + 1 WHERE id = 1;
                PERFORM set_config('waymark.content_changed', txid_current()::text, true);
            END IF;"""
    else:
        # Tests: their one transaction must see each change at once, and a fixture loads the
        # demo's thousands of rows in it. A sequence moves at once and costs the same each time;
        # it is not transactional, which is no matter inside one test's transaction.
        body = "PERFORM nextval('waymark_content_changes');"
    cursor.execute(
        "CREATE OR REPLACE FUNCTION waymark_content_changed() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
    )
    quote = connection.ops.quote_name
    for table in tables:
        for event in ("write", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {NAME}_{event} ON {quote(table)}")
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER {NAME}_write AFTER INSERT OR DELETE ON {quote(table)} "
            f"DEFERRABLE {timing} FOR EACH ROW EXECUTE FUNCTION {NAME}()"
        )
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER {NAME}_update AFTER UPDATE ON {quote(table)} "
            f"DEFERRABLE {timing} FOR EACH ROW WHEN ({_pg_changed(table)}) "
            f"EXECUTE FUNCTION {NAME}()"
        )


def _install_sqlite(cursor, connection, tables: list[str]) -> None:
    bump = "UPDATE planning_contentversion SET value = value + 1 WHERE id = 1;"
    quote = connection.ops.quote_name
    for table in tables:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {NAME}_{table}_{event}")
        for event in ("insert", "delete"):
            cursor.execute(
                f"CREATE TRIGGER {NAME}_{table}_{event} AFTER {event.upper()} ON {quote(table)} "
                f"BEGIN {bump} END"
            )
        # Every UPDATE counts (SQLite cannot compare whole rows), but a sign-in's.
        when = "WHEN OLD.last_login IS NEW.last_login " if table == SIGN_IN_TABLE else ""
        cursor.execute(
            f"CREATE TRIGGER {NAME}_{table}_update AFTER UPDATE ON {quote(table)} "
            f"{when}BEGIN {bump} END"
        )


def _deferred() -> bool:
    return getattr(settings, "WAYMARK_CONTENT_VERSION_DEFERRED", True)


def current(using: str = "default") -> int | None:
    """The version now, or None when its row is missing (then nothing may be cached)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence moves only under the tests' triggers (see _install_postgresql).
            cursor.execute(
                "SELECT v.value + s.last_value FROM planning_contentversion v "
                "CROSS JOIN waymark_content_changes s WHERE v.id = 1"
            )
        else:
            cursor.execute("SELECT value FROM planning_contentversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def on_post_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """After `migrate`: the triggers, for the tables as they now are. After `flush` (no plan):
    only the row, as the triggers outlive the emptied tables."""
    if plan is None:
        connection = connections[using]
        if TABLE in connection.introspection.table_names():
            with connection.cursor() as cursor:
                ensure_row(cursor, connection.vendor)
        return
    install(using)
