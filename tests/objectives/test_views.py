import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from objectives.models import Objective, ProgressUpdate
from tests.factories import (
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgressUpdateFactory,
    reopen_reported_quarters,
)

LIST = reverse("objectives:list")


@pytest.fixture(autouse=True)
def _reported_year_reopened(plan):
    """These tests report on 2006/07, whose quarters locked long ago (planning.reporting_window):
    they are reopened, as a planner would."""
    reopen_reported_quarters(plan)


def update_url(objective):
    return reverse("objectives:update", args=[objective.pk])


def form_data(objective, **overrides):
    data = {
        "period": "2006-Q2",
        "rag": "green",
        "status": "in_progress",
        "percent_complete": "30",
        "narrative": "",
        "next_steps": "",
        "evidence_url": "",
        "version": str(objective.version),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestObjectiveTable:
    def test_filters_narrow_the_rows_and_live_in_the_url(self, client, viewer, plan):
        ObjectiveFactory(plan=plan, text="Relocate HQ", rag="red")
        ObjectiveFactory(plan=plan, text="Develop budgets", rag="green")
        client.force_login(viewer)
        response = client.get(LIST, {"rag": "red"})
        assert "Relocate HQ" in response.text
        assert "Develop budgets" not in response.text
        response = client.get(LIST, {"q": "budgets"})
        assert "Develop budgets" in response.text
        assert "Relocate HQ" not in response.text
        # The export links carry the same filters.
        assert "export.csv?q=budgets" in response.text

    def test_filter_choices_and_rows_come_only_from_own_organisation(
        self, client, viewer, plan, other_organisation
    ):
        foreign_plan = PlanFactory(organisation=other_organisation, title="Foreign Plan")
        ObjectiveFactory(plan=foreign_plan, text="Someone else's secret")
        ObjectiveFactory(plan=plan, text="Ours")
        client.force_login(viewer)
        response = client.get(LIST)
        assert "Ours" in response.text
        assert "secret" not in response.text
        assert "Foreign Plan" not in response.text
        # A tampered plan id is an invalid choice: nothing of theirs is shown.
        response = client.get(LIST, {"plan": foreign_plan.pk})
        assert "secret" not in response.text
        assert "Select a valid choice" in response.text

    def test_new_flag_department_and_due_range(self, client, viewer, plan, organisation):
        estates = OrgUnitFactory(organisation=organisation, name="Estates")
        ObjectiveFactory(plan=plan, text="Alpha", is_new=True, org_unit=estates)
        ObjectiveFactory(plan=plan, text="Bravo", due_date="2006-06-30")
        client.force_login(viewer)
        assert "Bravo" not in client.get(LIST, {"is_new": "on"}).text
        assert "Bravo" not in client.get(LIST, {"org_unit": estates.pk}).text
        body = client.get(LIST, {"due_from": "2006-06-01", "due_to": "2006-07-01"}).text
        assert "Bravo" in body and "Alpha" not in body

    def test_fixed_number_of_queries_whatever_the_size(self, client, viewer, plan):
        def count_queries():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(LIST, {"sort": "due_date"})
            assert response.status_code == 200
            return len(ctx.captured_queries)

        client.force_login(viewer)
        ObjectiveFactory.create_batch(20, plan=plan)
        small = count_queries()
        Objective.objects.bulk_create(
            [
                Objective(plan=plan, kind="action", text=f"Item {i}", order=100 + i)
                for i in range(2000)
            ]
        )
        large = count_queries()
        assert large == small


@pytest.mark.django_db
class TestExports:
    def test_csv_has_the_filtered_rows(self, client, viewer, plan):
        ObjectiveFactory(plan=plan, text="Relocate HQ", rag="red", reference="MCP-5")
        ObjectiveFactory(plan=plan, text="Develop budgets", rag="green")
        client.force_login(viewer)
        response = client.get(reverse("objectives:export_csv"), {"rag": "red"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:3] == ["Plan", "Reference", "Objective or action"]
        assert [r[1] for r in rows[1:]] == ["MCP-5"]

    def test_cells_cannot_become_formulas(self, client, viewer, plan):
        ObjectiveFactory(plan=plan, text='=HYPERLINK("http://evil.example","x")', lead_text="+1")
        client.force_login(viewer)
        rows = list(
            csv.reader(io.StringIO(client.get(reverse("objectives:export_csv")).content.decode()))
        )
        assert rows[1][2] == '\'=HYPERLINK("http://evil.example","x")'
        assert rows[1][6] == "'+1"
        book = load_workbook(io.BytesIO(client.get(reverse("objectives:export_xlsx")).content))
        cell = book.active.cell(row=3, column=3)  # under the title row and the header
        assert cell.data_type == "s"
        assert cell.value.startswith("'=")

    def test_contributor_may_export_what_they_read(self, client, contributor, plan):
        ObjectiveFactory(plan=plan, text="Readable by a manager")
        client.force_login(contributor)
        response = client.get(reverse("objectives:export_csv"))
        assert response.status_code == 200
        assert "Readable by a manager" in response.content.decode()

    def test_export_leaks_nothing_of_another_organisation(self, client, viewer, other_organisation):
        ObjectiveFactory(plan=PlanFactory(organisation=other_organisation), text="Not yours")
        client.force_login(viewer)
        assert "Not yours" not in client.get(reverse("objectives:export_csv")).content.decode()


@pytest.mark.django_db
class TestItemPage:
    def test_shows_fields_history_and_audit_to_planner(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan, text="Develop budgets", measure="May 06")
        ProgressUpdateFactory(objective=objective, narrative="Draft to SMT")
        client.force_login(planner)
        response = client.get(objective.get_absolute_url())
        assert response.status_code == 200
        assert "Develop budgets" in response.text
        assert "Draft to SMT" in response.text
        assert "Audit trail" in response.text
        assert "Update progress" in response.text

    def test_viewer_reads_but_gets_no_form_and_no_audit(self, client, viewer, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(viewer)
        response = client.get(objective.get_absolute_url())
        assert "Update progress" not in response.text
        assert "Audit trail" not in response.text

    def test_other_organisation_gets_404(self, client, outsider, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(outsider)
        assert client.get(objective.get_absolute_url()).status_code == 404
        assert client.post(update_url(objective), form_data(objective)).status_code == 404


@pytest.mark.django_db
class TestProgressUpdate:
    def test_planner_posts_an_update_and_sees_it(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, rag="amber", narrative="Delayed by SHA")
        )
        assert response.status_code == 302
        objective.refresh_from_db()
        assert objective.rag == "amber"
        page = client.get(objective.get_absolute_url()).text
        assert "Delayed by SHA" in page

    def test_field_errors_are_shown_and_nothing_saved(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective), form_data(objective, rag="red", percent_complete="140")
        )
        assert response.status_code == 400
        assert "There is a problem" in response.text
        assert "a narrative is needed" in response.text
        assert "nhsuk-error-message" in response.text
        assert ProgressUpdate.objects.count() == 0

    @pytest.mark.parametrize(
        ("field", "value"),
        [("period", "2030-Q1"), ("period", "1999-Q1"), ("rag", "purple"), ("status", "done")],
    )
    def test_tampered_values_are_refused(self, client, planner, plan, field, value):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(update_url(objective), form_data(objective, **{field: value}))
        assert response.status_code == 400
        assert ProgressUpdate.objects.count() == 0

    def test_contributor_cannot_update_items_they_do_not_lead(self, client, contributor, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(contributor)
        assert client.post(update_url(objective), form_data(objective)).status_code == 403
        assert ProgressUpdate.objects.count() == 0

    def test_concurrent_edit_refused_and_both_changes_kept(
        self, client, planner, plan, organisation
    ):
        from tests.conftest import _member

        objective = ObjectiveFactory(plan=plan)
        other = _member(organisation, "planner")
        starting = form_data(objective)  # both open the form at version 1

        client.force_login(other)
        assert (
            client.post(
                update_url(objective), {**starting, "rag": "amber", "narrative": "Theirs"}
            ).status_code
            == 302
        )

        client.force_login(planner)
        response = client.post(
            update_url(objective), {**starting, "rag": "red", "narrative": "Mine"}
        )
        assert response.status_code == 409
        assert "Somebody else updated this item" in response.text
        assert "Theirs" in response.text  # the other person's change is shown
        objective.refresh_from_db()
        assert objective.rag == "amber"  # nothing overwritten

        # Resubmitting from the refreshed form (it now carries the new version) is accepted.
        version = response.context["form"]["version"].value()
        response = client.post(
            update_url(objective),
            {**starting, "rag": "red", "narrative": "Mine", "version": version},
        )
        assert response.status_code == 302
        narratives = list(objective.updates.values_list("narrative", flat=True))
        assert narratives == ["Mine", "Theirs"]

    def test_htmx_update_swaps_in_place(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            update_url(objective),
            form_data(objective, narrative="Via htmx"),
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert (
            response.text.lstrip().startswith('<div id="progress">')
            or 'id="progress"' in response.text
        )
        assert "<html" not in response.text
        assert "Via htmx" in response.text


@pytest.mark.django_db
class TestMyWork:
    def test_groups_items_of_my_units(self, client, contributor, plan, organisation):
        import datetime as dt

        estates = OrgUnitFactory(organisation=organisation, name="Estates")
        contributor.memberships.get().org_units.add(estates)
        ObjectiveFactory(
            plan=plan, org_unit=estates, text="Overdue one", due_date=dt.date(2006, 5, 31)
        )
        ObjectiveFactory(plan=plan, org_unit=None, text="Not mine")
        client.force_login(contributor)
        response = client.get(reverse("objectives:my_work"))
        assert response.status_code == 200
        work = response.context["work"]
        assert [o.text for o in work.overdue] == ["Overdue one"]
        assert "Not mine" not in response.text
