"""Configuration comes from the environment, with safe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    dropped = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DEBUG",
        "WAYMARK_BEHIND_PROXY",
    }
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


# Asks for the health check over plain HTTP with a forged X-Forwarded-Proto, under production
# settings (SECURE_SSL_REDIRECT on), and prints whether Django believed the request secure.
PROXY_PROBE = """
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
print(settings.SECURE_PROXY_SSL_HEADER, response.status_code)
"""


class TestProxyHeader:
    def probe(self, **env):
        result = run_manage(
            "shell",
            "-c",
            PROXY_PROBE,
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(60),
            ALLOWED_HOSTS="testserver",
            **env,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    def test_without_the_switch_the_header_is_ignored(self):
        # Not believed: the plain-HTTP request is redirected to HTTPS.
        assert self.probe() == "None 301"
        assert self.probe(WAYMARK_BEHIND_PROXY="0") == "None 301"

    def test_with_the_switch_the_header_is_honoured(self):
        assert self.probe(WAYMARK_BEHIND_PROXY="1") == "('HTTP_X_FORWARDED_PROTO', 'https') 200"


class TestDockerCompose:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def test_a_reverse_proxy_is_the_only_way_in(self):
        services = self.compose["services"]
        published = {name for name, service in services.items() if service.get("ports")}
        assert published == {"proxy"}
        assert services["proxy"]["image"].startswith("caddy:")

    def test_only_the_web_service_behind_the_proxy_trusts_its_headers(self):
        services = self.compose["services"]
        trusting = {
            name
            for name, service in services.items()
            if service.get("environment", {}).get("WAYMARK_BEHIND_PROXY") == "1"
        }
        assert trusting == {"web1", "web2"}
        # The rest of the web service's environment is still the shared one.
        assert services["web1"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"

    def test_two_web_replicas_behind_the_proxy_share_cache_and_storage(self):
        services = self.compose["services"]
        assert services["web1"] == services["web2"]
        caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
        assert "reverse_proxy web1:8000 web2:8000" in caddyfile
        app_services = {"web1", "web2", "worker", "migrate"}
        for name in app_services:
            env = services[name]["environment"]
            assert env["REDIS_URL"].startswith("redis://cache:"), name
            assert env["AWS_STORAGE_BUCKET_NAME"] and env["AWS_S3_ENDPOINT_URL"], name
        assert "valkey" in services["cache"]["image"]
        # Nothing written to a volume one web server owns: no media volume any more.
        for name in app_services:
            assert not services[name].get("volumes"), name


class TestRedisPerTestWorker:
    """pytest-xdist's workers each get a Redis database of their own (config/settings/test.py)."""

    def test_each_worker_adds_its_number_to_the_url_s_database(self):
        from config.settings.test import redis_url_for_worker

        url = "redis://127.0.0.1:6379/1"
        assert redis_url_for_worker(url, "gw0") == "redis://127.0.0.1:6379/1"
        assert redis_url_for_worker(url, "gw1") == "redis://127.0.0.1:6379/2"
        assert redis_url_for_worker("redis://127.0.0.1:6379", "gw3") == "redis://127.0.0.1:6379/3"

    def test_without_a_worker_or_a_url_nothing_changes(self):
        from config.settings.test import redis_url_for_worker

        assert redis_url_for_worker("redis://127.0.0.1:6379/1", "") == "redis://127.0.0.1:6379/1"
        assert redis_url_for_worker("", "gw1") == ""

    def test_a_worker_past_redis_s_sixteen_databases_is_refused(self):
        from config.settings.test import redis_url_for_worker

        with pytest.raises(ValueError, match="16 databases"):
            redis_url_for_worker("redis://127.0.0.1:6379/10", "gw6")

    def test_a_process_the_tests_start_uses_its_worker_s_database(self):
        from django.conf import settings

        if not os.environ.get("REDIS_URL"):
            pytest.skip("no REDIS_URL")
        result = run_manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.REDIS_URL)",
            DJANGO_SETTINGS_MODULE="config.settings.test",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == settings.REDIS_URL == os.environ["REDIS_URL"]
