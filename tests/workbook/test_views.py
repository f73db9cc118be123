"""The workbook's pages and commands: download, template, upload → problems or preview →
confirm; who may (the matrix is in tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assurance.models import Control, Risk, RiskCategory, RiskReview
from frameworks.models import (
    Assessment,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from objectives.models import Objective
from planning.models import Plan
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    MilestoneFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
)
from tests.workbook.handmade import changed, workbook_bytes
from tests.workbook.helpers import cells
from workbook.models import KEPT_FOR, PendingImport
from workbook.sheets import registered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes, name: str = "estates.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.mark.django_db
class TestDownload:
    def test_a_planner_downloads_the_plan(self, client, planner, plan):
        ObjectiveFactory(plan=plan, reference="EST-1", text="Replace boilers")
        client.force_login(planner)
        response = client.get(reverse("workbook:plan_download", args=[plan.slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert f'filename="{plan.slug}.xlsx"' in response["Content-Disposition"]
        sheets = cells(response.content)
        assert sheets["Objectives"][1][:1] == ("EST-1",)
        assert sheets["Plan"][1][0] == plan.title

    def test_the_plan_page_links_to_it_for_planners_only(self, client, planner, viewer, plan):
        url = reverse("workbook:plan_download", args=[plan.slug])
        client.force_login(planner)
        assert url in client.get(plan.get_absolute_url()).content.decode()
        client.force_login(viewer)
        assert url not in client.get(plan.get_absolute_url()).content.decode()

    def test_the_template_has_every_sheet_and_no_rows(self, client, planner):
        client.force_login(planner)
        response = client.get(reverse("workbook:template"))
        assert response.status_code == 200
        sheets = cells(response.content)
        about = sheets.pop("About")
        sheets.pop("Lists")
        assert list(sheets) == [spec.name for spec in registered()]
        for spec in registered():
            assert sheets[spec.name] == [tuple(c.title for c in spec.columns)]
            for col in spec.columns:  # every column explained on the About sheet
                assert any(r[0] == spec.name and r[1] == col.title and r[5] for r in about)

    def test_lists_carry_data_validation(self, client, planner):
        from openpyxl import load_workbook

        client.force_login(planner)
        book = load_workbook(io.BytesIO(client.get(reverse("workbook:template")).content))
        progress = book["Progress history"]
        formulas = {
            str(dv.sqref).split(":")[0]: dv.formula1
            for dv in progress.data_validations.dataValidation
        }
        headings = [c.value for c in progress[1]]
        rag = "ABCDEFGHIJ"[headings.index("RAG")]
        assert formulas[f"{rag}2"].startswith("'Lists'!$")
        listed = book["Lists"]
        column = formulas[f"{rag}2"].split("!$")[1].split("$")[0]
        assert [c.value for c in listed[column][1:] if c.value] == [
            "Red",
            "Amber",
            "Green",
            "Blue (complete)",
        ]

    def test_export_queries_do_not_grow_with_the_plan(self, client, planner, plan):
        client.force_login(planner)
        url = reverse("workbook:plan_download", args=[plan.slug])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        def add(n):
            for i in range(n):
                objective = ObjectiveFactory(plan=plan)
                MilestoneFactory(objective=objective)
                ProgressUpdateFactory(objective=objective)
                kpi = KPIFactory(plan=plan)
                objective.kpis.add(kpi)
                MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 4 + 3 * (i % 3), 1))
                _risk_and_competency(plan, objective)

        add(1)
        once = queries()
        add(9)
        assert queries() == once


def _risk_and_competency(plan, objective) -> None:
    """A risk of the plan with a control, a review and a mitigating action, and a framework
    naming the plan with a competency, an assessment score, a target and a gap dimension."""
    n = Risk.objects.filter(plan=plan).count()
    category, _ = RiskCategory.objects.get_or_create(organisation=plan.organisation, name="C")
    risk = Risk.objects.create(
        organisation=plan.organisation,
        plan=plan,
        reference=f"R{n}",
        title=f"Risk {n}",
        category=category,
        inherent_likelihood=3,
        inherent_consequence=3,
    )
    risk.mitigating_actions.add(objective)
    Control.objects.create(risk=risk, kind="control", description="Checked", order=1)
    RiskReview.objects.create(
        risk=risk, reviewed_on=dt.date(2006, 6, 30), likelihood=2, consequence=2
    )
    framework = Framework.objects.create(
        organisation=plan.organisation, name=f"Framework {n}", level_names=["Low", "High"]
    )
    framework.plans.add(plan)
    competency = Competency.objects.create(
        framework=framework, number=1, name="Skill", descriptors=["a", "b"]
    )
    competency.objectives.add(objective)
    assessment = Assessment.objects.create(
        framework=framework, assessed_on=dt.date(2006, 9, 30), kind="self"
    )
    AssessmentScore.objects.create(assessment=assessment, competency=competency, level=1)
    CompetencyTarget.objects.create(
        competency=competency, target_date=dt.date(2007, 3, 31), level=2
    )
    analysis = GapAnalysis.objects.create(plan=plan, title=f"Gap {n}")
    GapDimension.objects.create(analysis=analysis, name="Strategy").actions.add(objective)


@pytest.mark.django_db
class TestImportPages:
    def test_upload_preview_confirm(self, client, planner, organisation):
        client.force_login(planner)
        url = reverse("workbook:import_upload", args=[organisation.slug])
        assert client.get(url).status_code == 200
        response = client.post(url, {"file": upload(workbook_bytes())})
        assert response.status_code == 302
        pending = PendingImport.objects.get(user=planner)
        assert response["Location"] == reverse(
            "workbook:import_preview", args=[organisation.slug, pending.token]
        )
        preview = client.get(response["Location"])
        body = preview.content.decode()
        assert "Objectives and actions" in body and "Progress updates" in body
        assert not Plan.objects.filter(organisation=organisation, title="Estates Plan").exists()
        done = client.post(response["Location"])
        plan = Plan.objects.get(organisation=organisation, title="Estates Plan")
        assert done.status_code == 302
        assert done["Location"] == plan.get_absolute_url()
        assert Objective.objects.filter(plan=plan).count() == 2
        # The audit history says who imported what.
        assert plan.history.get().history_user == planner
        made = Objective.history.filter(plan_id=plan.pk)
        assert {(h.history_user, h.history_change_reason) for h in made} == {
            (planner, "Imported from a workbook")
        }
        assert not PendingImport.objects.exists()
        # Posted again (a double click): the upload is gone, nothing is imported twice.
        assert client.post(response["Location"]).status_code == 404
        assert Plan.objects.filter(organisation=organisation, title="Estates Plan").count() == 1

    def test_problems_are_listed_by_sheet_row_and_column(self, client, planner, organisation):
        client.force_login(planner)
        url = reverse("workbook:import_upload", args=[organisation.slug])
        plans = Plan.objects.count()
        response = client.post(url, {"file": upload(changed("Expenditure", 2, "Amount", -5))})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Nothing was imported: the workbook has 1 problem" in body
        assert '<th scope="row" class="nhsuk-table__header">Expenditure</th>' in body
        assert "-5 is negative" in body
        assert Plan.objects.count() == plans
        assert not PendingImport.objects.exists()

    @pytest.mark.parametrize(
        "content,message",
        [
            (b"not a workbook", "could not be read as an Excel workbook"),
            (b"\0" * 100, "could not be read as an Excel workbook"),
        ],
    )
    def test_a_file_that_is_not_a_workbook(self, client, planner, organisation, content, message):
        client.force_login(planner)
        url = reverse("workbook:import_upload", args=[organisation.slug])
        response = client.post(url, {"file": upload(content)})
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_another_users_upload_is_not_found(self, client, planner, org_admin, organisation):
        PendingImport.objects.create(
            organisation=organisation, user=org_admin, name="x.xlsx", content=workbook_bytes()
        )
        pending = PendingImport.objects.get()
        client.force_login(planner)
        url = reverse("workbook:import_preview", args=[organisation.slug, pending.token])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404

    def test_an_expired_upload_is_not_found(self, client, planner, organisation):
        pending = PendingImport.objects.create(
            organisation=organisation,
            user=planner,
            name="x.xlsx",
            content=workbook_bytes(),
            created_at=timezone.now() - KEPT_FOR - dt.timedelta(seconds=1),
        )
        client.force_login(planner)
        url = reverse("workbook:import_preview", args=[organisation.slug, pending.token])
        assert client.get(url).status_code == 404

    def test_a_new_upload_replaces_the_last(self, client, planner, organisation):
        client.force_login(planner)
        url = reverse("workbook:import_upload", args=[organisation.slug])
        client.post(url, {"file": upload(workbook_bytes())})
        client.post(url, {"file": upload(workbook_bytes())})
        assert PendingImport.objects.filter(user=planner).count() == 1

    def test_the_home_page_links_to_the_import_for_planners(
        self, client, planner, viewer, organisation
    ):
        url = reverse("workbook:import_upload", args=[organisation.slug])
        client.force_login(planner)
        assert url in client.get(reverse("planning:home")).content.decode()
        client.force_login(viewer)
        assert url not in client.get(reverse("planning:home")).content.decode()


@pytest.mark.django_db
class TestCommands:
    def test_export_then_import(self, tmp_path, plan, other_organisation, capsys):
        ObjectiveFactory(plan=plan, reference="EST-1")
        path = tmp_path / "plan.xlsx"
        call_command("export_plan", "--plan", plan.slug, "-o", str(path))
        out = io.StringIO()
        call_command(
            "import_plan", str(path), "--organisation", other_organisation.slug, stdout=out
        )
        slug = out.getvalue().strip()
        copy = Plan.objects.get(slug=slug)
        assert copy.organisation == other_organisation
        assert copy.objectives.get().reference == "EST-1"

    def test_import_lists_problems_and_saves_nothing(self, tmp_path, organisation):
        path = tmp_path / "plan.xlsx"
        path.write_bytes(changed("Income", 2, "Amount", "=1+1"))
        err = io.StringIO()
        plans = Plan.objects.count()
        with pytest.raises(CommandError, match="1 problem"):
            call_command("import_plan", str(path), "--organisation", organisation.slug, stderr=err)
        assert "sheet “Income”, row 2, column “Amount”: Holds a formula" in err.getvalue()
        assert Plan.objects.count() == plans

    def test_the_blank_template(self, tmp_path):
        path = tmp_path / "template.xlsx"
        call_command("export_plan", "-o", str(path))
        assert cells(path.read_bytes())["Objectives"][0][0] == "Reference"
