"""Assessments through the shared spreadsheet pipeline: the export reads back in unchanged, a
new file adds an assessment, and a bad row is reported by number with nothing imported."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks import imports
from frameworks.models import Assessment, AssessmentScore
from planning import spreadsheets
from tests.frameworks.factories import framework_with_series


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.mark.django_db
class TestAssessmentImport:
    def test_export_reads_back_unchanged(self, client, planner, organisation):
        framework = framework_with_series(organisation, competencies=3, assessments=2)
        client.force_login(planner)
        exported = client.get(reverse("frameworks:export", args=[framework.pk])).content
        rows = list(csv.reader(io.StringIO(exported.decode())))
        assert rows[0] == ["date", "kind", "competency", "level", "assessor", "evidence"]
        assert len(rows) == 1 + 3 * 2
        table = spreadsheets.read_table("a.csv", exported, imports.LAYOUT)
        result = imports.import_assessments(framework, table, by=planner)
        assert result.ok and result.unchanged == 6 and result.changed == 0

    def test_new_rows_make_an_assessment(self, client, planner, organisation):
        framework = framework_with_series(organisation, competencies=2, assessments=1)
        client.force_login(planner)
        data = csv_bytes(
            [
                ["Date", "Kind", "Competency", "Level", "Assessor"],
                ["2006-12-01", "External", "1", "3", "Review team"],
                ["2006-12-01", "external", "2", "4", "Review team"],
            ]
        )
        upload = SimpleUploadedFile("scores.csv", data, content_type="text/csv")
        response = client.post(reverse("frameworks:import", args=[framework.pk]), {"file": upload})
        assert response.status_code == 302
        new = Assessment.objects.get(framework=framework, kind="external")
        assert new.assessor == "Review team"
        assert sorted(new.scores.values_list("level", flat=True)) == [3, 4]
        assert new.history.first().history_user == planner

    def test_bad_rows_are_reported_and_nothing_is_imported(self, client, planner, organisation):
        framework = framework_with_series(organisation, competencies=2, assessments=1)
        before = AssessmentScore.objects.count()
        client.force_login(planner)
        data = csv_bytes(
            [
                ["date", "kind", "competency", "level"],
                ["2006-12-01", "panel", "1", "2"],
                ["2006-12-01", "panel", "2", "9"],
                ["2006-12-01", "jury", "7", "1"],
            ]
        )
        upload = SimpleUploadedFile("scores.csv", data, content_type="text/csv")
        response = client.post(reverse("frameworks:import", args=[framework.pk]), {"file": upload})
        assert response.status_code == 400
        errors = {e.row: e.reason for e in response.context["result"].errors}
        assert set(errors) == {3, 4}
        assert "Level 9: enter a level from 1 to 4" in errors[3]
        assert "not self, panel or external" in errors[4]
        assert "no competency numbered so" in errors[4]
        assert AssessmentScore.objects.count() == before

    def test_export_neutralises_formulae(self, client, viewer, organisation):
        framework = framework_with_series(organisation, competencies=1, assessments=1)
        Assessment.objects.filter(framework=framework).update(assessor="=HYPERLINK(1)")
        client.force_login(viewer)
        exported = client.get(reverse("frameworks:export", args=[framework.pk])).content.decode()
        assert "=HYPERLINK" not in exported.replace("'=HYPERLINK", "")
