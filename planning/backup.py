"""Backups and restores: the PostgreSQL database (pg_dump, custom format) and MEDIA_ROOT, together.

A backup is one directory, BACKUP_DIR/waymark-<UTC time>/, holding

    database.dump   pg_dump --format=custom (compressed; pg_restore reads it)
    media.tar.gz    everything under MEDIA_ROOT (today the rendered PDF cache)
    manifest.json   when and from which server versions; the sha256 of both files; and the row
                    count of every table, taken in the very snapshot pg_dump dumped

so a restore can check the files are whole before it starts and prove afterwards that every
table came back with every row. A restore goes into an EMPTY database only, in one transaction
(a failure leaves it empty), unless forced.

The database's address comes from the settings (DATABASE_URL through dj-database-url), turned
into libpq arguments by Django's own `dbshell` code, with the password in the environment (never
on a command line that `ps` shows). SQLite is refused: stop the server and copy the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient

from planning import content_version

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
PREFIX = "waymark-"
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class BackupError(Exception):
    """A backup or restore that cannot go ahead, or did not come back whole. Says why."""


@dataclass
class Outcome:
    path: Path
    tables: int
    rows: int
    seconds: dict[str, float] = field(default_factory=dict)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backup and restore need PostgreSQL (DATABASE_URL=postgres://…); this database is "
            f"{connection.vendor} ({settings.DATABASES['default']['NAME']}). For SQLite, stop "
            f"the server and copy the database file and {settings.MEDIA_ROOT} instead."
        )


def program(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN if set (to match the server's major version)."""
    bin_dir = os.environ.get("PG_BIN")
    found = str(Path(bin_dir) / name) if bin_dir else shutil.which(name)
    if not found or not os.access(found, os.X_OK):
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client of the server's major version "
            f"(e.g. apt-get install postgresql-client-15) or set PG_BIN to its bin directory."
        )
    return found


def pg_command(name: str, parameters: list[str]) -> tuple[list[str], dict[str, str]]:
    """A pg_dump/pg_restore command line for the default database, and its environment.

    Django's dbshell builds `psql [-U u] [-h h] [-p p] <parameters> dbname`; pg_dump takes the
    database name in the same place, and pg_restore takes it after `-d` (the last parameter).
    """
    args, env = DatabaseClient.settings_to_cmd_args_env(settings.DATABASES["default"], parameters)
    return [program(name), *args[1:]], {**os.environ, **(env or {})}


def run(args: list[str], env: dict[str, str]) -> None:
    # The arguments are ours: the program found above and the settings' database address.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip()
        hint = ""
        if "version mismatch" in message:
            hint = " Set PG_BIN to the bin directory of the server's major version."
        raise BackupError(f"{Path(args[0]).name} failed: {message}{hint}")


def user_tables(cursor) -> list[str]:
    """Every table outside PostgreSQL's own schemas, as schema.table."""
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname <> ALL(%s) "
        "ORDER BY schemaname, tablename",
        [list(SYSTEM_SCHEMAS)],
    )
    return [f"{schema}.{table}" for schema, table in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    quote = connection.ops.quote_name
    for name in user_tables(cursor):
        schema, table = name.split(".", 1)
        cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(table)}")  # noqa: S608
        counts[name] = cursor.fetchone()[0]
    return counts


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_dump_version() -> str:
    args, env = pg_command("pg_dump", [])
    return subprocess.run(  # noqa: S603
        [args[0], "--version"], env=env, capture_output=True, text=True, check=False
    ).stdout.strip()


def create_backup(*, directory: Path, now: datetime | None = None) -> Outcome:
    """Write BACKUP_DIR/waymark-<UTC time>/ and return where, with the figures."""
    require_postgresql()
    now = now or datetime.now(UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} already exists: one backup a second at most.")
    # Written under a temporary name and renamed when whole, so a half-made backup (full disk,
    # killed job) never looks like one.
    partial = directory / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    seconds = {}
    try:
        started = time.monotonic()
        # pg_dump reads the snapshot this transaction exported, so the row counts in the
        # manifest are exactly what the dump holds, however busy the site is.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = row_counts(cursor)
            args, env = pg_command(
                "pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={partial / DUMP}"]
            )
            run(args, env)
        seconds["database"] = time.monotonic() - started

        started = time.monotonic()
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / MEDIA, "w:gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname=".")
        seconds["media"] = time.monotonic() - started

        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": settings.DATABASES["default"]["NAME"],
            "server_version": server_version,
            "pg_dump_version": _pg_dump_version(),
            "files": {DUMP: sha256(partial / DUMP), MEDIA: sha256(partial / MEDIA)},
            "row_counts": counts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Outcome(final, len(counts), sum(counts.values()), seconds)


def read_manifest(path: Path) -> dict:
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{path} is not a Waymark backup: it has no {MANIFEST}.") from error
    except ValueError as error:
        raise BackupError(f"{path / MANIFEST} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')}, not {FORMAT}.")
    for name, expected in manifest["files"].items():
        if not (path / name).is_file():
            raise BackupError(f"{path} is incomplete: {name} is missing.")
        if sha256(path / name) != expected:
            raise BackupError(f"{path / name} is damaged: its checksum is not the manifest's.")
    return manifest


def _media_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.is_dir() else []


def extract_media(archive_path: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, `..`, links out of the directory and
            # device files: an archive cannot write outside MEDIA_ROOT.
            archive.extractall(media_root, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            f"The media archive {archive_path} cannot be restored: {error}"
        ) from error


def restore_backup(*, path: Path, force: bool = False) -> Outcome:
    """Restore a backup into the (empty) default database and MEDIA_ROOT, then check the counts."""
    require_postgresql()
    path = Path(path)
    manifest = read_manifest(path)
    media_root = Path(settings.MEDIA_ROOT)
    name = settings.DATABASES["default"]["NAME"]

    # Every refusal before anything is written.
    with connection.cursor() as cursor:
        existing = user_tables(cursor)
    if existing and not force:
        raise BackupError(
            f"The database {name} is not empty: it holds {len(existing)} tables "
            f"({', '.join(existing[:3])}…). Restore only into an empty database (createdb a "
            f"new one and point DATABASE_URL at it), or force it (make restore FORCE=1 / "
            f"--force) to replace every object the backup holds."
        )
    stray = _media_files(media_root)
    if stray and not force:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) is not empty: it holds {len(stray)} files. Point "
            f"MEDIA_ROOT at an empty directory, or force it to add the backup's files."
        )
    connection.close()

    seconds = {}
    started = time.monotonic()
    parameters = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if force:
        parameters += ["--clean", "--if-exists"]
    args, env = pg_command("pg_restore", [*parameters, "-d"])
    run([*args, str(path / DUMP)], env)
    seconds["database"] = time.monotonic() - started
    # The content version came back as it was at the backup; pages may be cached under the
    # numbers used since, for other content (planning.content_version).
    content_version.restart()

    started = time.monotonic()
    extract_media(path / MEDIA, media_root)
    seconds["media"] = time.monotonic() - started

    with connection.cursor() as cursor:
        counts = row_counts(cursor)
    expected = manifest["row_counts"]
    # Every table backed up must come back with the same rows. A forced restore may leave
    # tables the backup does not know (pg_restore --clean drops only its own), so only an
    # unforced one also insists on nothing extra.
    tables = expected.keys() | (set() if force else counts.keys())
    wrong = {
        t: (expected.get(t), counts.get(t)) for t in tables if expected.get(t) != counts.get(t)
    }
    if wrong:
        shown = ", ".join(
            f"{t}: {a} backed up, {b} restored" for t, (a, b) in sorted(wrong.items())
        )
        raise BackupError(f"The restore did not come back whole: {shown}.")
    return Outcome(path, len(counts), sum(counts.values()), seconds)
