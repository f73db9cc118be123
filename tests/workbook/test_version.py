"""A workbook imported onto a ratified plan as its next version (workbook.updating): export →
edit cells → import → the version comparison lists exactly the edits."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from assurance.models import Risk
from frameworks.models import Assessment, AssessmentScore, Framework
from kpis.models import KPI, Measurement
from objectives.models import Objective, ProgressUpdate
from planning import versions
from planning.models import Plan, PlanStatus, StrategicPriority
from tests.factories import ObjectiveFactory, PlanFactory
from tests.workbook.handmade import SHEETS, workbook_bytes
from workbook import export
from workbook.importing import import_workbook
from workbook.models import PendingImport
from workbook.sheets import VERSION_REASON
from workbook.updating import NotRefreshable, import_version

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FRAMEWORK_SHEETS = (
    "Frameworks",
    "Framework levels",
    "Competencies",
    "Competency descriptors",
    "Assessments",
    "Assessment scores",
    "Competency targets",
)


def ratified_plan(organisation) -> Plan:
    loader = import_workbook("plan.xlsx", workbook_bytes(SHEETS), organisation)
    assert not loader.problems, loader.problems
    Plan.objects.filter(pk=loader.plan.pk).update(
        status=PlanStatus.RATIFIED, ratified_by="Trust Board", board_minute_reference="TB/1"
    )
    return Plan.objects.get(pk=loader.plan.pk)


def edited(content: bytes, edits) -> bytes:
    """The workbook with cells changed: edits(book) changes it through openpyxl."""
    book = load_workbook(io.BytesIO(content))
    edits(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def cell(sheet, heading: str, row: int):
    column = [c.value for c in sheet[1]].index(heading) + 1
    return sheet.cell(row=row, column=column)


def comparison_rows(plan: Plan) -> set[tuple]:
    plan = Plan.objects.get(pk=plan.pk)
    compared = versions.changes_since_previous(plan, versions.history(plan))
    return {(r.kind, r.item, r.change, r.field, r.before, r.after) for r in compared.rows}


@pytest.mark.django_db
class TestNextVersion:
    def test_an_unchanged_workbook_changes_nothing(self, organisation, planner):
        plan = ratified_plan(organisation)
        loader = import_version("plan.xlsx", export.plan_workbook(plan), plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == []
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
        assert comparison_rows(plan) == set()

    def test_edited_cells_are_exactly_the_versions_changes(self, organisation, planner):
        plan = ratified_plan(organisation)
        kpi = KPI.objects.filter(plan=plan).order_by("code").first()
        objective = Objective.objects.filter(plan=plan).exclude(reference="").first()
        ids = set(Objective.objects.filter(plan=plan).values_list("pk", flat=True))

        def edits(book):
            kpis = book["KPIs"]
            for row in range(2, kpis.max_row + 1):
                if cell(kpis, "Code", row).value == kpi.code:
                    cell(kpis, "Name", row).value = "Renamed in the workbook"
            objectives = book["Objectives"]
            new = objectives.max_row + 1
            cell(objectives, "Reference", new).value = "NEW-9"
            cell(objectives, "Kind", new).value = cell(objectives, "Kind", 2).value
            cell(objectives, "Text", new).value = "An objective added in the workbook"

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        rows = comparison_rows(plan)
        kinds = {(kind, item, change) for kind, item, change, *_ in rows}
        assert ("KPI definitions", kpi.code, "Changed") in {(k, i, c) for k, i, c in kinds} or any(
            item == kpi.code and change == "Changed" for _, item, change in kinds
        )
        assert any(item == "NEW-9" and change == "Added" for _, item, change in kinds)
        assert len(kinds) == 2, rows
        changed = next(r for r in rows if r[1] == kpi.code)
        assert changed[4:] == (kpi.name, "Renamed in the workbook")
        # The objectives kept their identity; the new one is marked NEW.
        after = Objective.objects.filter(plan=plan)
        assert ids < set(after.values_list("pk", flat=True))
        assert after.get(reference="NEW-9").is_new
        assert not after.get(pk=objective.pk).is_new
        assert loader.changes == [["KPIs", 0, 1, 0], ["objectives and actions", 1, 0, 0]]

    def test_a_draft_is_refused_in_words(self, organisation):
        plan = ratified_plan(organisation)
        content = export.plan_workbook(plan)
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
        plan.refresh_from_db()
        with pytest.raises(NotRefreshable, match="is a draft: its next version is being drafted"):
            import_version("plan.xlsx", content, plan)

    def test_a_removed_row_still_referred_to_is_a_problem(self, organisation, planner):
        plan = ratified_plan(organisation)
        referred = ProgressUpdate.objects.filter(objective__plan=plan).first().objective
        before = Objective.objects.filter(plan=plan).count()

        def edits(book):
            for name, heading in (("Objectives", "Reference"), ("Progress history", "Objective")):
                sheet = book[name]
                for row in range(sheet.max_row, 1, -1):
                    if cell(sheet, heading, row).value == referred.reference:
                        sheet.delete_rows(row)
            sheet = book["Milestones"]
            for row in range(sheet.max_row, 1, -1):
                if cell(sheet, "Objective", row).value == referred.reference:
                    sheet.delete_rows(row)
            for name, heading in (
                ("Savings schemes", "Objectives"),
                ("Risks", "Mitigating actions"),
                ("Competencies", "Objectives"),
                ("Gap dimensions", "Actions"),
            ):
                sheet = book[name]
                for row in range(2, sheet.max_row + 1):
                    named = (cell(sheet, heading, row).value or "").split(";")
                    kept = [n.strip() for n in named if n.strip() != referred.reference]
                    cell(sheet, heading, row).value = "; ".join(k for k in kept if k) or None

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        problems = [str(p) for p in loader.problems]
        assert any(
            p.startswith("sheet “Objectives”, column “Reference”: ")
            and referred.reference in p
            and "progress update" in p
            for p in problems
        ), problems
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED  # nothing saved, the refresh neither
        assert Objective.objects.filter(plan=plan).count() == before
        assert not versions.history(plan) or all(v.label != "" for v in versions.history(plan))

    def test_history_is_not_duplicated(self, organisation, planner):
        plan = ratified_plan(organisation)
        updates = ProgressUpdate.objects.filter(objective__plan=plan).count()
        measurements = Measurement.objects.filter(kpi__plan=plan).count()
        content = export.plan_workbook(plan)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        assert not loader.problems
        assert ProgressUpdate.objects.filter(objective__plan=plan).count() == updates
        assert Measurement.objects.filter(kpi__plan=plan).count() == measurements

    def test_a_priority_nothing_refers_to_is_removed(self, organisation, planner):
        plan = ratified_plan(organisation)
        spare = StrategicPriority.objects.create(plan=plan, number=99, title="Spare")
        content = export.plan_workbook(plan)
        spare_ref = f"SP{spare.number}"

        def edits(book):
            sheet = book["Priorities"]
            for row in range(sheet.max_row, 1, -1):
                if cell(sheet, "Reference", row).value == spare_ref:
                    sheet.delete_rows(row)

        loader = import_version("plan.xlsx", edited(content, edits), plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert not StrategicPriority.objects.filter(pk=spare.pk).exists()
        assert loader.changes == [["strategic priorities", 0, 0, 1]]
        assert any(r[1] == spare_ref and r[2] == "Removed" for r in comparison_rows(plan))

    def test_a_dry_run_saves_nothing(self, organisation, planner):
        plan = ratified_plan(organisation)
        loader = import_version(
            "plan.xlsx", export.plan_workbook(plan), plan, by=planner, dry_run=True
        )
        assert not loader.problems
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED


def _rename_first_kpi(plan: Plan) -> tuple[KPI, bytes]:
    kpi = KPI.objects.filter(plan=plan).order_by("code").first()

    def edits(book):
        kpis = book["KPIs"]
        for row in range(2, kpis.max_row + 1):
            if cell(kpis, "Code", row).value == kpi.code:
                cell(kpis, "Name", row).value = "Renamed in the workbook"

    return kpi, edited(export.plan_workbook(plan), edits)


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.xlsx", content, content_type=XLSX)


@pytest.mark.django_db
class TestNextVersionPages:
    def test_upload_preview_confirm_then_the_comparison(self, client, planner, organisation):
        plan = ratified_plan(organisation)
        kpi, content = _rename_first_kpi(plan)
        client.force_login(planner)
        url = reverse("workbook:version_upload", args=[plan.slug])
        page = client.get(url)
        assert page.status_code == 200
        assert 'for="id_file"' in page.content.decode()  # the field is labelled
        response = client.post(url, {"file": _upload(content)})
        assert response.status_code == 302
        pending = PendingImport.objects.get(user=planner)
        assert pending.plan == plan
        preview = client.get(response["Location"])
        body = preview.content.decode()
        assert '<th scope="row" class="nhsuk-table__header">KPIs</th>' in body
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED  # the preview changed nothing
        done = client.post(response["Location"])
        assert done.status_code == 302
        assert done["Location"] == reverse("planning:plan_versions", args=[plan.slug])
        assert "Renamed in the workbook" in client.get(done["Location"]).content.decode()
        assert not PendingImport.objects.exists()
        # Audited: who, and why.
        latest = KPI.history.filter(id=kpi.pk).order_by("-history_date").first()
        assert (latest.history_user, latest.history_change_reason) == (planner, VERSION_REASON)
        # Posted again: the upload is gone.
        assert client.post(response["Location"]).status_code == 404

    def test_a_draft_plan_refuses_the_upload_on_the_field(self, client, planner, organisation):
        plan = ratified_plan(organisation)
        content = export.plan_workbook(plan)
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
        client.force_login(planner)
        url = reverse("workbook:version_upload", args=[plan.slug])
        response = client.post(url, {"file": _upload(content)})
        assert response.status_code == 400
        body = response.content.decode()
        assert "is a draft: its next version is being drafted already" in body
        assert 'id="id_file-error"' in body or "nhsuk-error-message" in body
        assert not PendingImport.objects.exists()

    def test_another_organisations_planner_gets_404(self, client, organisation, outsider):
        plan = ratified_plan(organisation)
        client.force_login(outsider)
        url = reverse("workbook:version_upload", args=[plan.slug])
        assert client.get(url).status_code == 404
        response = client.post(url, {"file": _upload(export.plan_workbook(plan))})
        assert response.status_code == 404
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED


@pytest.mark.django_db
class TestNextVersionCommand:
    def test_prints_the_slug_and_imports(self, tmp_path, organisation):
        plan = ratified_plan(organisation)
        kpi, content = _rename_first_kpi(plan)
        path = tmp_path / "plan.xlsx"
        path.write_bytes(content)
        out = io.StringIO()
        call_command("import_plan", str(path), "--plan", plan.slug, stdout=out)
        assert out.getvalue().strip() == plan.slug
        kpi.refresh_from_db()
        assert kpi.name == "Renamed in the workbook"
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_a_draft_is_refused(self, tmp_path, organisation):
        plan = ratified_plan(organisation)
        path = tmp_path / "plan.xlsx"
        path.write_bytes(export.plan_workbook(plan))
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
        with pytest.raises(CommandError, match="is a draft"):
            call_command("import_plan", str(path), "--plan", plan.slug)


@pytest.mark.django_db
class TestDemoPlan:
    def test_the_ccg_plans_own_workbook_is_its_next_version_with_no_change(self, demo):
        plan = Plan.objects.get(slug="ccg-od-strategy-2018-21")
        assert plan.status == PlanStatus.RATIFIED
        updates = ProgressUpdate.objects.filter(objective__plan=plan).count()
        loader = import_version("plan.xlsx", export.plan_workbook(plan), plan)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == []
        plan.refresh_from_db()
        assert (plan.status, plan.version_label) == (PlanStatus.DRAFT, "4.1")
        assert comparison_rows(plan) == set()
        assert ProgressUpdate.objects.filter(objective__plan=plan).count() == updates


@pytest.mark.django_db
class TestFrameworksOntoAVersion:
    def test_a_framework_is_not_removed_by_a_workbook(self, organisation, planner):
        plan = ratified_plan(organisation)
        framework = Framework.objects.filter(plans=plan).first()
        scored = Assessment.objects.filter(framework=framework).count()

        def edits(book):
            for name in FRAMEWORK_SHEETS:
                sheet = book[name]
                if sheet.max_row > 1:
                    sheet.delete_rows(2, sheet.max_row - 1)

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        problems = [str(p) for p in loader.problems]
        assert any(
            p.startswith("sheet “Frameworks”, column “Name”: ")
            and framework.name in p
            and "cannot remove" in p
            for p in problems
        ), problems
        assert Framework.objects.filter(plans=plan).get() == framework
        assert Assessment.objects.filter(framework=framework).count() == scored

    def test_a_framework_is_updated_and_keeps_its_assessments(self, organisation, planner):
        plan = ratified_plan(organisation)
        framework = Framework.objects.filter(plans=plan).first()
        scores = AssessmentScore.objects.filter(assessment__framework=framework).count()

        def edits(book):
            sheet = book["Frameworks"]
            cell(sheet, "Description", 2).value = "Described again in the workbook"

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == [["competency frameworks", 0, 1, 0]]
        framework.refresh_from_db()
        assert framework.description == "Described again in the workbook"
        assert AssessmentScore.objects.filter(assessment__framework=framework).count() == scores


@pytest.mark.django_db
class TestStale:
    def test_a_plan_changed_since_the_upload_is_refused_at_confirmation(
        self, client, planner, organisation
    ):
        plan = ratified_plan(organisation)
        _, content = _rename_first_kpi(plan)
        client.force_login(planner)
        response = client.post(
            reverse("workbook:version_upload", args=[plan.slug]), {"file": _upload(content)}
        )
        assert response.status_code == 302
        Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)  # someone else
        confirmed = client.post(response["Location"])
        assert confirmed.status_code == 400
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED
        assert PendingImport.objects.filter(plan=plan).exists()


@pytest.mark.django_db
class TestLinksTheWorkbookCannotName:
    def test_a_link_to_another_plans_objective_is_kept(self, organisation, planner):
        plan = ratified_plan(organisation)
        elsewhere = ObjectiveFactory(plan=PlanFactory(organisation=organisation), reference="X-1")
        risk = Risk.objects.filter(plan=plan).first()
        risk.mitigating_actions.add(elsewhere)
        named = set(risk.mitigating_actions.values_list("pk", flat=True))
        loader = import_version("plan.xlsx", export.plan_workbook(plan), plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == []
        assert set(risk.mitigating_actions.values_list("pk", flat=True)) == named
