"""Test runs: fast hashing, in-memory e-mail, plain static storage.

DATABASE_URL still decides the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis database for one pytest-xdist worker ("gw0", "gw1"…): the URL's own number plus
    the worker's. Each worker has its own test database (pytest-django adds the same suffix), ids
    repeat between them, and every test clears the cache: sharing one Redis database, a worker
    would read another's cached pages and lose its own mid-test."""
    if not url or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number > 15:
        raise ValueError(f"Redis has 16 databases (0-15); {worker} of {url} would need {number}")
    return urlunsplit(parts._replace(path=f"/{number}"))


# Before base reads it, and in the environment so that the processes tests start (manage.py, a
# db_worker) use the same database as the test that started them. They inherit the worker's
# name too: the marker stops one of them on these settings from adding its number twice.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("REDIS_URL") and os.environ.get("WAYMARK_REDIS_WORKER") != _worker:
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], _worker)
    os.environ["WAYMARK_REDIS_WORKER"] = _worker

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests exercise sign-in failures on purpose; the lockout itself has its own test.
AXES_FAILURE_LIMIT = 5
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    # For the tests that run real `db_worker` processes (tests/reporting/documents/test_workers.py).
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Static files come from the finders (whitenoise's autorefresh); nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Test transactions are rolled back, never committed: the content version's triggers fire at
# once instead of at commit (planning.content_version).
WAYMARK_CONTENT_VERSION_DEFERRED = False

# Renders at the production default's lowest priority (19) starve when parallel test processes
# and Chromium keep every core busy: a 33-page plan took 15.2 s in a browser test, past its 15 s
# wait. The tests check what a render produces; its priority is tested where it is set.
PDF_RENDER_NICE = 0
