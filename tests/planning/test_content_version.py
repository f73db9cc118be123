"""The content version (planning.content_version): raised by the database itself on every
change to plan content, whatever wrote it; left alone by what is not content."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from objectives.models import Objective
from planning import content_version
from planning.models import PlanSection, SectionKind
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    UserFactory,
)


def version() -> int:
    return content_version.current()


def installed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                [f"{content_version.NAME}%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [f"{content_version.NAME}%"],
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
class TestEveryContentTableIsWatched:
    def test_every_table_of_our_apps_is_content_or_named_as_not(self):
        for app in content_version.CONTENT_APPS:
            for model in apps.get_app_config(app).get_models(include_auto_created=True):
                table = model._meta.db_table
                if issubclass(model, HistoricalChanges):
                    assert table not in content_version.content_tables()
                else:
                    assert (table in content_version.content_tables()) != (
                        table in content_version.NOT_CONTENT
                    ), table

    def test_the_triggers_are_installed_on_every_content_table(self):
        assert installed_tables() == set(content_version.content_tables())

    def test_install_again_changes_nothing(self):
        before = installed_tables()
        assert content_version.install() == len(before)
        assert installed_tables() == before


@pytest.mark.django_db
class TestWhatRaisesIt:
    def test_create_update_and_delete(self):
        start = version()
        objective = ObjectiveFactory()
        created = version()
        assert created > start
        Objective.objects.filter(pk=objective.pk).update(text="Renamed")
        updated = version()
        assert updated > created
        objective.milestones.all().delete()  # nothing to delete: no change
        assert version() == updated
        section = PlanSection.objects.create(
            plan=objective.plan, kind=SectionKind.values[0], title="New section", body="Text"
        )
        after_section = version()
        assert after_section > updated
        section.delete()
        assert version() > after_section

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's triggers cannot compare whole rows"
    )
    def test_a_save_that_changes_nothing_leaves_it(self):
        objective = ObjectiveFactory()
        before = version()
        objective.save()
        assert version() == before

    def test_bulk_writes_and_raw_sql(self):
        kpi = KPIFactory()
        before = version()
        MeasurementFactory._meta.model.objects.bulk_create(
            [
                MeasurementFactory.build(kpi=kpi, period_start=dt.date(2006, 4 + i, 1))
                for i in range(3)
            ]
        )
        bulk = version()
        assert bulk > before
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE kpis_measurement SET value = value + 1 WHERE kpi_id = %s", [kpi.pk]
            )
        assert version() > bulk

    def test_a_sign_in_is_not_content_but_a_name_is(self):
        user = UserFactory()
        before = version()
        type(user).objects.filter(pk=user.pk).update(
            last_login=timezone.now(), password="argon2$changed"
        )
        assert version() == before
        type(user).objects.filter(pk=user.pk).update(first_name="Renamed")
        assert version() > before

    def test_what_is_not_content_leaves_it(self):
        from planning.models import SubmissionToken

        user = UserFactory()
        before = version()
        SubmissionToken.objects.create(token="t" * 32, user=user)
        assert version() == before

    def test_flush_leaves_the_row(self):
        """What `flush` empties, post_migrate puts back (tests' transactional teardown)."""
        from planning.models import ContentVersion

        ContentVersion.objects.all().delete()
        assert content_version.current() is None  # nothing may be cached now
        before = time.time_ns() // 1000
        content_version.on_post_migrate(sender=None, using="default", plan=None)
        # From now, not 0: never a number used before with other content.
        assert content_version.current() >= before

    def test_a_restore_moves_it_past_every_number_used(self):
        from planning.models import ContentVersion

        ContentVersion.objects.update(value=5)  # as a restored backup brings an old number
        content_version.restart()
        restarted = version()
        assert restarted > 5 and restarted >= time.time_ns() // 1000 - 10**6
        content_version.restart()
        assert version() > restarted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred triggers")
@pytest.mark.django_db(transaction=True)
class TestAtCommitOnPostgreSQL:
    """As production installs them: raised as the writer commits, never before, so another
    reader never sees a version whose data it cannot see, and writers never wait on the row in
    the middle of their work."""

    @pytest.fixture
    def deferred(self, settings):
        settings.WAYMARK_CONTENT_VERSION_DEFERRED = True
        content_version.install()
        yield
        settings.WAYMARK_CONTENT_VERSION_DEFERRED = False
        content_version.install()

    def test_raised_at_commit(self, deferred):
        plan = PlanFactory()
        before = version()
        with transaction.atomic():
            ObjectiveFactory(plan=plan)
            ObjectiveFactory(plan=plan)
            assert version() == before  # not yet: the row is not even locked
        assert version() == before + 1  # once per transaction, however many rows

    def test_a_rolled_back_write_leaves_it(self, deferred):
        before = version()
        with pytest.raises(RuntimeError), transaction.atomic():
            ObjectiveFactory()
            raise RuntimeError
        assert version() == before

    def test_many_rows_cost_one_update(self, deferred):
        """An import's thousands of rows raise it once, at commit: not once a row (each update
        of one row in one transaction costs PostgreSQL more than the last)."""
        plan = PlanFactory()
        before = version()
        with transaction.atomic():
            for i in range(300):
                ObjectiveFactory(plan=plan, reference=f"R{i}")
        assert version() == before + 1

    def test_no_lock_is_held_before_commit(self, deferred):
        """Another connection can write and commit while a writer is still working."""
        plan = PlanFactory()
        other = connections.create_connection("default")
        try:
            with transaction.atomic():
                ObjectiveFactory(plan=plan)
                with other.cursor() as cursor:
                    cursor.execute(
                        "UPDATE planning_plan SET title = title || '.' WHERE id = %s", [plan.pk]
                    )  # autocommits, and would wait here if the row were locked
                raised = version()
            assert version() == raised + 1
        finally:
            other.close()

    def test_installed_deferred(self, deferred):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT bool_and(tgdeferrable AND tginitdeferred) FROM pg_trigger "
                "WHERE tgname LIKE %s",
                [f"{content_version.NAME}%"],
            )
            assert cursor.fetchone()[0] is True
