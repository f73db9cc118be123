"""Guards that docs/security.md cites and no other test covered: CSRF on real forms, and the
source holding no way round the ORM's parameters or the templates' escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from objectives.models import ProgressUpdate
from tests.factories import ObjectiveFactory, reopen_reported_quarters
from tests.objectives.test_views import form_data, update_url

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "planning", "objectives", "kpis", "budgets", "swot", "reporting", "demo"]


@pytest.mark.django_db
class TestCSRF:
    """Django's test client skips CSRF checks unless asked: these ask."""

    def test_a_change_without_the_token_is_refused_and_nothing_saved(self, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client = Client(enforce_csrf_checks=True)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, rag="amber", narrative="Delayed by SHA")
        )
        assert response.status_code == 403
        assert ProgressUpdate.objects.count() == 0

    def test_the_same_change_with_the_pages_token_goes_through(self, planner, plan):
        reopen_reported_quarters(plan)  # the form reports on 2006/07, locked long ago
        objective = ObjectiveFactory(plan=plan)
        client = Client(enforce_csrf_checks=True)
        client.force_login(planner)
        page = client.get(update_url(objective))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {
            **form_data(objective, rag="amber", narrative="Delayed by SHA"),
            "csrfmiddlewaretoken": token,
        }
        assert client.post(update_url(objective), data).status_code == 302
        assert ProgressUpdate.objects.count() == 1

    def test_sign_in_and_sign_out_need_the_token(self, viewer):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": viewer.username, "password": "x"})
        assert response.status_code == 403
        client.force_login(viewer)
        assert client.post(reverse("logout")).status_code == 403
        assert client.get(reverse("planning:home")).status_code == 200  # still signed in


def sources(suffix: str, *directories: str):
    for directory in directories:
        for path in sorted((ROOT / directory).rglob(f"*{suffix}")):
            if "migrations" not in path.parts:
                yield path


class TestNoWayRoundTheGuards:
    # Raw SQL only where the ORM cannot go: the backup's catalogue reads (identifiers quoted
    # by connection.ops.quote_name, values passed as parameters).
    RAW_SQL = re.compile(r"\.raw\(|\.extra\(|RawSQL\(|\.cursor\(|\.execute\(")
    # Roll forward writes its history rows with one INSERT … SELECT per model: identifiers from
    # the models' meta, every value a parameter (planning.rollforward._history_rows).
    # The memberships read on every page run the SQL the ORM compiled for their queryset once
    # per process, the user's id a parameter (planning.permissions._memberships_rows).
    # The content version's triggers and its one-row read: constant SQL, table and column names
    # from the models' meta quoted by connection.ops.quote_name (planning.content_version).
    RAW_SQL_ALLOWED = {
        "planning/backup.py",
        "planning/rollforward.py",
        "planning/permissions.py",
        "planning/content_version.py",
    }
    # Markup built in Python only where every piece went through escape() first.
    # And the plan narrative, which went through escape() or nh3's allow-list (planning.narrative).
    # And the long tables' rows drawn in Python (objectives.rows), proven byte for byte equal to
    # their templates on text full of markup (tests/objectives/test_rows.py).
    # The form renderer's options and attributes (planning/templatetags/waymark.py), proven the
    # same against the saved template output of every widget (tests/planning/test_forms_golden.py).
    # The same for the KPI tables' rows (kpis.rows) and the scorecard's exceptions and changes
    # (reporting.rows): tests/kpis/test_rows.py and tests/reporting/test_scorecard_rows.py.
    # And the objectives table's filter form, drawn the same way
    # (tests/objectives/test_filter_form.py).
    MARK_SAFE_ALLOWED = {
        "kpis/charts.py",
        "planning/narrative.py",
        "objectives/rows.py",
        "kpis/rows.py",
        "reporting/rows.py",
        "objectives/filter_form.py",
        "planning/templatetags/waymark.py",
        # The audit page's changes (tests/planning/test_audit_rows.py).
        "planning/audit_rows.py",
        # Template output kept in the cache and given back as it was rendered (escaped then).
        "planning/page_cache.py",
    }

    def test_queries_go_through_the_orm(self):
        found = {
            str(path.relative_to(ROOT))
            for path in sources(".py", *APPS)
            if self.RAW_SQL.search(path.read_text())
        }
        assert found <= self.RAW_SQL_ALLOWED

    def test_python_marks_nothing_safe_outside_the_escaped_charts(self):
        found = {
            str(path.relative_to(ROOT))
            for path in sources(".py", *APPS)
            if re.search(r"mark_safe\(|SafeString\(", path.read_text())
        }
        assert found <= self.MARK_SAFE_ALLOWED

    def test_templates_escape_everything_but_the_plain_text_email(self):
        off = {
            str(path.relative_to(ROOT))
            for path in sources(".html", "templates", *APPS)
            if "autoescape off" in path.read_text()
        }
        assert off <= {"templates/registration/password_reset_email.html"}
        safe = [
            (str(path.relative_to(ROOT)), match)
            for path in sources(".html", "templates", *APPS)
            for match in re.findall(r"\{\{\s*([^}|]+)\|safe", path.read_text())
        ]
        # Help text is written by developers in forms, never by users.
        assert all(expression.strip() == "field.help_text" for _, expression in safe), safe
