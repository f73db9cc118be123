"""A backup can be restored: proven on real PostgreSQL with the real pg_dump and pg_restore.

The demo goes into a fresh database of its own; `manage.py backup` writes a backup of it;
`manage.py restore` puts that into a second fresh database and MEDIA_ROOT; then every table's
row count and the text of every plan's PDF, rendered afresh from each database, must agree.
Everything runs in subprocesses with DATABASE_URL pointing at those databases, so neither
pytest-django's test database nor its transaction is involved.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = settings.DATABASES["default"]

pytestmark = pytest.mark.skipif(
    DEFAULT["ENGINE"] != "django.db.backends.postgresql",
    reason="backup and restore need PostgreSQL (pg_dump/pg_restore): set DATABASE_URL "
    "to a PostgreSQL server to run this test (CI does)",
)

# Renders every plan's annual-plan PDF from the database it runs against and prints, per plan
# slug, the sha256 of its text as pypdf reads it (page by page, whitespace squashed).
PDF_TEXTS = """
import hashlib, json
from pypdf import PdfReader
from planning.models import Plan
from reporting.documents import exports
from reporting.documents.spec import DocumentSpec, Kind
texts = {}
for plan in Plan.objects.order_by("slug"):
    export = exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(str(export.path)).pages)
    texts[plan.slug] = hashlib.sha256(text.encode()).hexdigest()
print(json.dumps(texts))
"""


def admin_connection():
    connection = psycopg2.connect(
        dbname="postgres",
        host=DEFAULT["HOST"] or None,
        port=DEFAULT["PORT"] or None,
        user=DEFAULT["USER"] or None,
        password=DEFAULT["PASSWORD"] or None,
    )
    connection.autocommit = True
    return connection


def url_for(name: str) -> str:
    user = quote(DEFAULT["USER"] or "", safe="")
    password = f":{quote(DEFAULT['PASSWORD'], safe='')}" if DEFAULT["PASSWORD"] else ""
    port = f":{DEFAULT['PORT']}" if DEFAULT["PORT"] else ""
    return f"postgres://{user}{password}@{DEFAULT['HOST'] or ''}{port}/{name}"


def counts_of(name: str) -> dict[str, int]:
    """Every table's row count, read straight from the catalogue (not through our code)."""
    connection = psycopg2.connect(
        dbname=name,
        host=DEFAULT["HOST"] or None,
        port=DEFAULT["PORT"] or None,
        user=DEFAULT["USER"] or None,
        password=DEFAULT["PASSWORD"] or None,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (catalogue names)
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


def pdf_texts(database: str, media: Path) -> dict[str, str]:
    # The last line: django-axes announces itself on stdout first.
    output = manage("shell", "-c", PDF_TEXTS, database=database, media=media).stdout
    return json.loads(output.strip().splitlines()[-1])


def files_of(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


class Databases:
    """Fresh databases for one test module, dropped at the end whatever happened."""

    def __init__(self):
        self.prefix = f"waymark_restore_{uuid.uuid4().hex[:8]}"
        self.names: list[str] = []

    def create(self, suffix: str) -> str:
        name = f"{self.prefix}_{suffix}"
        connection = admin_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        self.names.append(name)
        return name

    def drop_all(self):
        connection = admin_connection()
        try:
            with connection.cursor() as cursor:
                for name in self.names:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            connection.close()


def manage(*args, database: str, media: Path, check: bool = True):
    env = {k: v for k, v in os.environ.items() if k not in {"BACKUP_DIR", "PG_BIN"}}
    env.update(
        DATABASE_URL=url_for(database),
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def databases():
    made = Databases()
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def restored(databases, tmp_path_factory):
    """The demo, backed up and restored; what each side looks like; how long it took."""
    tmp = tmp_path_factory.mktemp("backup")
    source, target = databases.create("source"), databases.create("target")
    source_media, target_media = tmp / "source-media", tmp / "target-media"

    manage("migrate", "--no-input", database=source, media=source_media)
    manage("load_demo", database=source, media=source_media)
    # Rendering fills the source's MEDIA_ROOT (the PDF cache), so the backup carries media.
    source_pdfs = pdf_texts(source, source_media)

    started = time.monotonic()
    manage("backup", "--dir", str(tmp / "backups"), database=source, media=source_media)
    backup_seconds = time.monotonic() - started
    (backup,) = (tmp / "backups").iterdir()

    started = time.monotonic()
    restore = manage("restore", str(backup), database=target, media=target_media)
    restore_seconds = time.monotonic() - started

    # Rendered afresh from the restored database: an empty MEDIA_ROOT has no cached PDF.
    target_pdfs = pdf_texts(target, tmp / "fresh-media")
    # Shown with `pytest -s`; docs/operations.md quotes the figures.
    print(f"\nbackup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s (subprocess, wall)")
    return {
        "tmp": tmp,
        "backup": backup,
        "source": source,
        "target": target,
        "source_media": source_media,
        "target_media": target_media,
        "source_pdfs": source_pdfs,
        "target_pdfs": target_pdfs,
        "restore_output": restore.stdout,
    }


class TestBackupAndRestore:
    def test_every_table_comes_back_with_the_same_number_of_rows(self, restored):
        source, target = counts_of(restored["source"]), counts_of(restored["target"])
        assert source.keys() == target.keys()
        assert {t: target[t] for t in source} == source
        assert source["public.planning_plan"] > 0, "the demo was not loaded"

    def test_every_demo_plan_pdf_reads_the_same(self, restored):
        source, target = restored["source_pdfs"], restored["target_pdfs"]
        fixtures = sorted((ROOT / "fixtures").glob("*.yaml"))
        assert len(source) == len(fixtures)
        assert target == source

    def test_the_media_comes_back_byte_for_byte(self, restored):
        source = files_of(restored["source_media"])
        assert source, "the source rendered PDFs into its MEDIA_ROOT"
        assert files_of(restored["target_media"]) == source

    def test_the_manifest_records_what_was_dumped(self, restored):
        manifest = json.loads((restored["backup"] / "manifest.json").read_text())
        assert manifest["row_counts"] == counts_of(restored["source"])
        assert "every count as backed up" in restored["restore_output"]

    def test_a_database_that_is_not_empty_is_refused(self, restored):
        before = counts_of(restored["target"])
        done = manage(
            "restore",
            str(restored["backup"]),
            database=restored["target"],
            media=restored["tmp"] / "other-media",
            check=False,
        )
        assert done.returncode != 0
        assert "is not empty" in done.stderr
        assert counts_of(restored["target"]) == before

    def test_a_media_root_that_is_not_empty_is_refused(self, restored, databases):
        empty = databases.create("media")
        done = manage(
            "restore",
            str(restored["backup"]),
            database=empty,
            media=restored["target_media"],
            check=False,
        )
        assert done.returncode != 0
        assert "MEDIA_ROOT" in done.stderr
        assert counts_of(empty) == {}

    def test_a_damaged_backup_is_refused_before_anything_is_written(self, restored, databases):
        damaged = restored["tmp"] / "damaged"
        shutil.copytree(restored["backup"], damaged)
        with (damaged / "database.dump").open("r+b") as dump:
            dump.seek(100)
            dump.write(b"\0" * 16)
        empty = databases.create("damaged")
        done = manage(
            "restore", str(damaged), database=empty, media=restored["tmp"] / "m1", check=False
        )
        assert done.returncode != 0
        assert "damaged" in done.stderr
        assert counts_of(empty) == {}

    def test_a_restore_that_fails_half_way_leaves_the_database_empty(self, restored, databases):
        # A truncated dump whose manifest agrees: only pg_restore can notice, part way through.
        truncated = restored["tmp"] / "truncated"
        shutil.copytree(restored["backup"], truncated)
        dump = truncated / "database.dump"
        dump.write_bytes(dump.read_bytes()[: dump.stat().st_size * 2 // 3])
        manifest = json.loads((truncated / "manifest.json").read_text())
        manifest["files"]["database.dump"] = hashlib.sha256(dump.read_bytes()).hexdigest()
        (truncated / "manifest.json").write_text(json.dumps(manifest))
        empty = databases.create("truncated")
        done = manage(
            "restore", str(truncated), database=empty, media=restored["tmp"] / "m2", check=False
        )
        assert done.returncode != 0
        assert "pg_restore failed" in done.stderr
        assert counts_of(empty) == {}
