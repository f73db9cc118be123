"""Test runs: fast hashing, in-memory e-mail, plain static storage.

DATABASE_URL still decides the database, so the same suite runs on SQLite and PostgreSQL.
"""

from .base import *  # noqa: F403

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
