"""Rendered PDFs in shared storage, rendered once however many processes ask.

The "exports" storage is local files (replaced whole) or an S3-compatible bucket; the render
ledger (reporting.models.ExportRender) decides who renders. The S3 tests run against moto's
server on loopback (a real HTTP S3 endpoint from PyPI), or against the S3 service of the settings
when AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL are set (MinIO, AWS: under a prefix of
their own, removed afterwards); the worker test against two real `db_worker` processes on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reporting.documents import exports, render
from reporting.documents.spec import DocumentSpec, Kind
from reporting.documents.storage import AtomicFileSystemStorage
from reporting.models import ExportRender
from tests.factories import ObjectiveFactory, PlanFactory
from tests.planning.test_backup_restore import url_for
from tests.reporting.documents.conftest import all_text, response_bytes

ROOT = Path(__file__).resolve().parents[3]


class TestAtomicFileSystemStorage:
    def test_a_file_is_replaced_under_its_own_name_and_no_partial_file_is_left(self, tmp_path):
        storage = AtomicFileSystemStorage(location=tmp_path)
        assert storage.save("exports/a.pdf", ContentFile(b"first")) == "exports/a.pdf"
        assert storage.save("exports/a.pdf", ContentFile(b"second")) == "exports/a.pdf"
        assert (tmp_path / "exports" / "a.pdf").read_bytes() == b"second"
        assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["a.pdf"]


@pytest.mark.django_db
class TestRenderLedger:
    def spec(self):
        plan = PlanFactory()
        ObjectiveFactory(plan=plan, text="Open the new wing")
        return DocumentSpec(Kind.PLAN, plan_id=plan.pk)

    def test_the_first_ask_renders_and_records_it_the_second_reads_the_file(self):
        spec = self.spec()
        first = exports.get_or_render(spec)
        second = exports.get_or_render(spec)
        assert (first.rendered, second.rendered) == (True, False)
        ledger = ExportRender.objects.get(fingerprint=first.fingerprint)
        assert ledger.renders == 1
        assert ledger.finished_at is not None
        assert ledger.pages == first.result.pages

    def test_a_file_that_has_gone_is_rendered_again(self):
        spec = self.spec()
        first = exports.get_or_render(spec)
        exports.storage().delete(first.name)
        again = exports.get_or_render(spec)
        assert again.rendered
        assert ExportRender.objects.get(fingerprint=first.fingerprint).renders == 2

    def test_a_claim_held_by_a_live_renderer_is_waited_for_not_rendered_again(self, monkeypatch):
        spec = self.spec()
        fp = exports.fingerprint(spec)
        ExportRender.objects.create(fingerprint=fp, claimed_at=timezone.now(), claimed_by="other")
        waits = []

        def the_other_finishes(seconds):
            # While we wait, the other renderer stores the file.
            waits.append(seconds)
            exports.storage().save(exports.name_for(fp), ContentFile(b"%PDF-1.7 theirs"))

        monkeypatch.setattr(exports.time, "sleep", the_other_finishes)
        got = exports.get_or_render(spec, fp)
        assert waits and not got.rendered
        assert got.read_bytes() == b"%PDF-1.7 theirs"
        assert ExportRender.objects.get(fingerprint=fp).renders == 0

    def test_a_stale_claim_is_taken_over(self, settings):
        spec = self.spec()
        fp = exports.fingerprint(spec)
        long_ago = timezone.now() - dt.timedelta(seconds=settings.PDF_RENDER_TIMEOUT + 60)
        ExportRender.objects.create(fingerprint=fp, claimed_at=long_ago, claimed_by="dead:1")
        got = exports.get_or_render(spec, fp)
        assert got.rendered
        ledger = ExportRender.objects.get(fingerprint=fp)
        assert ledger.renders == 1 and ledger.claimed_by != "dead:1"

    def test_a_failed_render_gives_its_claim_back(self, monkeypatch):
        spec = self.spec()
        fp = exports.fingerprint(spec)

        def fails(*args, **kwargs):
            raise render.RenderTimeout("too long")

        monkeypatch.setattr(exports.render, "render_pdf", fails)
        with pytest.raises(render.RenderTimeout):
            exports.get_or_render(spec, fp)
        assert not ExportRender.objects.filter(fingerprint=fp).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The S3 settings of a real deployment (MinIO, AWS): when they are set the tests use that
# service, under a prefix of their own in its bucket; otherwise moto's server.
CONFIGURED_S3 = bool(
    os.environ.get("AWS_STORAGE_BUCKET_NAME") and os.environ.get("AWS_S3_ENDPOINT_URL")
)


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on loopback: a real HTTP endpoint, the same protocol as MinIO or AWS;
    or the endpoint of the S3 settings when they are set."""
    if CONFIGURED_S3:
        yield os.environ["AWS_S3_ENDPOINT_URL"]
        return
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_exports(s3_endpoint, settings, monkeypatch):
    """The "exports" storage in a bucket: (client, bucket, prefix of this test's objects)."""
    if CONFIGURED_S3:
        region = os.environ.get("AWS_S3_REGION_NAME") or None
        bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
        prefix = f"waymark-test-{os.getpid()}-{free_port()}"
    else:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "waymark-test",
            "AWS_SECRET_ACCESS_KEY": "waymark-test-secret",
            "AWS_DEFAULT_REGION": "eu-west-2",
        }.items():
            monkeypatch.setenv(name, value)
        region = "eu-west-2"
        bucket = f"waymark-{os.getpid()}-{free_port()}"
        prefix = ""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=region)
    if not CONFIGURED_S3:
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "region_name": region,
                "default_acl": None,
                "file_overwrite": True,
                "location": prefix,
            },
        },
    }
    assert storages["exports"].__class__.__name__ == "S3Storage"
    yield client, bucket, f"{prefix}/" if prefix else ""
    if CONFIGURED_S3:  # leave the deployment's bucket as it was
        for found in client.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/").get("Contents", []):
            client.delete_object(Bucket=bucket, Key=found["Key"])


@pytest.mark.django_db
class TestS3Exports:
    def test_a_plan_pdf_is_stored_in_the_bucket_and_served_from_it(self, client, s3_exports):
        s3, bucket, prefix = s3_exports
        plan = PlanFactory(title="Bucket Plan")
        ObjectiveFactory(plan=plan, text="Move the archive to the cloud")
        from tests.conftest import _member

        client.force_login(_member(plan.organisation, "planner"))
        url = reverse("documents:plan_pdf", args=[plan.slug])

        first = client.get(url)
        assert first.status_code == 200
        pdf = response_bytes(first)
        assert "Move the archive to the cloud" in all_text(pdf)
        listing = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        keys = [o["Key"].removeprefix(prefix) for o in listing]
        assert len(keys) == 1 and keys[0].startswith("exports/") and keys[0].endswith(".pdf")
        assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))  # nothing on local disk

        second = client.get(url)
        assert response_bytes(second) == pdf
        fp = keys[0].removeprefix("exports/").removesuffix(".pdf")
        assert ExportRender.objects.get(fingerprint=fp).renders == 1

    def test_a_file_removed_from_the_bucket_is_rendered_again(self, s3_exports):
        s3, bucket, prefix = s3_exports
        plan = PlanFactory()
        spec = DocumentSpec(Kind.PLAN, plan_id=plan.pk)
        first = exports.get_or_render(spec)
        s3.delete_object(Bucket=bucket, Key=prefix + first.name)
        assert exports.cached(spec) is None
        assert exports.get_or_render(spec).rendered


DEFAULT = settings.DATABASES["default"]


@pytest.mark.skipif(
    DEFAULT["ENGINE"] != "django.db.backends.postgresql",
    reason="two worker processes need a database server: set DATABASE_URL to PostgreSQL (CI does)",
)
@pytest.mark.django_db(transaction=True)
class TestTwoWorkers:
    def test_two_db_workers_render_each_document_once(self, tmp_path, settings):
        from django_tasks_db.models import DBTaskResult

        from reporting.documents.tasks import export_document

        plans = [PlanFactory(title=f"Worker Plan {n}") for n in (1, 2)]
        for plan in plans:
            ObjectiveFactory.create_batch(3, plan=plan)
        specs = [DocumentSpec(Kind.PLAN, plan_id=plan.pk) for plan in plans]
        queued = export_document.using(backend="database")
        # The same document asked for four times and another twice, as users at a board
        # meeting would: both workers start on the first document at once.
        for spec in [specs[0]] * 4 + [specs[1]] * 2:
            queued.enqueue(spec.to_dict())

        media = tmp_path / "shared-media"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url_for(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(media),
        }
        command = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--backend",
            "database",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.1",
        ]
        workers = [
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=600)[0].decode() for worker in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs

        results = list(DBTaskResult.objects.filter(backend_name="database"))
        assert len(results) == 6
        assert {r.status for r in results} == {"SUCCESSFUL"}, outputs
        # Both workers took tasks: the test exercised two processes, not one after the other.
        assert len({worker for r in results for worker in r.worker_ids}) == 2, outputs
        settings.MEDIA_ROOT = media
        for spec in specs:
            fp = exports.fingerprint(spec)
            assert ExportRender.objects.get(fingerprint=fp).renders == 1
            assert exports.cached(spec, fp) is not None
        rendered = [r.return_value["rendered"] for r in results]
        assert rendered.count(True) == 2
