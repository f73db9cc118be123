"""Configuration comes from the environment, with safe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionSettings:
    def test_check_deploy_passes_with_no_warnings(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(60),
            ALLOWED_HOSTS="waymark.example.org",
        )
        assert result.returncode == 0, result.stderr
        assert "no issues (0 silenced)" in result.stdout

    def test_missing_secret_fails_fast(self):
        result = run_manage(
            "check",
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            ALLOWED_HOSTS="waymark.example.org",
        )
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr

    def test_missing_hosts_fails_fast(self):
        result = run_manage(
            "check",
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(60),
        )
        assert result.returncode != 0
        assert "ALLOWED_HOSTS must be set" in result.stderr


class TestDatabaseURL:
    @pytest.mark.parametrize(
        ("url", "engine", "name"),
        [
            ("postgres://user@host:5432/name", "django.db.backends.postgresql", "name"),
            (
                "sqlite:////absolute/path.sqlite3",
                "django.db.backends.sqlite3",
                "/absolute/path.sqlite3",
            ),
        ],
    )
    def test_usual_url_forms(self, url, engine, name):
        config = dj_database_url.parse(url)
        assert config["ENGINE"] == engine
        assert config["NAME"] == name

    def test_secure_defaults_in_base(self):
        from config.settings import base

        assert base.DEBUG is False or os.environ.get("DEBUG")
        assert base.ALLOWED_HOSTS == [] or os.environ.get("ALLOWED_HOSTS")
        assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in base.MIDDLEWARE
        assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in base.MIDDLEWARE
